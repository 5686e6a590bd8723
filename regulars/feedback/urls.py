"""/f/...: the customer's and shopper's feedback pages: the survey and review pages behind the
signed links in messages, and the public reviews JSON, widget and testimonials of a store."""

from django.urls import path

from regulars.feedback.views import public, surveys
from regulars.feedback.views import reviews as review_views

app_name = "feedback"

urlpatterns: list = []

# Surveys (views/surveys.py): the page of one send's signed link; ?score=N records a one-tap score.
urlpatterns += [
    path("s/<str:token>/", surveys.survey, name="survey"),
]

# The public reviews of a store (views/public.py): JSON, JSON-LD, widget and testimonials.
urlpatterns += [
    path(
        "api/<str:store>/products/<str:product>/reviews",
        public.reviews_json,
        name="public-reviews",
    ),
    path(
        "api/<str:store>/products/<str:product>/jsonld",
        public.reviews_jsonld,
        name="public-jsonld",
    ),
    path("api/<str:store>/testimonials", public.testimonials_json, name="public-testimonials"),
    path("w/<str:store>/<str:product>/", public.widget, name="widget"),
    path("t/<str:store>/", public.testimonials_page, name="testimonials"),
]

# The review page behind a review request's signed link, and the review photos
# (views/reviews.py; the names "review" and "review-photo" are used by links.py and photos.py).
urlpatterns += [
    path("r/<str:token>/", review_views.review, name="review"),
    path("photos/<int:photo_id>/", review_views.review_photo, name="review-photo"),
]
