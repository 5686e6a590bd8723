"""The JSON API at /api/ (OpenAPI docs at /api/docs): each app adds its router here.

Every operation is authenticated by a store's API key (core.api_auth) and every error, whatever
raised it, is answered as {"errors": [{"code", "field", "message", "index"}]} with a 4xx status;
bad input never produces a 500. Routers name their request-body parameter `payload`, so that an
error's field reads `items[3].email`, not `payload.items[3].email`.
"""

import json
import logging

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from regulars.commerce.api import router as commerce_router
from regulars.core.api_auth import UNAUTHORIZED, ApiAuthError, ApiKeyAuth
from regulars.core.errors import CoreErrorCode, RateLimited, RegularsError
from regulars.feedback.api import router as feedback_router
from regulars.journeys.api import router as journeys_router
from regulars.messaging.api import router as messaging_router
from regulars.promotions.api import router as promotions_router

logger = logging.getLogger(__name__)

BODY_PARAM = "payload"
MALFORMED_JSON = "malformed_json"
TOO_LARGE = "too_large"
_STATUS_FOR_CODE = {
    UNAUTHORIZED: 401,
    CoreErrorCode.FORBIDDEN: 403,
    CoreErrorCode.NOT_FOUND: 404,
    CoreErrorCode.RATE_LIMITED: 429,
}


class UnusableText(ValueError):
    """A string in the request that no database can keep (NUL, lone surrogates)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not allowed in JSON")


def _check_text(value, path: str = "") -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise UnusableText(path, "Text may not contain the NUL character (\\u0000).")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise UnusableText(
                path, "Text contains an unpaired surrogate (\\ud800-\\udfff)."
            ) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, path)
            _check_text(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}[{index}]")


class StrictJSONParser(Parser):
    """JSON as RFC 8259 has it (no NaN or Infinity), and only text a database can keep."""

    def parse_body(self, request):
        data = json.loads(request.body, parse_constant=_refuse_constant)
        _check_text(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        for key, value in result.items():
            _check_text(value, key)
        return result


api = NinjaAPI(
    title="Regulars API",
    version="1",
    urls_namespace="api",
    auth=ApiKeyAuth(),
    parser=StrictJSONParser(),
    description=(
        "Send a store's customers, products, orders, fulfillments, carts and events, and read "
        "them back; send customers messages and read the send log; issue and list coupons. "
        "Authenticate with `Authorization: Bearer <key>`; see docs/api.md."
    ),
)
api.add_router("/v1/", commerce_router)
api.add_router("/v1/", messaging_router)
api.add_router("/v1/", journeys_router)
api.add_router("/v1/", promotions_router)
api.add_router("/v1/", feedback_router)

# Keep this router last: it answers, in the API's error format, every path no router claims.
_unknown = Router()


@_unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", auth=None, include_in_schema=False
)
def unknown_path(request, rest: str):
    raise RegularsError(
        f"There is no API endpoint at {request.path}; see /api/docs for the list.",
        code=CoreErrorCode.NOT_FOUND,
    )


api.add_router("/", _unknown)


def not_found(request, exception=None):
    """The site's 404 (urls.handler404) for a path under /api/ that no route matched at all:
    one the catch-all router above cannot match either (Django's path patterns stop at a line
    break, e.g. /api/v1/orders/a%0Ab). Answered in the API's format, like every API error."""
    from django.views import defaults

    if not request.path.startswith("/api/"):
        return defaults.page_not_found(request, exception)
    message = "There is no API endpoint at this address; see /api/docs for the list."
    return _errors(request, 404, [_error(CoreErrorCode.NOT_FOUND, message)])


def _errors(request, status: int, errors: list[dict], headers: dict | None = None):
    response = api.create_response(request, {"errors": errors}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _error(code: str, message: str, field: str | None = None, index: int | None = None) -> dict:
    return {"code": str(code), "field": field, "message": message, "index": index}


# --- validation errors: one entry per bad field, named as the client wrote it -------------------


def _field_path(loc: tuple) -> str | None:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == BODY_PARAM:
            parts.pop(0)
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or None


def _item_index(field: str | None) -> int | None:
    if field and field.startswith("items["):
        return int(field[len("items[") : field.index("]")])
    return None


def _message(error: dict) -> str:
    if error["type"] == "missing":
        return "This field is required."
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message[:1].upper() + message[1:]


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = []
    for error in exc.errors:
        field = _field_path(tuple(error.get("loc", ())))
        code = CoreErrorCode.REQUIRED if error["type"] == "missing" else CoreErrorCode.INVALID
        message = _message(error)
        if field is None:
            message = (
                f'The request body must be a JSON object such as {{"items": [...]}}: {message}'
            )
        errors.append(_error(code, message, field, _item_index(field)))
    return _errors(request, 422, errors)


# --- everything else ----------------------------------------------------------------------------


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    cause = exc.__cause__
    if isinstance(cause, UnusableText):
        field = cause.field or None
        return _errors(
            request, 422, [_error(CoreErrorCode.INVALID, cause.message, field, _item_index(field))]
        )
    if isinstance(cause, json.JSONDecodeError):
        message = (
            f"The body is not valid JSON: {cause.msg} at line {cause.lineno} column {cause.colno}."
        )
        return _errors(request, 400, [_error(MALFORMED_JSON, message)])
    if isinstance(cause, (ValueError, RecursionError)):
        # UnicodeDecodeError, NaN/Infinity, nesting too deep for the parser.
        return _errors(
            request, 400, [_error(MALFORMED_JSON, f"The body is not valid JSON: {cause}")]
        )
    if isinstance(exc, AuthenticationError):
        return _errors(request, 401, [_error(UNAUTHORIZED, str(exc))], _CHALLENGE)
    return _errors(request, exc.status_code, [_error(CoreErrorCode.INVALID, str(exc))])


_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="Regulars API"'}


@api.exception_handler(UnusableText)
def on_unusable_text(request, exc: UnusableText):
    field = exc.field or None
    return _errors(request, 422, [_error(CoreErrorCode.INVALID, exc.message, field)])


@api.exception_handler(RegularsError)
def on_regulars_error(request, exc: RegularsError):
    status = _STATUS_FOR_CODE.get(exc.code, 422)
    headers = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, ApiAuthError):
        headers.update(_CHALLENGE)
    return _errors(request, status, [_error(exc.code, exc.message, exc.field)], headers)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return _errors(request, 404, [_error(CoreErrorCode.NOT_FOUND, "Not found.")])


@api.exception_handler(RequestDataTooBig)
def on_too_large(request, exc: RequestDataTooBig):
    message = "The request body is too large; send fewer items per batch (500 at most)."
    return _errors(request, 413, [_error(TOO_LARGE, message)])


@api.exception_handler(Exception)
def on_unexpected(request, exc: Exception):
    # A bug, not bad input: logged with its traceback, answered in the API's error format.
    logger.exception("unexpected error in %s %s", request.method, request.path)
    return _errors(request, 500, [_error("server_error", "Something went wrong on our side.")])
