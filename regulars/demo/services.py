"""The demo store: built from the bundled CDNOW purchase log, plus the demo login.

The builder writes straight to the commerce tables with `bulk_create` instead of going through
the upsert services: a quarter of a million rows must land in seconds, and the demo's history is
not news, so no domain events are emitted for it. It then recounts the customers' figures with
`refresh_customer_stats`, as the services would have.

Everything generated comes from `random.Random` streams seeded with "<seed>:<part>", consumed in a
fixed order, so a seed and a `today` give the same store every time.
"""

import os
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from regulars.commerce.models import (
    Cart,
    Customer,
    Event,
    Fulfillment,
    Order,
    OrderLine,
    Product,
    Source,
)
from regulars.commerce.services import refresh_customer_stats
from regulars.core.bulkload import new_ids, refresh_planner_statistics
from regulars.core.models import Membership, Store
from regulars.core.roles import Role
from regulars.core.services import do_create_store
from regulars.demo import activity
from regulars.demo.bulk import insert_rows
from regulars.demo.catalog import GENRES, catalog_size, make_catalog
from regulars.demo.dataset import last_day as log_last_day
from regulars.demo.dataset import load_histories
from regulars.demo.feedback import make_feedback, product_ratings
from regulars.demo.orders import Placement, make_sales, placed_times, shift_for
from regulars.demo.people import make_customer
from regulars.feedback.models import ProductRating, Review, SurveyAnswer, SurveySend
from regulars.feedback.services.surveys import ensure_surveys
from regulars.insights.models import SurveyResponse
from regulars.insights.services import do_refresh_insights
from regulars.messaging.services.templates import ensure_default_templates

DEMO_EMAIL = "demo@regulars.example"
STORE_NAME = "Regulars Demo Records"
STORE_TIMEZONE = "America/New_York"
LOGIN_FILE_NAME = "demo-login.txt"
DEFAULT_SEED = 7
CUSTOMERS_PER_CART = 80  # about 300 abandoned carts for the whole log


@dataclass(frozen=True)
class DemoLogin:
    url: str
    email: str
    password: str | None  # None when it was changed after the first build
    path: Path


@dataclass
class BuildSummary:
    store: Store
    login: DemoLogin
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def login_file() -> Path:
    return Path(settings.VAR_DIR) / LOGIN_FILE_NAME


def demo_today() -> date:
    """Today in the demo store's time zone: the day the demo ends."""
    return datetime.now(UTC).astimezone(ZoneInfo(STORE_TIMEZONE)).date()


def find_demo_store(slug: str) -> Store | None:
    return Store.objects.filter(slug=slug).first()


# --- the demo login ---------------------------------------------------------------------------


def _saved_password(path: Path) -> str | None:
    if not path.exists():
        return None
    for line in path.read_text().splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "password" and value.strip():
            return value.strip()
    return None


def _save_login(path: Path, url: str, password: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # also when the file existed with looser rights
    with os.fdopen(descriptor, "w") as out:
        out.write(
            "# The Regulars demo login, written by `regulars demo`. Keep it private.\n"
            f"url: {url}\nemail: {DEMO_EMAIL}\npassword: {password}\n"
        )


def do_ensure_demo_login(store: Store | None = None) -> DemoLogin:
    """The demo staff user (not a superuser), owner of `store`; its password is made on first
    use and kept in VAR_DIR/demo-login.txt (mode 0600). A password changed since is kept."""
    path, url = login_file(), f"{settings.BASE_URL}/"
    saved = _saved_password(path)
    User = get_user_model()
    user = User.objects.filter(username=DEMO_EMAIL).first()
    password: str | None = saved
    if user is None:
        password = saved or secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=DEMO_EMAIL, email=DEMO_EMAIL, password=password, is_staff=True
        )
        _save_login(path, url, password)
    elif saved is None:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        _save_login(path, url, password)
    elif not user.check_password(saved):
        password = None
    if store is not None:
        Membership.objects.update_or_create(store=store, user=user, defaults={"role": Role.OWNER})
    return DemoLogin(url=url, email=DEMO_EMAIL, password=password, path=path)


# --- building ---------------------------------------------------------------------------------


def _favourites(rng: random.Random, count: int) -> list[str]:
    genres = [genre.name for genre in GENRES]
    weights = [genre.products for genre in GENRES]
    return [rng.choices(genres, weights)[0] for _ in range(count)]


def do_delete_store(store: Store) -> None:
    """Remove a store and its data; the large tables first, leaf rows before their parents."""
    with transaction.atomic():
        for model in (ProductRating, Review, SurveyAnswer, SurveySend, SurveyResponse):
            model.objects.filter(store=store).delete()
        for model in (Event, Cart, Fulfillment, OrderLine, Order, Product, Customer):
            model.objects.filter(store=store).delete()
        store.delete()


