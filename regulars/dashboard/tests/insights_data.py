"""Stores with Insights figures for the dashboard tests, made the way the product makes them:
orders through the commerce services, survey answers through their import, then the full
refresh the worker runs."""

import random
import re
from datetime import timedelta
from pathlib import Path

from regulars.commerce.models import Customer
from regulars.insights.models import CustomerScore, StoreInsights
from regulars.insights.services import do_refresh_insights
from regulars.insights.tests.history import NOW, START, build_history, paid_order
from regulars.insights.tests.surveys_csv import answer, given_responses

# Enough customers for both models to be fitted and the holdout check to run, few enough for
# a quick test (about 110 orders).
CUSTOMERS = 40

_NPS = [("c1", "2025-12-03", 10), ("c2", "2025-12-15", 6), ("c3", "2026-01-10", 9),
        ("c4", "2026-02-02", 8), ("c5", "2026-02-20", 3)]  # fmt: skip
_CSAT = [("c1", "2026-01-05", 5), ("c6", "2026-01-22", 4), ("c7", "2026-02-11", 2)]


def store_with_report(
    store, tmp_path: Path, *, customers: int = CUSTOMERS, seed: int = 7
) -> StoreInsights:
    """`store` with a purchase history, NPS and CSAT answers, and its figures computed at NOW:
    every chart of the Insights page has data. Customers are c0, c1, ... in every store; the
    seed makes their orders differ."""
    build_history(store, customers=customers, seed=seed)
    for kind, answers in (("nps", _NPS), ("csat", _CSAT)):
        rows = [answer(f"{who}@example.com", date=day, score=score) for who, day, score in answers]
        given_responses(tmp_path, store, kind, rows, name=f"{store.slug}-{kind}.csv")
    return do_refresh_insights(store, now=NOW)


def store_whose_spend_model_cannot_be_fitted(store) -> StoreInsights:
    """Customers whose spend differs by up to five orders of magnitude: BG/NBD is fitted, the
    Gamma-Gamma spend model is refused (its mean spend would be infinite)."""
    rng = random.Random(3)
    for n in range(40):
        moment = START + timedelta(days=rng.randrange(0, 300))
        scale = 10 ** rng.uniform(0, 5)
        for k in range(rng.choice([1, 1, 2, 3, 4, 6])):
            total = f"{scale * rng.uniform(0.5, 1.5):.2f}"
            paid_order(store, f"{n}-{k}", f"c{n}", moment, total=total)
            moment += timedelta(days=rng.randrange(7, 60))
    return do_refresh_insights(store, now=NOW)


def scored(store, **where) -> tuple[Customer, CustomerScore]:
    """A scored customer of `store` matching `where` (fields of CustomerScore), the first by
    id, so a test always picks the same one."""
    score = CustomerScore.objects.filter(store=store, **where).order_by("customer_id").first()
    assert score is not None, f"no customer of {store.slug} scored with {where}"
    return score.customer, score


def kpi(html: str, label: str) -> tuple[str, str]:
    """The value and the note of the Insights page's key-figure tile called `label`."""
    found = re.search(
        rf'<span class="kpi__label">{re.escape(label)}</span>'
        r'<span class="kpi__value">([^<]*)</span><span class="kpi__note">([^<]*)</span>',
        html,
    )
    assert found, f"no {label!r} tile"
    return found.group(1), found.group(2)
