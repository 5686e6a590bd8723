"""The most frequent terms of the last 90 days' survey comments and review bodies, per
language: English words without stop words, Thai segmented by PyThaiNLP without Thai stop
words, Armenian words; a new comment shows at once; another store's texts never count."""

from django.core.cache import cache

from regulars.feedback.models import ReviewSource
from regulars.feedback.services.terms import count_terms, tokenize, top_terms
from regulars.feedback.tests.inbox_data import T0, answer, customer, hours, product, review

NOW = T0 + hours(24 * 10)


def test_english_is_lower_cased_words_without_stop_words():
    assert tokenize("The delivery was LATE, and the box wasn't sealed! 2 days late.", "en") == [
        "delivery",
        "late",
        "box",
        "sealed",
        "days",
        "late",
    ]


def test_thai_is_segmented_into_words_without_thai_stop_words():
    # No spaces between Thai words: "the product is very good but the box was damaged".
    words = tokenize("สินค้าดีมากแต่กล่องเสียหาย", "th")

    assert words == ["สินค้า", "ดีมาก", "กล่อง", "เสียหาย"]
    assert "แต่" not in words  # "but", a Thai stop word


def test_armenian_is_words_without_the_commonest_function_words():
    assert tokenize("Առաքումը ուշ էր և տուփը վնասված էր", "hy-AM") == [
        "առաքումը",
        "ուշ",
        "տուփը",
        "վնասված",
    ]


def test_a_term_counts_once_per_text_and_ties_sort_alphabetically():
    result = count_terms({"en": ["late late late", "late box", "box", "price"]}, top=2)

    assert result == {"en": [("box", 2), ("late", 2)]}


def test_top_terms_per_language_of_the_last_90_days(store):
    cache.clear()
    ana = customer(store, language="en")
    som = customer(store, "c2", "som@example.com", language="th")
    lp = product(store)
    answer(store, ana, 3, "Delivery was slow", at=NOW - hours(2))
    answer(store, ana, 2, "Slow delivery, broken sleeve", at=NOW - hours(3))
    review(store, lp, 2, customer=ana, body="The sleeve was broken", at=NOW - hours(4))
    answer(store, som, 4, "ส่งช้ามาก กล่องเสียหาย", at=NOW - hours(5))
    review(store, lp, 5, customer=som, body="เสียงดีมาก", language="th", at=NOW - hours(6))
    # Not counted: older than 90 days, an imported review, an empty body.
    answer(store, ana, 1, "ancient complaint", at=NOW - hours(24 * 91))
    review(store, lp, 1, body="imported rant", source=ReviewSource.IMPORT, external_id="x1")

    terms = top_terms(store, now=NOW)

    assert list(terms) == ["en", "th"]
    assert terms["en"] == [
        ("broken", 2),
        ("delivery", 2),
        ("sleeve", 2),
        ("slow", 2),
    ]
    # "ส่ง" (send), "ช้า" (slow) and "มาก" (very) are in PyThaiNLP's stop words.
    assert terms["th"] == [("กล่อง", 1), ("ดีมาก", 1), ("เสียง", 1), ("เสียหาย", 1)]


def test_a_new_comment_counts_at_the_next_look_and_other_stores_never(store, other_store):
    cache.clear()
    ana = customer(store)
    answer(store, ana, 3, "Slow shipping", at=NOW - hours(1))
    assert top_terms(store, now=NOW) == {"en": [("shipping", 1), ("slow", 1)]}

    answer(store, ana, 2, "Shipping took weeks", at=NOW - hours(1))
    answer(other_store, customer(other_store), 0, "Shipping shipping", at=NOW - hours(1))

    assert top_terms(store, now=NOW)["en"][:1] == [("shipping", 2)]
    assert top_terms(other_store, now=NOW) == {"th": [("shipping", 1)]}
