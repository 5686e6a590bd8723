"""Rendering a store's template (or unsaved text, for the editor's preview) with a context.

Saved templates are compiled once and kept, keyed by (pk, updated_at) and a fingerprint of
their text, so a bulk send of thousands of messages parses each template once.
"""

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from liquid.exceptions import LiquidError

from regulars.messaging.models import Channel, Template
from regulars.messaging.rendering.checking import (
    PARTS,
    CompiledPart,
    check_and_compile,
    compile_part,
)
from regulars.messaging.rendering.errors import RenderFailed, TemplateMissing
from regulars.messaging.rendering.plaintext import html_to_text

FALLBACK_LANGUAGE = "en"
CACHE_SIZE = 1_000
_MAX_DEPTH = 12


@dataclass
class Rendered:
    template: Template | None
    language: str
    subject: str
    body_text: str
    body_html: str


@dataclass(frozen=True)
class Compiled:
    parts: dict[str, CompiledPart]  # only the parts with text

    @property
    def variables(self) -> frozenset[str]:
        return frozenset().union(*(part.variables for part in self.parts.values()))


def compile_template(subject: str, body_html: str, body_text: str, *, strict: bool) -> Compiled:
    sources = {"subject": subject, "body_html": body_html, "body_text": body_text}
    return Compiled(
        {
            field: compile_part(field, source, strict=strict)
            for field, source in sources.items()
            if source and source.strip()
        }
    )


class _CompiledCache:
    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, template: Template) -> Compiled:
        parts = (template.subject, template.body_html, template.body_text)
        # The fingerprint guards against a reused pk with the same updated_at (a frozen clock).
        key = (template.pk, template.updated_at, hash(parts))
        with self.lock:
            compiled = self.items.get(key)
            if compiled is not None:
                self.items.move_to_end(key)
                return compiled
        compiled = compile_template(*parts, strict=False)
        with self.lock:
            self.items[key] = compiled
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return compiled

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


COMPILED = _CompiledCache(CACHE_SIZE)


def language_chain(store, language: str) -> list[str]:
    """The languages tried, in order: asked, its base ("pt-br" -> "pt"), the store's, English."""
    chain: list[str] = []
    for code in (language, store.default_language, FALLBACK_LANGUAGE):
        code = (code or "").strip().lower().replace("_", "-")
        for candidate in (code, code.split("-")[0]):
            if candidate and candidate not in chain:
                chain.append(candidate)
    return chain


def pick_template(store, *, key: str, channel: str, language: str) -> Template:
    chain = language_chain(store, language)
    found = {
        t.language.lower(): t
        for t in Template.objects.filter(
            store=store, key=key, channel=channel, language__in=chain
        ).order_by()
    }
    for code in chain:
        if code in found:
            return found[code]
    raise TemplateMissing(key=key, channel=channel, languages=chain)


def template_variables(template: Template) -> frozenset[str]:
    """The top-level variables a saved template reads (e.g. to skip recommendations)."""
    return COMPILED.get(template).variables


def render_message(store, *, key: str, channel: str, language: str, context: Mapping) -> Rendered:
    template = pick_template(store, key=key, channel=channel, language=language)
    return render_template(template, context)


def render_template(template: Template, context: Mapping) -> Rendered:
    """Render a template already picked (with `pick_template`) with `context`."""
    return _render(COMPILED.get(template), template.channel, context, template, template.language)


def render_source(
    *,
    channel: str,
    subject: str,
    body_html: str,
    body_text: str,
    context: Mapping,
    language: str = "",
) -> Rendered:
    """Render unsaved text (the editor's live preview); invalid text raises TemplateInvalid."""
    parts = check_and_compile(
        channel=channel, subject=subject, body_html=body_html, body_text=body_text
    )
    return _render(Compiled(parts), channel, context, None, language)


def _render(compiled: Compiled, channel, context, template, language) -> Rendered:
    # Only what the template reads is copied in: less work per message, nothing else exposed.
    data = plain({name: value for name, value in context.items() if name in compiled.variables})
    out = {field: _render_part(compiled, field, data) for field in PARTS}
    subject = " ".join(out["subject"].split())  # a mail header is one line
    body_text = out["body_text"].strip()
    if channel == Channel.EMAIL and not body_text and out["body_html"].strip():
        body_text = html_to_text(out["body_html"])
    return Rendered(template, language, subject, body_text, out["body_html"])


def _render_part(compiled: Compiled, field: str, data: dict) -> str:
    part = compiled.parts.get(field)
    if part is None:
        return ""
    try:
        return part.template.render(data)
    except LiquidError as exc:
        context = exc.context()
        where = f"{field}, line {context[0]}" if context else field
        raise RenderFailed(f"{where}: {exc.message}", field=field) from exc


def plain(value, depth: int = 0):
    """A copy of `value` made only of dicts, lists, text, numbers, booleans and None.

    Anything else (a model instance, a function) is refused: a template must not reach
    beyond the data it is given. Text is copied to a plain `str`, so a "safe" string cannot
    switch HTML escaping off.
    """
    if depth > _MAX_DEPTH:
        raise TypeError("a message context may not be nested this deeply")
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):  # an IntEnum, say
        return int(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str.__str__(str(k)): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, depth + 1) for v in value]
    raise TypeError(
        f"a {type(value).__name__} cannot be given to a message template; give plain data "
        "(see regulars.messaging.rendering.build_context)"
    )
