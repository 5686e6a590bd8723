"""The inbox lists reviews and survey comments in one list: negative first (1-2 stars, NPS
detractors, CSAT 1-2), then the longest waiting; what is answered, imported or decided leaves
the default list; the filters narrow it."""

from regulars.feedback.models import ReviewSource, ReviewStatus
from regulars.feedback.services.inbox import InboxFilters, inbox_items, inbox_languages, inbox_rows
from regulars.feedback.tests.inbox_data import T0, answer, customer, hours, product, review


def _keys(store, **filters) -> list[str]:
    rows = list(inbox_rows(store, InboxFilters(**filters)))
    return [f"{kind}-{pk}" for kind, pk, _negative, _at in rows]


def _k(obj) -> str:
    return f"{'review' if obj.__class__.__name__ == 'Review' else 'survey'}-{obj.pk}"


def test_negative_items_come_first_then_the_oldest(store):
    ana = customer(store)
    lp = product(store)
    happy_old = review(store, lp, 5, at=T0, customer=ana)
    angry_new = review(store, lp, 1, at=T0 + hours(5), customer=ana)
    meh = review(store, lp, 3, at=T0 + hours(1), customer=ana)
    detractor = answer(store, ana, 3, "Slow delivery", at=T0 + hours(2))
    promoter = answer(store, ana, 10, "Great sound", at=T0 - hours(1))
    unhappy_csat = answer(store, ana, 2, "Box was broken", kind="csat", at=T0 + hours(3))
    two_stars = review(store, lp, 2, at=T0 + hours(4), status=ReviewStatus.PENDING)

    assert _keys(store) == [
        _k(detractor),  # T0+2h
        _k(unhappy_csat),  # T0+3h
        _k(two_stars),  # T0+4h
        _k(angry_new),  # T0+5h
        _k(promoter),  # T0-1h
        _k(happy_old),  # T0
        _k(meh),  # T0+1h
    ]


def test_answered_imported_decided_and_silent_items_are_not_waiting(store):
    ana = customer(store)
    lp = product(store)
    waiting = review(store, lp, 2, customer=ana)
    replied = review(store, lp, 1, customer=ana, reply="Sorry!", replied_at=T0 + hours(1))
    review(store, lp, 1, source=ReviewSource.IMPORT, external_id="jm-1")
    review(store, lp, 1, status=ReviewStatus.REJECTED)
    review(store, lp, 1, status=ReviewStatus.HIDDEN)
    answer(store, ana, 2, "")  # a score without a comment is a follow-up, not an inbox item
    answered = answer(store, ana, 4, "Late", replied_at=T0 + hours(2), reply="We are on it")

    assert _keys(store) == [_k(waiting)]
    assert _keys(store, state="answered") == [_k(replied), _k(answered)]
    assert _keys(store, state="all") == [_k(waiting), _k(replied), _k(answered)]


def test_filters_by_type_rating_and_language(store):
    ana = customer(store, language="th")
    bob = customer(store, "c2", "bob@example.com", language="en")
    lp = product(store)
    thai_review = review(store, lp, 4, customer=ana)  # its language: the customer's
    english_review = review(store, lp, 1, customer=bob, at=T0 + hours(1), language="en-GB")
    passive = answer(store, bob, 7, "Fine", at=T0 + hours(2))
    detractor = answer(store, ana, 0, "แย่มาก", at=T0 + hours(3))

    assert _keys(store, kind="review") == [_k(english_review), _k(thai_review)]
    assert _keys(store, kind="survey") == [_k(detractor), _k(passive)]
    assert _keys(store, rating="negative") == [_k(english_review), _k(detractor)]
    assert _keys(store, rating="neutral") == [_k(passive)]
    assert _keys(store, rating="positive") == [_k(thai_review)]
    assert _keys(store, rating="4") == [_k(thai_review)]
    assert _keys(store, language="th") == [_k(detractor), _k(thai_review)]
    assert _keys(store, language="en") == [_k(english_review), _k(passive)]
    assert inbox_languages(store) == ["en", "en-gb", "th"]


def test_an_unknown_filter_value_is_refused_naming_the_field(store):
    import pytest

    from regulars.core.errors import RegularsError

    with pytest.raises(RegularsError) as caught:
        InboxFilters(rating="terrible")
    assert caught.value.field == "rating"


def test_items_are_loaded_in_list_order_with_their_sentiment(store, django_assert_max_num_queries):
    ana = customer(store)
    lp = product(store)
    review(store, lp, 5, customer=ana)
    answer(store, ana, 6, "Too expensive", at=T0 + hours(1))
    rows = list(inbox_rows(store, InboxFilters()))

    with django_assert_max_num_queries(3):
        items = inbox_items(store, rows, now=T0 + hours(3), within_hours=24)

    assert [(item.kind, item.sentiment) for item in items] == [
        ("survey", "negative"),
        ("review", "positive"),
    ]
    assert items[0].obj.comment == "Too expensive"


def test_another_stores_items_never_appear(store, other_store):
    lp = product(other_store)
    review(other_store, lp, 1)
    answer(other_store, customer(other_store), 0, "Terrible")

    assert _keys(store, state="all") == []
    assert len(_keys(other_store)) == 2
