"""The plain-text part of an e-mail, derived from its rendered HTML when the merchant wrote none.

Standard library only (html.parser): links become "text (url)", block elements line breaks,
list items "- ", images their alt text; no tags survive and entities are unescaped.
"""

import re
from html.parser import HTMLParser

# Written as words for reading; ruff's SIM905 would spread them one per line.
_BLOCKS = frozenset(
    "address article aside blockquote div dl dt dd fieldset figcaption figure footer form "  # noqa: SIM905
    "h1 h2 h3 h4 h5 h6 header hr main nav ol p pre section table tbody thead tfoot tr ul".split()
)
# Paragraph-like blocks are followed by an empty line, the others by a line break.
_PARAGRAPHS = frozenset("p h1 h2 h3 h4 h5 h6 table ul ol blockquote hr".split())  # noqa: SIM905
_HIDDEN = frozenset(("head", "script", "style", "title", "template"))


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0
        self.links: list[tuple[str, int]] = []  # (href, position in out where its text starts)

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden += 1
            return
        attributes = dict(attrs)
        if tag == "br":
            self.out.append("\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in ("td", "th"):
            self.out.append(" ")
        elif tag == "img" and attributes.get("alt"):
            self.out.append(f" {attributes['alt']} ")
        elif tag == "a":
            self.links.append((attributes.get("href") or "", len(self.out)))
        elif tag in _BLOCKS:
            self.out.append("\n")
        if tag == "hr":
            self.out.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            self._close_link(href.strip(), start)
        elif tag in _BLOCKS:
            self.out.append("\n\n" if tag in _PARAGRAPHS else "\n")

    def _close_link(self, href: str, start: int) -> None:
        text = " ".join("".join(self.out[start:]).split())
        if not href or href.startswith("#") or href == text:
            return
        if href.startswith("mailto:") and href[7:] == text:
            return
        self.out.append(f" ({href})" if text else href)

    def handle_data(self, data):
        if not self.hidden:
            # HTML collapses runs of white space, new lines included.
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.out).split("\n"))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
