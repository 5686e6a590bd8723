"""/f/...: the customer's and shopper's feedback pages: the survey and review pages behind the
signed links in messages, and the public reviews JSON, widget and testimonials of a store."""

from django.urls import path  # noqa: F401 - the routes below use it

app_name = "feedback"

urlpatterns: list = []
