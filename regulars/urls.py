from django.contrib import admin
from django.urls import include, path

from regulars.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("webhooks/", include("regulars.commerce.urls")),
    path("messaging/", include("regulars.messaging.urls")),
    path("f/", include("regulars.feedback.urls")),
    path("", include("regulars.dashboard.urls")),
]
