"""The automatic checks: what sends a review to the moderation queue instead of publishing it,
and what does not (whole words only, Thai segmented into words, digits never a "repeat")."""

from datetime import timedelta

import pytest
import time_machine

from regulars.feedback.models import ReviewSource, ReviewStatus
from regulars.feedback.services import moderation
from regulars.feedback.services.moderation import PROFANITY, SPAM, profane_words, text_findings
from regulars.feedback.services.reviews import do_submit_review
from regulars.feedback.tests.review_data import NOW, customer, order, product, settings_of


def flags(text: str, blocked: str = "") -> list[str]:
    return [finding.flag for finding in text_findings(text, blocked)]


@pytest.mark.parametrize(
    "text",
    [
        "Buy cheap copies at https://cheap-vinyl.example/deals",
        "see www.cheap-vinyl.example",
        "great deals on vinylsale.shop now",
    ],
)
def test_a_link_in_the_text_is_spam(text):
    assert flags(text) == [SPAM]
    assert "a link in the text" in text_findings(text)[0].reason


def test_a_long_run_of_one_character_is_spam_but_thai_laughter_in_digits_is_not():
    assert flags("Great!!!!!!!!!!") == [SPAM]
    assert flags("Goooooooooood record") == [SPAM]
    assert flags("สนุกมาก 5555555555") == []
    assert flags("Nice!!! Arrived fast") == []


def test_shouting_in_capitals_is_spam_a_short_acronym_is_not():
    assert flags("THIS IS THE BEST RECORD EVER MADE") == [SPAM]
    assert flags("Great LP, the DJ loved it") == []
    assert flags("ՍԱ ԼԱՎԱԳՈՒՅՆ ՁԱՅՆԱՊՆԱԿՆ Է") == [SPAM]  # Armenian has capitals too
    assert flags("ดีมากครับ แผ่นเสียงสวยมาก ส่งไว") == []  # Thai has none


def test_profanity_is_matched_as_whole_words_never_inside_other_words():
    assert profane_words("What a piece of shit") == ["shit"]
    assert profane_words("Shitty pressing, FUCKING awful") == ["shitty", "fucking"]
    assert profane_words("A classic from Scunthorpe, pass the assessment") == []
    assert flags("the dickens of a good record") == []


def test_thai_is_segmented_into_words_before_matching():
    assert profane_words("ของห่วยแม่งเอ้ย") == ["แม่ง"]
    assert profane_words("ไอ้สัสส่งช้า") == ["สัส"]
    # หีบห่อ (packaging) starts with a blocked word but is another word.
    assert profane_words("สินค้าดีมาก หีบห่อสวย") == []


def test_armenian_words_are_matched():
    assert profane_words("Սա բոզ ապրանք է") == ["բոզ"]
    assert profane_words("Շատ լավ ձայնապնակ է") == []


def test_the_stores_own_blocked_words_and_phrases_count_too():
    blocked = "knockoff\nCompetitor Records\nของปลอม\n"
    assert profane_words("A knockoff", blocked) == ["knockoff"]
    assert profane_words("Cheaper at competitor  records", blocked) == ["competitor records"]
    assert profane_words("เป็นของปลอมแน่นอน", blocked) == ["ของปลอม"]
    assert profane_words("Competitor sells records", blocked) == []
    assert flags("a knockoff", blocked) == [PROFANITY]


def test_a_clean_review_at_or_above_the_auto_publish_rating_is_published(store):
    settings_of(store, auto_publish_min_rating=4)
    placed = order(store, products=(("p1", "A"), ("p2", "B")))
    four = do_submit_review(
        store, placed.customer, placed, product(store, "p1"), 4, "", "", now=NOW
    )
    three = do_submit_review(
        store, placed.customer, placed, product(store, "p2"), 3, "", "", now=NOW
    )
    assert (four.status, four.moderation_reason, four.published_at) == (
        ReviewStatus.PUBLISHED,
        "",
        NOW,
    )
    assert three.status == ReviewStatus.PENDING
    assert three.moderation_reason == "3 stars, below the auto-publish rating (4)"
    assert three.published_at is None


