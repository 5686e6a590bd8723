"""The demo's feedback: NPS answers a day after delivery and product reviews a week after, in
the customers' languages, so that the inbox, the reviews widget and the NPS figures have
something to show at the first login.

Plausible rather than real (the CDNOW log has no feedback): about a third of the delivered
orders of the last year answered the NPS question (mostly promoters, a fifth detractors), and
one line in eight was reviewed (mostly 4 and 5 stars). Reviews of 4 stars and more are
published, as the default auto-publish rating does; the others of the last three weeks wait
for moderation, the older ones were approved. The store has answered everything older than
two months and most of the month before; the last three weeks wait in the inbox. Rows are plain dicts for demo.bulk, like the rest of the demo.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from regulars.commerce.models import FulfillmentStatus

LOOKBACK = timedelta(days=365)
ANSWER_SHARE = 0.35
REVIEW_SHARE = 0.12
# The store keeps up with its inbox: everything older than KEPT_UP has its reply, most of what
# is older than REPLIED_AFTER, nothing newer.
REPLIED_AFTER = timedelta(days=21)
KEPT_UP = timedelta(days=60)

# NPS scores 0..10, weighted like a well-liked small shop (NPS about +35).
_NPS_WEIGHTS = [2, 1, 1, 2, 2, 4, 8, 10, 15, 25, 30]
_RATING_WEIGHTS = {1: 4, 2: 4, 3: 9, 4: 25, 5: 58}

# Words by language and mood: detractor/low, passive/middle, promoter/high.
_COMMENTS = {
    "en": {
        "low": [
            "The parcel arrived late and the case was cracked.",
            "Nobody answered my e-mail about the missing CD.",
            "Shipping cost more than the album.",
        ],
        "mid": [
            "Good music, but delivery took a while.",
            "Fine, though the packaging could be better.",
        ],
        "high": [
            "Fast delivery and the vinyl was perfectly packed!",
            "Great selection, I always find rare records here.",
            "Friendly service and quick shipping.",
        ],
    },
    "th": {
        "low": ["ส่งช้ามาก กล่องบุบด้วย", "แผ่นมีรอยขีดข่วน ผิดหวังค่ะ"],
        "mid": ["สินค้าโอเค แต่ส่งช้าไปหน่อย", "เพลงดี แต่แพ็คของธรรมดา"],
        "high": ["ส่งเร็วมาก แพ็คของดีมากค่ะ", "ร้านนี้มีแผ่นหายากเยอะ ประทับใจ", "บริการดี ส่งไว"],
    },
    "hy": {
        "low": ["Առաքումը շատ ուշացավ, տուփը վնասված էր։", "Ոչ ոք չպատասխանեց իմ նամակին։"],
        "mid": ["Լավ երաժշտություն, բայց առաքումը երկար տևեց։"],
        "high": ["Արագ առաքում և հիանալի փաթեթավորում։", "Հրաշալի ընտրանի, շնորհակալություն։"],
    },
}
_TITLES = {
    "en": {"low": "Disappointed", "mid": "Decent", "high": "Love it"},
    "th": {"low": "ผิดหวัง", "mid": "พอใช้", "high": "ชอบมาก"},
    "hy": {"low": "Հիասթափված եմ", "mid": "Նորմալ", "high": "Շատ հավանեցի"},
}
_REPLIES = {
    "en": "Thank you for telling us. We are sorry and have written to you to put it right.",
    "th": "ขอบคุณที่แจ้งให้ทราบค่ะ ทางร้านขออภัยและได้ติดต่อกลับไปแล้วค่ะ",
    "hy": "Շնորհակալություն, որ տեղեկացրիք։ Ներողություն ենք խնդրում, արդեն գրել ենք ձեզ։",
}
_THANKS = {
    "en": "Thank you so much! Enjoy the music.",
    "th": "ขอบคุณมากค่ะ ขอให้สนุกกับเพลงนะคะ",
    "hy": "Շատ շնորհակալություն։ Վայելեք երաժշտությունը։",
}


@dataclass
class Feedback:
    sends: list[dict] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)
    responses: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)


def _replied(rng: random.Random, age: timedelta) -> bool:
    return age > KEPT_UP or (age > REPLIED_AFTER and rng.random() < 0.7)


def _mood_of_score(score: int) -> str:
    return "low" if score <= 6 else "mid" if score <= 8 else "high"


def _mood_of_rating(rating: int) -> str:
    return "low" if rating <= 2 else "mid" if rating == 3 else "high"


def _language(person: dict) -> str:
    return person["language"] if person["language"] in _COMMENTS else "en"


def make_feedback(
    rng: random.Random,
    *,
    survey_id: int,
    send_ids,
    response_ids,
    orders: list[dict],
    lines_of: list[list[dict]],
    fulfillments: list[dict],
    people_by_id: dict[int, dict],
    end: datetime,
) -> Feedback:
    """NPS answers and reviews for the orders delivered in the year before `end`. `send_ids`
    and `response_ids` hand out ids (core.bulkload.new_ids) so answers can point at them."""
    feedback = Feedback()
    delivered = {
        f["order_id"]: f["delivered_at"]
        for f in fulfillments
        if f["status"] == FulfillmentStatus.DELIVERED and f["delivered_at"] is not None
    }
    for order, lines in zip(orders, lines_of, strict=True):
        at = delivered.get(order["id"])
        if at is None or at < end - LOOKBACK:
            continue
        person = people_by_id[order["customer_id"]]
        language = _language(person)
        answered_at = at + timedelta(days=1, minutes=rng.randint(0, 600))
        if rng.random() < ANSWER_SHARE and answered_at < end:
            _answer(
                rng,
                feedback,
                survey_id,
                send_ids,
                response_ids,
                order,
                person,
                language,
                answered_at,
                end,
            )
        written_at = at + timedelta(days=7, minutes=rng.randint(0, 2000))
        reviewed = set()
        for line in lines:
            product_id = line["product_id"]
            if product_id in reviewed or written_at >= end or rng.random() >= REVIEW_SHARE:
                continue
            reviewed.add(product_id)
            feedback.reviews.append(
                _review(rng, order, product_id, person, language, written_at, end)
            )
    return feedback


def _answer(rng, feedback, survey_id, send_ids, response_ids, order, person, language, at, end):
    score = rng.choices(range(11), _NPS_WEIGHTS)[0]
    mood = _mood_of_score(score)
    comment = rng.choice(_COMMENTS[language][mood]) if rng.random() < 0.45 else ""
    send_id, response_id = next(send_ids), next(response_ids)
    feedback.sends.append(
        {
            "id": send_id,
            "survey_id": survey_id,
            "customer_id": person["id"],
            "order_id": order["id"],
            "channel": "email",
            "source": "journey:delivery_followup",
            "key": f"demo:{order['id']}",
        }
    )
    replied = bool(comment) and _replied(rng, end - at)
    feedback.answers.append(
        {
            "send_id": send_id,
            "survey_id": survey_id,
            "customer_id": person["id"],
            "score": score,
            "comment": comment,
            "answers": {},
            "language": language,
            "response_id": response_id,
            "reply": (_REPLIES if mood == "low" else _THANKS)[language] if replied else "",
            "replied_at": at + timedelta(hours=rng.randint(2, 30)) if replied else None,
            "answered_at": at,
        }
    )
    feedback.responses.append(
        {
            "id": response_id,
            "customer_id": person["id"],
            "order_id": order["id"],
            "kind": "nps",
            "score": score,
            "comment": comment,
            "channel": "email",
            "source": "survey",
            "external_id": f"send:{send_id}",
            "answered_at": at,
        }
    )


def _review(rng, order, product_id, person, language, written_at, end) -> dict:
    rating = rng.choices(list(_RATING_WEIGHTS), list(_RATING_WEIGHTS.values()))[0]
    mood = _mood_of_rating(rating)
    # Below the auto-publish rating a review waits; the store has approved the older ones.
    published = rating >= 4 or end - written_at > REPLIED_AFTER
    reply = ""
    if _replied(rng, end - written_at):
        reply = _REPLIES[language] if mood == "low" else _THANKS[language]
    return {
        "product_id": product_id,
        "customer_id": person["id"],
        "order_id": order["id"],
        "rating": rating,
        "title": _TITLES[language][mood],
        "body": rng.choice(_COMMENTS[language][mood]),
        "author_name": f"{person['first_name']} {person['last_name'][:1]}.".strip(),
        "author_email": person["email"],
        "language": language,
        "verified": True,
        "status": "published" if published else "pending",
        "moderation_reason": "" if published else "below the auto-publish rating",
        "flags": [],
        "source": "request",
        "reply": reply,
        "replied_at": written_at + timedelta(hours=rng.randint(3, 48)) if reply else None,
        "written_at": written_at,
        "published_at": (written_at if rating >= 4 else written_at + timedelta(days=1))
        if published
        else None,
    }


def product_ratings(reviews: list[dict]) -> list[dict]:
    """Each reviewed product's published figures (what feedback keeps in ProductRating)."""
    figures: dict[int, dict] = {}
    for review in reviews:
        if review["status"] != "published":
            continue
        row = figures.setdefault(
            review["product_id"],
            {"product_id": review["product_id"], "count": 0, "total": 0}
            | {f"stars_{stars}": 0 for stars in range(1, 6)},
        )
        row["count"] += 1
        row["total"] += review["rating"]
        row[f"stars_{review['rating']}"] += 1
    return list(figures.values())
