"""`regulars import reviews FILE`: Judge.me's export, Yotpo's export and the generic CSV (the
small files in tests/data, each with bad rows). Rejected rows are listed with their line and
column, the others are imported, the exit code is 2; importing the same file again creates
nothing; verified only by our own check; the file's moderation decision kept."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from regulars.commerce.models import ImportRun
from regulars.commerce.schemas import ProductIn
from regulars.commerce.services import upsert_product
from regulars.core.events import subscribe, unsubscribe
from regulars.feedback import events
from regulars.feedback.models import ProductRating, Review, ReviewSource, ReviewStatus
from regulars.feedback.tests.review_data import order, product

DATA = Path(__file__).parent / "data"


@pytest.fixture
def shop(store):
    """Blue Train (p1) and Kind of Blue (p2) with their product pages; c1 bought and received
    Blue Train."""
    for external_id, title, handle in (
        ("p1", "Blue Train LP", "blue-train"),
        ("p2", "Kind of Blue", "kind-of-blue"),
    ):
        upsert_product(
            store,
            ProductIn(
                external_id=external_id,
                title=title,
                url=f"https://shop.example/products/{handle}",
            ),
            source="api",
        )
    order(store, "1001", customer="c1", products=(("p1", "Blue Train LP"),))
    return store


def run_import(store, name: str, *extra) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "import",
            "reviews",
            str(DATA / name),
            "--store",
            store.slug,
            "--no-progress",
            *extra,
            stdout=out,
            stderr=err,
        )
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def problems(err: str, name: str) -> list[str]:
    """The rows listed on stderr: "<line>: <column>: <reason>"."""
    prefix = f"{DATA / name}:"
    rows = [line.removeprefix(prefix) for line in err.splitlines() if line.startswith(prefix)]
    return [row for row in rows if row.split(":", 1)[0].isdigit()]


def assert_figures_exact(store):
    for rating in ProductRating.objects.filter(store=store):
        published = Review.objects.filter(product=rating.product, status=ReviewStatus.PUBLISHED)
        figures = published.aggregate(n=Count("pk"), total=Sum("rating"))
        assert (rating.count, rating.total) == (figures["n"], figures["total"] or 0)


def test_a_judgeme_export_is_imported_with_its_bad_rows_listed(shop):
    code, out, err = run_import(shop, "judgeme_reviews.csv")
    assert code == 2
    assert problems(err, "judgeme_reviews.csv") == [
        "6: rating: '7' is not from 1 to 5 stars",
        "7: review_date: 'yesterday' is not an ISO 8601 date and time",
        "8: product_id: no product of this store has the id 'p404'; import the products (or"
        " orders) first",
        "9: reviewer_email: 'not-an-email' is not an e-mail address",
    ]
    assert "4 rows were rejected; see above" in err
    assert "(Judge.me export)" in out
    assert "reviews created:       5" in out
    assert "2 photo addresses queued for download" in out

    reviews = {r.title: r for r in Review.objects.filter(store=shop)}
    assert set(reviews) == {"Superb pressing", "Meh", "Cheap watches", "By its handle", "Not yet"}
    superb = reviews["Superb pressing"]
    assert (superb.status, superb.verified, superb.customer.external_id) == (
        ReviewStatus.PUBLISHED,
        True,
        "c1",
    )
    assert superb.source == ReviewSource.IMPORT
    assert superb.reply == "Thanks, Ana!"
    assert superb.replied_at.isoformat() == "2025-03-03T09:00:00+00:00"
    assert superb.written_at.isoformat() == "2025-03-02T10:12:00+00:00"
    assert superb.published_at == superb.written_at
    assert len(superb.external_id) == 64  # Judge.me exports no id: a hash of the review
    # A buyer's review is verified by our own check only: Ben bought nothing.
    assert (reviews["Meh"].status, reviews["Meh"].verified) == (ReviewStatus.PUBLISHED, False)
    assert reviews["Cheap watches"].status == ReviewStatus.REJECTED
    assert reviews["Cheap watches"].moderation_reason == "marked as spam in Judge.me"
    assert reviews["By its handle"].product == product(shop, "p2")
    # Not curated yet in Judge.me: our own checks decide.
    assert reviews["Not yet"].status == ReviewStatus.PENDING
    assert reviews["Not yet"].flags == ["profanity"]
    assert_figures_exact(shop)
    assert ProductRating.objects.get(product=product(shop, "p1")).count == 2
    run = ImportRun.objects.get(store=shop, kind="reviews")
    assert (run.status, run.created, run.rejected, run.rows_done) == ("done_with_errors", 5, 4, 9)


def test_importing_the_same_file_again_creates_nothing(shop):
    run_import(shop, "judgeme_reviews.csv")
    before = list(Review.objects.order_by("pk").values_list("pk", "external_id", "status"))
    code, out, _ = run_import(shop, "judgeme_reviews.csv")
    assert code == 2  # the same rows are still wrong
    assert "reviews created:       0" in out
    assert "already imported:     5" in out
    assert list(Review.objects.order_by("pk").values_list("pk", "external_id", "status")) == before


def test_a_yotpo_export_is_imported(shop):
    code, out, err = run_import(shop, "yotpo_reviews.csv")
    assert code == 2
    assert problems(err, "yotpo_reviews.csv") == [
        "5: review_score: is empty; give 1 to 5 stars",
        "6: date: '2099-01-01' is in the future",
    ]
    assert "(Yotpo export)" in out
    # The last row repeats the first: the same review, kept once.
    assert "reviews created:       3" in out and "already imported:     1" in out
    reviews = {r.title: r for r in Review.objects.filter(store=shop)}
    love = reviews["Love it"]
    assert (love.status, love.verified, love.rating, love.author_name) == (
        ReviewStatus.PUBLISHED,
        True,
        5,
        "Ana S.",
    )
    assert love.reply == "Glad you like it!"
    assert (reviews["Nope"].status, reviews["Nope"].moderation_reason) == (
        ReviewStatus.HIDDEN,
        "not published in Yotpo",
    )
    url_match = reviews["From the URL"]
    assert (url_match.product, url_match.rating) == (product(shop, "p2"), 4)
    assert_figures_exact(shop)
    assert run_import(shop, "yotpo_reviews.csv")[1].count("reviews created:       0") == 1


def test_the_generic_csv_is_imported_by_its_external_ids(shop):
    code, out, err = run_import(shop, "generic_reviews.csv")
    assert code == 2
    assert problems(err, "generic_reviews.csv") == [
        "6: status: 'archived' is not one of pending, published, rejected, hidden",
        "7: product_external_id: is empty; each review needs its product",
        "8: body: has 4 columns; the header has 10",
    ]
    assert "reviews created:       3" in out and "already imported:     1" in out
    reviews = {r.external_id: r for r in Review.objects.filter(store=shop)}
    assert set(reviews) == {"r-1", "r-2", "r-3"}
    assert reviews["r-1"].body == 'Two lines,\nwith "quotes" and <b>tags</b>'
    assert (reviews["r-1"].status, reviews["r-1"].verified) == (ReviewStatus.PUBLISHED, True)
    # No status in the file: 3 stars is below the auto-publish rating.
    assert reviews["r-2"].status == ReviewStatus.PENDING
    assert reviews["r-2"].reply == "Thanks for telling us"
    assert reviews["r-2"].replied_at == reviews["r-2"].written_at
    assert reviews["r-3"].status == ReviewStatus.HIDDEN
    assert_figures_exact(shop)


def test_a_dry_run_counts_and_writes_nothing(shop):
    code, out, _ = run_import(shop, "generic_reviews.csv", "--dry-run")
    assert code == 2
    assert "Checked (dry run, nothing written)" in out
    assert "reviews to create:     3" in out
    assert not Review.objects.exists()
    assert not ImportRun.objects.filter(kind="reviews").exists()


def test_a_file_that_is_no_reviews_export_is_refused_as_a_whole(shop, tmp_path):
    other = tmp_path / "orders.csv"
    other.write_text("Name,Email,Total\n#1001,a@example.com,10\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "reviews", str(other), "--store", shop.slug, stdout=out, stderr=err)
    assert exit_.value.code == 2
    assert "is not a reviews CSV that Regulars knows" in err.getvalue()
    code, _, err = run_import(shop, "generic_reviews.csv", "--format", "yotpo")
    assert code == 2
    assert "is missing the columns review_score, date, product_id of the Yotpo export" in err


def test_imports_emit_no_review_events_and_touch_no_other_store(
    shop, other_store, django_capture_on_commit_callbacks
):
    upsert_product(other_store, ProductIn(external_id="p1", title="Other p1"), source="api")
    heard = []

    def hear(**payload):
        heard.append(payload)

    subscribe(events.REVIEW_POSTED, hear)
    subscribe(events.REVIEW_PUBLISHED, hear)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run_import(shop, "generic_reviews.csv")
    finally:
        unsubscribe(events.REVIEW_POSTED, hear)
        unsubscribe(events.REVIEW_PUBLISHED, hear)
    assert heard == []
    assert not Review.objects.filter(store=other_store).exists()
    assert not ProductRating.objects.filter(store=other_store).exists()
