"""Reading a customer's scores for the pages that show them (read only: services write).

A score row holds numbers; a page also needs to say why a number is missing. The reasons come
from the store's last full refresh, which kept why a model could not be fitted.
"""

from dataclasses import dataclass

from django.db.models.fields.json import KT

from regulars.commerce.models import Customer
from regulars.core.models import Store
from regulars.insights.models import CustomerScore, InsightsSettings, StoreInsights
from regulars.insights.services import EXPECTED_ORDERS_DAYS, settings_for

# Said when the last refresh kept no reason: its fit could not score the orders changed since
# (a rescoring between refreshes), or the report is gone.
_NO_FIT = "The purchase model could not score this customer's orders; the next refresh retries."
_NO_SPEND_FIT = "The spend model could not score this customer's orders; the next refresh retries."
_NO_NEXT_ORDER = (
    "Fewer than one more order is expected within the longest customer history the model was"
    " fitted on."
)


@dataclass(frozen=True)
class Loyalty:
    """A customer's scores with what the page needs to read them."""

    score: CustomerScore
    settings: InsightsSettings
    expected_orders_days: int
    # Why a figure is None ("" when it is there).
    model_problem: str
    value_problem: str
    next_order_problem: str

    @property
    def modelled(self) -> bool:
        """Whether the purchase model scored this customer (P(alive) and the rest)."""
        return self.score.p_alive is not None

    @property
    def single_purchase(self) -> bool:
        """No repeat purchase yet: BG/NBD keeps P(alive) at 1 until the next one."""
        return self.modelled and self.score.frequency == 0


def score_for(store: Store, customer: Customer) -> CustomerScore | None:
    return CustomerScore.objects.filter(store=store, customer=customer).first()


def loyalty_for(store: Store, customer: Customer) -> Loyalty | None:
    """The customer's scores and the reasons for any missing figure; None if not scored yet
    (or if `customer` is not the store's: every read is scoped by store)."""
    score = score_for(store, customer)
    if score is None:
        return None
    model_problem = value_problem = next_order_problem = ""
    if score.p_alive is None:
        model_problem = _fit_problems(store)[0] or _NO_FIT
    else:
        if score.predicted_clv is None:
            value_problem = _fit_problems(store)[1] or _NO_SPEND_FIT
        if score.expected_next_order_at is None:
            next_order_problem = _NO_NEXT_ORDER
    return Loyalty(
        score=score,
        settings=settings_for(store),
        expected_orders_days=EXPECTED_ORDERS_DAYS,
        model_problem=model_problem,
        value_problem=value_problem,
        next_order_problem=next_order_problem,
    )


def _fit_problems(store: Store) -> tuple[str, str]:
    """Why the last refresh fitted no purchase model and no spend model: only these two texts
    of the report, not its whole figures."""
    found = (
        StoreInsights.objects.filter(store=store)
        .values_list(KT("figures__clv__problem"), KT("figures__clv__gamma_gamma_problem"))
        .first()
    )
    if found is None:
        return "", ""
    return found[0] or "", found[1] or ""
