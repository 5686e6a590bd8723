from django.contrib import admin
from django.urls import include, path

from regulars.api import api, not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("webhooks/", include("regulars.commerce.urls")),
    path("messaging/", include("regulars.messaging.urls")),
    path("f/", include("regulars.feedback.urls")),
    path("", include("regulars.dashboard.urls")),
]

# Paths under /api/ that no route matches get the API's JSON error, others the 404 page.
handler404 = not_found
