"""/messaging/...: the customer's pages behind the signed links in messages, and the signed
inbound SMS endpoint (STOP/START) a store's SMS provider posts replies to."""

from django.urls import include, path

from regulars.messaging import inbound, views

app_name = "messaging"

urlpatterns = [
    path("u/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("p/<str:token>/", views.preferences_page, name="preferences"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("c/<str:token>/", views.click, name="click"),
    path("inbound/sms/<str:public_id>/", inbound.inbound_sms, name="inbound-sms"),
    # E-mail providers' delivery, bounce and complaint reports (provider_reports.py).
    path("anymail/", include("anymail.urls")),
]
