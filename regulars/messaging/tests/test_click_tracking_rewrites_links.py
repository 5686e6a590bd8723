"""track_links: every http(s) link of a message leads through the click counter, ours excepted."""

import re

from django.conf import settings

from regulars.messaging import links
from regulars.messaging.links import track_links


def _tracked(url: str) -> str:
    return links.tracked_url("msg", url)


def _destinations(body: str) -> list[str]:
    found = re.findall(re.escape(settings.BASE_URL) + r"/messaging/c/([^/\s\"']+)/", body)
    return [links.read_tracked(token).url for token in found]


def test_it_rewrites_each_http_link_of_the_html():
    html = (
        '<p><a href="https://shop.example/a">A</a> <a class="x" href=\'http://shop.example/b\'>B</a>'
        ' <A HREF=https://shop.example/c>C</A> <area href="https://shop.example/d"></p>'
    )
    tracked, _text = track_links(html, "", "msg")
    assert _destinations(tracked) == [
        "https://shop.example/a",
        "http://shop.example/b",
        "https://shop.example/c",
        "https://shop.example/d",
    ]
    assert 'class="x"' in tracked
    assert ">A</a>" in tracked


def test_an_encoded_ampersand_is_decoded_before_signing():
    html = '<a href="https://shop.example/p?a=1&amp;b=2&#38;c=3">Go</a>'
    tracked, _text = track_links(html, "", "msg")
    assert _destinations(tracked) == ["https://shop.example/p?a=1&b=2&c=3"]
    assert tracked == f'<a href="{_tracked("https://shop.example/p?a=1&b=2&c=3")}">Go</a>'


def test_unsubscribe_preference_mailto_and_tel_links_stay_as_they_are():
    unsubscribe = f"{settings.BASE_URL}/messaging/u/abc:def/"
    preferences = f"{settings.BASE_URL}/messaging/p/abc:def/"
    html = (
        f'<a href="{unsubscribe}">Unsubscribe</a> <a href="{preferences}">Preferences</a>'
        ' <a href="mailto:help@shop.example?subject=Hi&amp;body=x">Mail</a>'
        ' <a href="tel:+14155550123">Call</a> <a href="#top">Top</a>'
    )
    text = f"Unsubscribe: {unsubscribe}\nWrite to mailto:help@shop.example\n"
    assert track_links(html, text, "msg") == (html, text)


def test_stylesheets_quoted_greater_than_signs_and_comments_are_left_alone():
    html = (
        '<link rel="stylesheet" href="https://fonts.example/a.css">'
        '<a title="x > y" href="https://shop.example/q">Q</a>'
        '<!-- <a href="https://shop.example/hidden">old</a> -->'
        '<a data-href="https://shop.example/data" href="https://shop.example/real">R</a>'
    )
    tracked, _text = track_links(html, "", "msg")
    assert 'href="https://fonts.example/a.css"' in tracked
    assert '<!-- <a href="https://shop.example/hidden">old</a> -->' in tracked
    assert 'data-href="https://shop.example/data"' in tracked
    assert _destinations(tracked) == ["https://shop.example/q", "https://shop.example/real"]
    assert 'title="x > y"' in tracked


def test_it_rewrites_bare_urls_of_the_text_but_not_the_sentence_around_them():
    text = (
        "See https://shop.example/sale. Or (https://shop.example/new) and "
        "https://en.wikipedia.org/wiki/Vinyl_(disambiguation), then <http://shop.example/x?a=1&b=2>!"
    )
    _html, tracked = track_links("", text, "msg")
    assert _destinations(tracked) == [
        "https://shop.example/sale",
        "https://shop.example/new",
        "https://en.wikipedia.org/wiki/Vinyl_(disambiguation)",
        "http://shop.example/x?a=1&b=2",
    ]
    assert tracked.startswith("See " + _tracked("https://shop.example/sale") + ". Or (")
    assert tracked.endswith(_tracked("http://shop.example/x?a=1&b=2") + ">!")


def test_thai_and_armenian_text_around_links_is_kept():
    text = "ดูสินค้าใหม่ https://shop.example/th แล้วนะ\nՏեսեք https://shop.example/hy։"
    _html, tracked = track_links("", text, "msg")
    assert tracked == (
        f"ดูสินค้าใหม่ {_tracked('https://shop.example/th')} แล้วนะ\n"
        f"Տեսեք {_tracked('https://shop.example/hy')}։"
    )


def test_rewriting_twice_changes_nothing_more():
    html, text = track_links(
        '<a href="https://shop.example/a">A</a>', "https://shop.example/b", "m"
    )
    assert track_links(html, text, "m") == (html, text)


def test_tabs_and_line_breaks_inside_an_href_are_dropped_as_browsers_do():
    html = '<a href=" https://shop.example/\nsale\t?a=1 ">Sale</a>'
    tracked, _text = track_links(html, "", "msg")
    assert _destinations(tracked) == ["https://shop.example/sale?a=1"]


def test_links_without_a_host_are_left_alone():
    html = '<a href="https:evil.example">x</a> <a href="http://">y</a>'
    assert track_links(html, "", "msg") == (html, "")