class _Writer:
    """Inserts rows of one store and reports each table with the time since the start."""

    def __init__(self, store: Store, progress: Callable[[str], None]):
        self.store, self.progress, self.started = store, progress, time.monotonic()
        self.counts: dict[str, int] = {}

    def __call__(self, label: str, model, rows: list[dict], **fixed) -> None:
        insert_rows(model, rows, fixed={"store_id": self.store.pk, **fixed})
        self.counts[label] = len(rows)
        self.progress(f"  {label:<12} {len(rows):>8,}   {time.monotonic() - self.started:5.1f} s")


def do_build_demo(
    *,
    seed: int = DEFAULT_SEED,
    customers: int | None = None,
    today: date,
    slug: str = "demo",
    progress: Callable[[str], None] = lambda message: None,
) -> BuildSummary:
    """Build the demo store `slug`, ending the day before `today`. The slug must be free."""
    started = time.monotonic()

    def stream(part: str) -> random.Random:
        return random.Random(f"{seed}:{part}")

    histories = load_histories(customers=customers, rng=stream("sample"))
    shift = shift_for(log_last_day(histories), today)
    zone = ZoneInfo(STORE_TIMEZONE)
    end = datetime(today.year, today.month, today.day, tzinfo=zone).astimezone(UTC)
    times_rng = stream("times")
    placed = [placed_times(times_rng, history, shift, zone) for history in histories]
    progress(f"  read the CDNOW log: {len(histories):,} customers, shifted by {shift.days:,} days")
    demo = {"source": Source.DEMO}
    with transaction.atomic():
        store = do_create_store(
            name=STORE_NAME, currency="USD", timezone_name=STORE_TIMEZONE, language="en", slug=slug
        )
        login = do_ensure_demo_login(store)
        write = _Writer(store, progress)
        people_rng, customer_ids = stream("people"), new_ids(Customer, len(histories))
        people = [
            make_customer(
                people_rng,
                pk=pk,
                external_id=h.customer_id,
                first_order_at=t[0],
                end=end,
                today=today,
            )
            for pk, h, t in zip(customer_ids, histories, placed, strict=True)
        ]
        write("customers", Customer, people, **demo)
        catalog = make_catalog(stream("catalog"), new_ids(Product, catalog_size()), "USD")
        write("products", Product, catalog.products, **demo)
        placements = [
            Placement(moment, index, purchase)
            for index, history in enumerate(histories)
            for moment, purchase in zip(placed[index], history.purchases, strict=True)
        ]
        favourites = _favourites(stream("taste"), len(people))
        sales = make_sales(
            stream("orders"),
            new_ids(Order, len(placements)),
            placements,
            people,
            favourites,
            catalog,
            end,
        )
        write("orders", Order, sales.orders, currency="USD", **demo)
        write("order lines", OrderLine, sales.lines)
        write("shipments", Fulfillment, sales.fulfillments, **demo)
        shoppers = [
            activity.Shopper(person, favourite, moments[-1])
            for person, favourite, moments in zip(people, favourites, placed, strict=True)
        ]
        carts = activity.make_carts(
            stream("carts"),
            shoppers,
            catalog,
            sales.orders,
            sales.lines_of,
            max(5, round(len(people) / CUSTOMERS_PER_CART)),
            end,
        )
        write("carts", Cart, carts, currency="USD", **demo)
        events = activity.make_events(
            stream("events"), shoppers, catalog, sales.orders, sales.lines_of, carts, end
        )
        write("events", Event, events)
        feedback = make_feedback(
            stream("feedback"),
            survey_id=ensure_surveys(store)["nps"].pk,
            send_ids=iter(new_ids(SurveySend, len(sales.orders))),
            response_ids=iter(new_ids(SurveyResponse, len(sales.orders))),
            orders=sales.orders,
            lines_of=sales.lines_of,
            fulfillments=sales.fulfillments,
            people_by_id={person["id"]: person for person in people},
            end=end,
        )
        write("survey sends", SurveySend, feedback.sends)
        write("survey responses", SurveyResponse, feedback.responses)
        write("survey answers", SurveyAnswer, feedback.answers)
        write("reviews", Review, feedback.reviews)
        write("ratings", ProductRating, product_ratings(feedback.reviews))
        refresh_planner_statistics(Customer, Product, Order, OrderLine, Fulfillment, Cart, Event)
        refresh_customer_stats(store)
        progress(f"  customer figures recounted   {time.monotonic() - write.started:5.1f} s")
    # The Insights page and the customers' scores are there at the first login, not after the
    # worker's first nightly tick.
    insights = do_refresh_insights(store)
    progress(f"  insights and scores computed {insights.seconds:5.1f} s")
    # "Send me a test" and the template editor start from the built-in templates.
    ensure_default_templates(store)
    return BuildSummary(
        store=store, login=login, counts=write.counts, seconds=time.monotonic() - started
    )