def test_auto_publish_zero_means_every_review_waits(store):
    settings_of(store, auto_publish_min_rating=0)
    placed = order(store)
    review = do_submit_review(store, placed.customer, placed, product(store), 5, "", "", now=NOW)
    assert review.status == ReviewStatus.PENDING
    assert review.moderation_reason == "auto-publish is off: every review waits for a moderator"


def test_a_flagged_five_star_review_waits_with_its_reasons(store):
    placed = order(store)
    review = do_submit_review(
        store,
        placed.customer,
        placed,
        product(store),
        5,
        "BEST EVER",
        "Total crap copy, better ones at http://other.example",
        now=NOW,
    )
    assert review.status == ReviewStatus.PENDING
    assert review.flags == [PROFANITY, SPAM]
    assert review.moderation_reason == (
        "spam: a link in the text (http://other.example); profanity: blocked word 'crap'"
    )


def test_the_same_text_again_from_the_same_customer_is_spam(store):
    placed = order(store, products=(("p1", "A"), ("p2", "B")))
    text = "Fantastic sound, would buy again from this shop."
    first = do_submit_review(
        store, placed.customer, placed, product(store, "p1"), 5, "", text, now=NOW
    )
    second = do_submit_review(
        store,
        placed.customer,
        placed,
        product(store, "p2"),
        5,
        "",
        "  fantastic SOUND, would buy again from this shop. ",
        now=NOW,
    )
    assert first.status == ReviewStatus.PUBLISHED
    assert second.status == ReviewStatus.PENDING
    assert "the same text as another review of this customer" in second.moderation_reason
    # Short texts ("Great!") may repeat.
    other = order(store, "1002", products=(("p3", "C"), ("p4", "D")))
    a = do_submit_review(
        store, other.customer, other, product(store, "p3"), 5, "", "Great!", now=NOW
    )
    b = do_submit_review(
        store, other.customer, other, product(store, "p4"), 5, "", "Great!", now=NOW
    )
    assert (a.status, b.status) == (ReviewStatus.PUBLISHED, ReviewStatus.PUBLISHED)


def test_many_reviews_by_one_customer_within_an_hour_are_held(store):
    products = tuple((f"p{n}", f"Record {n}") for n in range(7))
    order(store, products=products)
    buyer = customer(store)
    statuses = []
    for n in range(7):
        review = do_submit_review(
            store, buyer, None, product(store, f"p{n}"), 5, "", f"review {n}",
            now=NOW + timedelta(minutes=n), source=ReviewSource.API,
        )  # fmt: skip
        statuses.append(review.status)
    limit = moderation.MAX_OTHER_REVIEWS_PER_CUSTOMER_PER_HOUR
    assert statuses[:limit] == [ReviewStatus.PUBLISHED] * limit
    assert statuses[limit:] == [ReviewStatus.PENDING] * (7 - limit)
    # An hour later the count starts again.
    order(store, "1002", products=(("late", "Late"),))
    later = do_submit_review(
        store, buyer, None, product(store, "late"), 5, "", "late one",
        now=NOW + timedelta(hours=2), source=ReviewSource.API,
    )  # fmt: skip
    assert later.status == ReviewStatus.PUBLISHED


def test_a_whole_order_reviewed_at_once_is_not_a_flood(store):
    products = tuple((f"p{n}", f"Record {n}") for n in range(8))
    placed = order(store, products=products)
    reviews = [
        do_submit_review(
            store, placed.customer, placed, product(store, f"p{n}"), 5, "", f"r{n}", now=NOW
        )
        for n in range(8)
    ]
    assert {review.status for review in reviews} == {ReviewStatus.PUBLISHED}


def test_a_flood_from_one_address_is_held(store, settings):
    settings.REGULARS_REVIEWS_PER_IP_PER_HOUR = 2
    placed = order(store, products=(("p1", "A"), ("p2", "B"), ("p3", "C")))
    with time_machine.travel(NOW, tick=False):
        statuses = [
            do_submit_review(
                store, placed.customer, placed, product(store, f"p{n}"), 5, "", f"text {n}",
                now=NOW, ip="203.0.113.5",
            ).status
            for n in (1, 2, 3)
        ]  # fmt: skip
    assert statuses == [ReviewStatus.PUBLISHED, ReviewStatus.PUBLISHED, ReviewStatus.PENDING]
