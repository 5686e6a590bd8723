"""HTML and script in a review's title, body, reply and author are text everywhere the public
sees them: the widget page, its JSON-LD, the JSON, the JSON-LD endpoint and the testimonials.
Parsed back, each text is exactly what the customer wrote."""

import json
import re
from html import escape, unescape
from html.parser import HTMLParser

import pytest

from regulars.feedback.services.public import author_label
from regulars.feedback.tests.public_data import (
    NASTY,
    fresh_public_state,  # noqa: F401 - the fixture below
    product,
    review,
    reviews_path,
    widget_path,
)

pytestmark = pytest.mark.usefixtures("fresh_public_state")

TITLE = NASTY
BODY = "Great pressing.\n" + NASTY + "\n<b>bold</b> & <a href='javascript:alert(1)'>link</a>"
REPLY = "Thanks! " + NASTY
AUTHOR = "<i>Ana</i> <script>alert(2)</script>Silva"


@pytest.fixture
def nasty_review(store):
    return review(product(store), 5, 1, title=TITLE, body=BODY, reply=REPLY, author_name=AUTHOR)


class _Scripts(HTMLParser):
    """The elements a browser would run or load: script tags, event handlers, img tags."""

    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.handlers: list[str] = []
        self.images: list[str] = []
        self.ld_json: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [name for name in attributes if name.startswith("on")]
        if tag == "script":
            self.scripts.append(attributes)
            self._in_ld = attributes.get("type") == "application/ld+json"
        if tag == "img":
            self.images.append(attributes.get("src", ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.ld_json.append(data)


def _parse(html: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(html)
    return parser


def _text_of(html: str, css_class: str) -> str:
    match = re.search(rf'class="{css_class}">(.*?)</(?:p|h2|span)>', html, re.S)
    return unescape(match.group(1).replace("<br>", ""))


def test_the_widget_shows_every_text_as_text(client, store, nasty_review):
    html = client.get(widget_path(store)).content.decode()

    parsed = _parse(html)
    # Only the page's own two scripts: the JSON-LD data block and widget.js.
    assert parsed.scripts == [
        {"type": "application/ld+json"},
        {"src": "/static/feedback/widget.js", "data-frame": None, "defer": None},
    ]
    assert parsed.handlers == []
    assert parsed.images == []
    assert "<script>alert" not in html
    assert escape(TITLE) in html
    assert _text_of(html, "review__title") == TITLE
    assert _text_of(html, "review__body") == BODY.replace("\n", "")
    assert _text_of(html, "reply__body") == REPLY
    assert _text_of(html, "review__author") == author_label(AUTHOR)
    assert author_label(AUTHOR) == "<i>Ana</i> <."


def test_the_widgets_json_ld_cannot_end_its_script_and_round_trips(client, store, nasty_review):
    html = client.get(widget_path(store)).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block.replace("\\u0026", "")
    data = json.loads(block)
    assert data["review"][0]["name"] == TITLE
    assert data["review"][0]["reviewBody"] == BODY
    assert data["review"][0]["author"] == {"@type": "Person", "name": author_label(AUTHOR)}


def test_the_json_ld_endpoint_is_script_safe_and_round_trips(client, store, nasty_review):
    response = client.get(f"/f/api/{store.public_id}/products/lp-1/jsonld")

    assert response["Content-Type"] == "application/ld+json"
    raw = response.content.decode()
    assert "<" not in raw and ">" not in raw
    data = json.loads(raw)
    assert data["review"][0]["name"] == TITLE
    assert data["review"][0]["reviewBody"] == BODY


def test_the_json_carries_the_exact_texts(client, store, nasty_review):
    response = client.get(reviews_path(store))

    assert b"<" not in response.content
    item = response.json()["reviews"][0]
    assert (item["title"], item["body"], item["reply"]["body"]) == (TITLE, BODY, REPLY)
    assert item["author"] == author_label(AUTHOR)


def test_the_testimonials_page_and_json_show_the_texts_as_text(client, store, nasty_review):
    html = client.get(f"/f/t/{store.public_id}/").content.decode()
    data = client.get(f"/f/api/{store.public_id}/testimonials").json()

    parsed = _parse(html)
    assert [s.get("src") for s in parsed.scripts] == ["/static/feedback/widget.js"]
    assert parsed.handlers == []
    assert _text_of(html, "review__title") == TITLE
    assert _text_of(html, "review__body") == BODY.replace("\n", "")
    assert data["testimonials"][0]["body"] == BODY
    assert data["testimonials"][0]["title"] == TITLE


def test_a_product_link_that_is_not_a_web_address_is_not_a_link(client, store):
    shady = product(store, "lp-2")
    type(shady).objects.filter(pk=shady.pk).update(url="javascript:alert(1)")
    review(shady, 5, 1)

    html = client.get(f"/f/t/{store.public_id}/").content.decode()

    assert "javascript:" not in html
    assert "Blue Train LP" in html
