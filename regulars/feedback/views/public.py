"""The shopper's view of a store's reviews, public and read-only, no login and no cookies:

    /f/api/<store>/products/<product>/reviews   JSON, paginated (CORS: any origin)
    /f/api/<store>/products/<product>/jsonld    Schema.org Product JSON-LD, for the store's pages
    /f/api/<store>/testimonials                 JSON, the store's best recent reviews
    /f/w/<store>/<product>/                     the widget: a small HTML page for an <iframe>
    /f/t/<store>/                               the testimonials, as a page for an <iframe>

<store> is Store.public_id, <product> the product's id in the store (Product.external_id).
Only these two HTML pages may be framed, by any site (the stores embed them); the rest of the
site keeps X-Frame-Options: DENY.

Rate limit: per client address and per web process, in memory (`LocalRateLimit`). The shared
limiter (core.ratelimit) writes one row per request, which at the hundreds of requests a second
a popular store's pages bring would make every read a write; these answers are cached reads, so
a counter in each process is enough to stop a scraper, and a store's own traffic never nears it.
With N web processes a client can get up to N times the limit.
"""

import threading
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_exempt

from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.core.timeutil import zoneinfo_or_utc
from regulars.feedback.services import public

# Requests per minute from one address to these pages, in one web process.
PUBLIC_RATE_LIMIT = 600
WIDGET_PER_PAGE = 10
JSON_PER_PAGE = 10
TESTIMONIALS = 12
# Far past any real page: larger numbers are refused rather than turned into huge offsets.
MAX_PAGE = 1_000_000
LANGUAGES = ("en", "th", "hy")

# The widget's few words in each language the customers' pages speak.
TEXTS = {
    "en": {
        "title": "Customer reviews",
        "based_on_one": "Based on 1 review",
        "based_on": "Based on {count} reviews",
        "none": "No reviews yet.",
        "verified": "Verified buyer",
        "reply": "Reply from {store}",
        "newer": "Newer reviews",
        "older": "Older reviews",
        "page": "Page {page} of {pages}",
        "stars": "{n} out of 5 stars",
        "average": "Average rating {average} out of 5",
        "customer": "A customer",
        "photo": "Photo {n} of the review",
        "distribution": "Ratings",
        "testimonials": "What our customers say",
        "no_testimonials": "No reviews to show yet.",
        "too_many": "Too many requests; try again in a minute.",
        "not_found": "Nothing to show here.",
    },
    "th": {
        "title": "รีวิวจากลูกค้า",
        "based_on_one": "จาก 1 รีวิว",
        "based_on": "จาก {count} รีวิว",
        "none": "ยังไม่มีรีวิว",
        "verified": "ผู้ซื้อที่ยืนยันแล้ว",
        "reply": "คำตอบจาก {store}",
        "newer": "รีวิวที่ใหม่กว่า",
        "older": "รีวิวที่เก่ากว่า",
        "page": "หน้า {page} จาก {pages}",
        "stars": "{n} จาก 5 ดาว",
        "average": "คะแนนเฉลี่ย {average} จาก 5",
        "customer": "ลูกค้า",
        "photo": "รูปที่ {n} ของรีวิว",
        "distribution": "คะแนน",
        "testimonials": "เสียงจากลูกค้าของเรา",
        "no_testimonials": "ยังไม่มีรีวิวที่จะแสดง",
        "too_many": "มีคำขอมากเกินไป โปรดลองอีกครั้งในอีกหนึ่งนาที",
        "not_found": "ไม่มีข้อมูลที่จะแสดง",
    },
    "hy": {
        "title": "Հաճախորդների կարծիքներ",
        "based_on_one": "1 կարծիքի հիման վրա",
        "based_on": "{count} կարծիքի հիման վրա",
        "none": "Դեռ կարծիքներ չկան։",
        "verified": "Հաստատված գնորդ",
        "reply": "Պատասխան՝ {store}",
        "newer": "Ավելի նոր կարծիքներ",
        "older": "Ավելի հին կարծիքներ",
        "page": "Էջ {page}՝ {pages}-ից",
        "stars": "{n} աստղ 5-ից",
        "average": "Միջին գնահատականը՝ {average} 5-ից",
        "customer": "Հաճախորդ",
        "photo": "Կարծիքի լուսանկար {n}",
        "distribution": "Գնահատականներ",
        "testimonials": "Ինչ են ասում մեր հաճախորդները",
        "no_testimonials": "Դեռ ցուցադրելու կարծիքներ չկան։",
        "too_many": "Չափազանց շատ հարցումներ. փորձեք մեկ րոպեից։",
        "not_found": "Այստեղ ցուցադրելու բան չկա։",
    },
}

# Framed by any store's pages: scripts only from here, no forms, no plugins.
WIDGET_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
    "img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors *"
)


