"""Display helpers for the dashboard templates: money, links, progress, sort headers."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

from regulars.commerce.timeline import http_url
from regulars.core.money import minor_units

register = template.Library()

_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "THB": "฿",
    "AMD": "֏",
    "INR": "₹",
    "KRW": "₩",
    "RUB": "₽",
}


@register.filter
def money(amount, currency: str = "") -> str:
    """`$1,234.50`, `฿980.00`, `CHF 12.00`: grouped, with the currency's own decimals."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount)
    code = (currency or "").upper()
    digits = minor_units(code) if code else 2
    number = f"{abs(value):,.{digits}f}"
    sign = "−" if value < 0 else ""
    symbol = _SYMBOLS.get(code)
    if symbol:
        return f"{sign}{symbol}{number}"
    return f"{sign}{code} {number}".strip()


@register.filter(name="http_url")
def http_url_filter(value) -> str:
    """Only http(s) addresses become links: a stored `javascript:` URL is dropped."""
    return http_url(str(value or ""))


@register.filter
def percent(done, total) -> int:
    try:
        done, total = int(done or 0), int(total or 0)
    except (TypeError, ValueError):
        return 0
    if total <= 0:
        return 0
    return max(0, min(100, round(done * 100 / total)))


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column header that sorts by `key`, newest or highest first, then flips on a click."""
    current = context.get("sort", "")
    request = context["request"]
    descending = current == f"-{key}"
    target = key if descending else f"-{key}"
    query = request.GET.copy()
    query["sort"] = target
    query.pop("page", None)
    arrow = ""
    if current.lstrip("-") == key:
        arrow = " ↓" if descending else " ↑"
    css = "sort sort--active" if arrow else "sort"
    return format_html('<a class="{}" href="?{}">{}{}</a>', css, query.urlencode(), label, arrow)


@register.filter
def get_item(mapping, key):
    """`mapping[key]` in a template, for keys that are not identifiers ("cohort-revenue")."""
    if not hasattr(mapping, "get"):
        return None
    return mapping.get(key)


@register.filter
def as_percent(fraction) -> str:
    """0.305 -> "30.5%"; None (no denominator) -> "—"."""
    if fraction is None or fraction == "":
        return "—"
    return f"{100 * float(fraction):.1f}%"
