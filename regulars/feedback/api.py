"""The feedback part of the JSON API (/api/v1/reviews, /api/v1/survey-responses)."""

from ninja import Router

router = Router(tags=["feedback"])