class LocalRateLimit:
    """A fixed one-minute window per key, counted in this process's memory (see the module
    docstring for why not the database). The counts of the past window are dropped whole."""

    def __init__(self, window_seconds: int = 60):
        self.window_seconds = window_seconds
        self._lock = threading.Lock()
        self._window = -1
        self._counts: dict[str, int] = {}

    def hit(self, key: str, limit: int) -> int | None:
        """Count one request; past `limit`, the seconds until the window ends, else None."""
        if limit <= 0:
            return None
        now = time.time()
        window = int(now // self.window_seconds)
        with self._lock:
            if window != self._window:
                self._window = window
                self._counts = {}
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
        if count <= limit:
            return None
        return max(1, int((window + 1) * self.window_seconds - now))

    def reset(self) -> None:
        with self._lock:
            self._window = -1
            self._counts = {}


rate_limit = LocalRateLimit()


def _language(request: HttpRequest, default: str) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return default if default in LANGUAGES else "en"


def _int_param(request: HttpRequest, name: str, default: int, maximum: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    # Length first: int() of thousands of digits is slow, and refused past 4,300 of them.
    too_long = len(raw) > len(str(maximum))
    if too_long or not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise RegularsError(f"{name} must be a whole number from 1 to {maximum}.", field=name)
    return int(raw)


def _cors(response: HttpResponse) -> HttpResponse:
    # Public, read-only data that carries no cookie: any site may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error_json(status: int, code: str, message: str, field: str | None = None) -> HttpResponse:
    body = {"errors": [{"code": code, "field": field, "message": message}]}
    return _cors(JsonResponse(body, status=status))


def _error_page(status: int, language: str, key: str) -> HttpResponse:
    return _message_page(status, language, TEXTS[language][key])


def _message_page(status: int, language: str, message: str) -> HttpResponse:
    html = render_to_string(
        "feedback/widget_message.html", {"language": language, "message": message}
    )
    return _framable(HttpResponse(html, status=status))


def _framable(response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = WIDGET_CSP
    # Indexed as part of the store's page that embeds it, never on its own.
    response["X-Robots-Tag"] = "noindex, indexifembedded"
    return response


def _public(kind: str):
    """GET and HEAD only, rate-limited per address; bad input is a 400 that names the field."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "OPTIONS" and kind == "json":
                response = _cors(HttpResponse(status=204))
                response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
                response["Access-Control-Max-Age"] = "86400"
                return response
            if request.method not in ("GET", "HEAD"):
                response = HttpResponse(status=405)
                response["Allow"] = "GET, HEAD" + (", OPTIONS" if kind == "json" else "")
                return _cors(response) if kind == "json" else response
            limit = getattr(settings, "REGULARS_REVIEWS_PUBLIC_RATE_LIMIT", PUBLIC_RATE_LIMIT)
            retry_after = rate_limit.hit(request.META.get("REMOTE_ADDR", ""), limit)
            if retry_after is not None:
                if kind == "json":
                    response = _error_json(
                        429,
                        CoreErrorCode.RATE_LIMITED,
                        f"Too many requests; try again in {retry_after} s.",
                    )
                else:
                    response = _error_page(429, _language(request, "en"), "too_many")
                response["Retry-After"] = str(retry_after)
                return response
            try:
                return view(request, *args, **kwargs)
            except RegularsError as exc:
                if kind == "json":
                    return _error_json(400, exc.code, exc.message, exc.field)
                return _message_page(400, _language(request, "en"), exc.message)

        return wrapped

    return decorator


def _cacheable(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={public.cache_seconds()}"
    return response


def _json_bytes(data: dict) -> bytes:
    # Script-safe even here: a store may paste the answer into a <script> of its own.
    return public.script_safe_json(data).encode()


def _not_found_json() -> HttpResponse:
    return _error_json(404, CoreErrorCode.NOT_FOUND, "No such store or product.")


# --- JSON -------------------------------------------------------------------------------------


@_public("json")
def reviews_json(request: HttpRequest, store: str, product: str) -> HttpResponse:
    page = _int_param(request, "page", 1, MAX_PAGE)
    per_page = _int_param(request, "per_page", JSON_PER_PAGE, public.MAX_PER_PAGE)
    found = public.find_product(store, product)
    if found is None:
        return _not_found_json()
    key = f"feedback:reviews:{found.id}:{found.version}:{page}:{per_page}"
    if page > max(found.pages(per_page), 1):
        # Past the last page: nothing to read, and nothing worth a cache entry.
        body = _json_bytes(public.reviews_document(found, page, per_page))
    else:
        body = public.cached(
            key, lambda: _json_bytes(public.reviews_document(found, page, per_page))
        )
    return _cors(_cacheable(HttpResponse(body, content_type="application/json")))


@_public("json")
def reviews_jsonld(request: HttpRequest, store: str, product: str) -> HttpResponse:
    found = public.find_product(store, product)
    if found is None:
        return _not_found_json()
    key = f"feedback:jsonld:{found.id}:{found.version}"
    body = public.cached(key, lambda: _jsonld(found).encode())
    return _cors(_cacheable(HttpResponse(body, content_type="application/ld+json")))


def _jsonld(found: public.PublicProduct) -> str:
    reviews = public.product_reviews(found, 1, public.JSONLD_REVIEWS)
    return public.script_safe_json(public.product_jsonld(found, reviews))


@_public("json")
def testimonials_json(request: HttpRequest, store: str) -> HttpResponse:
    limit = _int_param(request, "limit", TESTIMONIALS, public.MAX_TESTIMONIALS)
    found = public.find_store(store)
    if found is None:
        return _error_json(404, CoreErrorCode.NOT_FOUND, "No such store.")
    key = f"feedback:testimonials:{found.id}:{public.testimonials_version(found)}:{limit}"

    def build() -> bytes:
        reviews = public.testimonials(found, limit)
        data = {
            "store": {"name": found.name},
            "testimonials": [public.review_data(r) for r in reviews],
        }
        return _json_bytes(data)

    body = public.cached(key, build)
    return _cors(_cacheable(HttpResponse(body, content_type="application/json")))


# --- the pages for an iframe ------------------------------------------------------------------


def _stars(rating: int) -> str:
    return "★" * rating + "☆" * (5 - rating)


def _safe_href(url: str) -> str:
    # Addresses come from the store's catalogue: only web links become links.
    return url if url.startswith(("https://", "http://")) else ""


def _review_rows(reviews, texts: dict, timezone: str) -> list[dict]:
    zone = zoneinfo_or_utc(timezone)
    rows = []
    for review in reviews:
        data = public.review_data(review)
        rows.append(
            {
                **data,
                "author": data["author"] or texts["customer"],
                "stars": _stars(review.rating),
                "stars_label": texts["stars"].format(n=review.rating),
                "date": review.written_at.astimezone(zone).date().isoformat(),
                "datetime": data["written_at"],
                "photos": [
                    {"url": url, "alt": texts["photo"].format(n=n)}
                    for n, url in enumerate(data["photos"], start=1)
                ],
            }
        )
    return rows


def _page_link(language: str, page: int, per_page: int) -> str:
    query = {"page": page}
    if per_page != WIDGET_PER_PAGE:
        query["per_page"] = per_page
    query["lang"] = language
    return "?" + urlencode(query)


def _widget_html(found: public.PublicProduct, language: str, page: int, per_page: int) -> bytes:
    texts = TEXTS[language]
    reviews = public.product_reviews(found, page, per_page)
    pages = found.pages(per_page)
    count = found.count
    context = {
        "language": language,
        "texts": texts,
        "product": found,
        "average": found.average,
        "average_percent": round((found.average or 0) / 5 * 100, 1),
        "average_label": texts["average"].format(average=found.average),
        "based_on": (
            texts["based_on_one"] if count == 1 else texts["based_on"].format(count=count)
        ),
        "distribution": [
            {
                "stars": stars,
                "label": texts["stars"].format(n=stars),
                "count": found.distribution[stars],
                "percent": round(found.distribution[stars] / count * 100) if count else 0,
            }
            for stars in range(5, 0, -1)
        ],
        "reviews": _review_rows(reviews, texts, found.store.timezone),
        "reply_label": texts["reply"].format(store=found.store.name),
        "page": page,
        "pages": pages,
        "page_label": texts["page"].format(page=page, pages=pages),
        "newer_url": _page_link(language, page - 1, per_page) if page > 1 else "",
        "older_url": _page_link(language, page + 1, per_page) if page < pages else "",
        # The reviews of this page: the first page is what the store's page embeds and search
        # engines read; a later one is reached only by following its links.
        "jsonld": public.script_safe_json(public.product_jsonld(found, reviews)),
    }
    return render_to_string("feedback/widget.html", context).encode()


@xframe_options_exempt
@_public("html")
def widget(request: HttpRequest, store: str, product: str) -> HttpResponse:
    found = public.find_product(store, product)
    language = _language(request, found.store.language if found else "en")
    if found is None:
        return _error_page(404, language, "not_found")
    page = _int_param(request, "page", 1, MAX_PAGE)
    per_page = _int_param(request, "per_page", WIDGET_PER_PAGE, public.MAX_PER_PAGE)
    page = min(page, max(found.pages(per_page), 1))
    key = f"feedback:widget:{found.id}:{found.version}:{language}:{page}:{per_page}"
    body = public.cached(key, lambda: _widget_html(found, language, page, per_page))
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Language"] = language
    return _framable(_cacheable(response))


@xframe_options_exempt
@_public("html")
def testimonials_page(request: HttpRequest, store: str) -> HttpResponse:
    found = public.find_store(store)
    language = _language(request, found.language if found else "en")
    if found is None:
        return _error_page(404, language, "not_found")
    limit = _int_param(request, "limit", TESTIMONIALS, public.MAX_TESTIMONIALS)
    version = public.testimonials_version(found)
    key = f"feedback:testimonials-page:{found.id}:{version}:{language}:{limit}"

    def build() -> bytes:
        texts = TEXTS[language]
        reviews = public.testimonials(found, limit)
        rows = _review_rows(reviews, texts, found.timezone)
        for row, review in zip(rows, reviews, strict=True):
            row["product_title"] = review.product.title
            row["product_url"] = _safe_href(review.product.url)
        context = {"language": language, "texts": texts, "store": found, "reviews": rows}
        return render_to_string("feedback/widget_testimonials.html", context).encode()

    body = public.cached(key, build)
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    response["Content-Language"] = language
    return _framable(_cacheable(response))
