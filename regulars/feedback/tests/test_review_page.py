"""The review page of a signed link: the order's products, a form each, no JavaScript; one
review per product and order, editable while it waits for moderation, then closed; the
customer's own text shown as text; the customer's language."""

import re

import pytest
from django.test import Client

from regulars.feedback.models import ProductRating, Review, ReviewStatus
from regulars.feedback.tests.review_data import order, product, review_path, settings_of


def products_of_two(store):
    return order(store, products=(("p1", "Blue Train LP"), ("p2", "Kind of Blue")))


def test_the_page_lists_each_product_of_the_order_with_a_star_form(client, store):
    placed = products_of_two(store)
    page = client.get(review_path(placed))
    assert page.status_code == 200
    html = page.content.decode()
    assert "How do you like your order #1001?" in html
    assert "Blue Train LP" in html and "Kind of Blue" in html
    for pk in (product(store, "p1").pk, product(store, "p2").pk):
        for stars in range(1, 6):
            assert f'id="rating-{pk}-{stars}"' in html
    assert html.count('enctype="multipart/form-data"') == 2
    assert html.count("csrfmiddlewaretoken") == 2
    assert "<script" not in html  # works without JavaScript
    assert page["X-Robots-Tag"] == "noindex"


def test_sending_the_form_publishes_a_five_star_review_and_thanks_the_customer(client, store):
    placed = products_of_two(store)
    path = review_path(placed)
    blue = product(store, "p1")
    sent = client.post(
        path, {"product": blue.pk, "rating": "5", "title": "Superb", "body": "Plays perfectly."}
    )
    assert sent.status_code == 303
    assert sent["Location"] == f"{path}?saved={blue.pk}#product-{blue.pk}"
    review = Review.objects.get()
    assert (review.product, review.order, review.rating) == (blue, placed, 5)
    assert review.status == ReviewStatus.PUBLISHED
    assert review.verified is True
    thanks = client.get(sent["Location"]).content.decode()
    assert "Thank you! Your review is published." in thanks
    # Published: the form of that product is gone, the other product's is still there.
    assert f'id="rating-{blue.pk}-5"' not in thanks
    assert f'id="rating-{product(store, "p2").pk}-5"' in thanks
    assert ProductRating.objects.get(product=blue).count == 1


def test_a_second_submission_edits_the_review_while_it_waits(client, store):
    placed = order(store)
    path = review_path(placed)
    blue = product(store)
    client.post(path, {"product": blue.pk, "rating": "2", "body": "Scratched."})
    review = Review.objects.get()
    assert review.status == ReviewStatus.PENDING  # 2 stars: below the auto-publish rating (4)
    assert "below the auto-publish rating (4)" in review.moderation_reason
    page = client.get(path).content.decode()
    assert "Your review is waiting to be checked. You can still change it below." in page
    assert "Scratched." in page
    assert f'value="2" id="rating-{blue.pk}-2" checked' in page

    client.post(path, {"product": blue.pk, "rating": "4", "body": "Replaced quickly, fine now."})
    assert Review.objects.count() == 1
    review.refresh_from_db()
    assert (review.rating, review.body, review.status) == (
        4,
        "Replaced quickly, fine now.",
        ReviewStatus.PUBLISHED,
    )


def test_once_published_a_new_submission_is_refused_clearly_and_changes_nothing(client, store):
    placed = order(store)
    path = review_path(placed)
    blue = product(store)
    client.post(path, {"product": blue.pk, "rating": "5", "body": "Great."})
    again = client.post(path, {"product": blue.pk, "rating": "1", "body": "Changed my mind"})
    # The form is no longer on the page; a hand-made POST gets the page with the reason.
    assert again.status_code == 400
    assert "You have already reviewed this product" in again.content.decode()
    review = Review.objects.get()
    assert (review.rating, review.body) == (5, "Great.")


def test_html_and_script_in_the_review_are_shown_as_text(client, store):
    settings_of(store, auto_publish_min_rating=0)  # stays pending: shown back in the form
    placed = order(store)
    path = review_path(placed)
    blue = product(store)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.post(path, {"product": blue.pk, "rating": "3", "title": evil, "body": evil + " & co"})
    html = client.get(path).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; co" in html
    # Published, it shows as text in the read-only part too.
    review = Review.objects.get()
    review.status = ReviewStatus.PUBLISHED
    review.save()
    html = client.get(path).content.decode()
    assert "<script>alert" not in html
    assert '<p class="review-text">&lt;script&gt;' in html


def test_a_missing_rating_keeps_what_was_written_and_says_why(client, store):
    placed = order(store)
    blue = product(store)
    page = client.post(review_path(placed), {"product": blue.pk, "title": "Nice", "body": "Kept"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Choose from 1 to 5 stars." in html
    assert 'value="Nice"' in html and ">Kept</textarea>" in html
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("language", "heading", "button"),
    [
        ("th", "คุณชอบสินค้าในคำสั่งซื้อ #1001 ไหม?", "ส่งรีวิว"),
        ("hy", "Ինչպե՞ս եք գնահատում ձեր #1001 պատվերը։", "Ուղարկել կարծիքը"),
    ],
)
def test_the_page_speaks_the_customers_language(client, store, language, heading, button):
    placed = order(store, language=language)
    page = client.get(review_path(placed))
    html = page.content.decode()
    assert page["Content-Language"] == language
    assert f'<html lang="{language}">' in html
    assert heading in html and button in html


def test_the_form_needs_its_csrf_token(store):
    placed = order(store)
    strict = Client(enforce_csrf_checks=True)
    path = review_path(placed)
    refused = strict.post(path, {"product": product(store).pk, "rating": "5"})
    assert refused.status_code == 403
    assert not Review.objects.exists()
    page = strict.get(path).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    sent = strict.post(
        path, {"product": product(store).pk, "rating": "5", "csrfmiddlewaretoken": token}
    )
    assert sent.status_code == 303
    assert Review.objects.count() == 1
