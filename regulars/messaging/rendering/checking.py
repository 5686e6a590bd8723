"""Validating and compiling a template's parts, with errors naming the part, the line and why.

"body_html, line 3: unexpected tag 'endfor'" is what a merchant sees when saving; the same
compile step (without the strictness about names) serves rendering.
"""

from dataclasses import dataclass

from liquid import BoundTemplate
from liquid.exceptions import LiquidError

from regulars.messaging.models import Channel
from regulars.messaging.rendering.environment import environment_for
from regulars.messaging.rendering.errors import TemplateInvalid
from regulars.messaging.rendering.variables import TOP_LEVEL_NAMES

PARTS = ("subject", "body_html", "body_text")
# Sources longer than these are refused when saving (a subject is a mail header line).
MAX_LENGTH = {"subject": 500, "body_html": 200_000, "body_text": 50_000}
_A_MESSAGE = {
    Channel.SMS: "an SMS",
    Channel.WHATSAPP: "a WhatsApp message",
    Channel.PUSH: "a push message",
    Channel.WEBHOOK: "a webhook message",
}


@dataclass(frozen=True)
class CompiledPart:
    template: BoundTemplate
    # The top-level names the part reads (customer, order, recommended_products, ...).
    variables: frozenset[str]


def check_template(*, channel: str, subject: str, body_html: str, body_text: str) -> None:
    """Raise TemplateInvalid (with `field`) unless every part is valid for `channel`."""
    check_and_compile(channel=channel, subject=subject, body_html=body_html, body_text=body_text)


def check_and_compile(
    *, channel: str, subject: str, body_html: str, body_text: str
) -> dict[str, CompiledPart]:
    """check_template, keeping the compiled parts (those with text) for rendering."""
    sources = {"subject": subject or "", "body_html": body_html or "", "body_text": body_text or ""}
    _check_required_parts(channel, sources)
    compiled = {}
    for field, source in sources.items():
        if len(source) > MAX_LENGTH[field]:
            _fail(field, None, f"longer than {MAX_LENGTH[field]:,} characters")
        if source.strip():
            compiled[field] = compile_part(field, source, strict=True)
    return compiled


def _check_required_parts(channel: str, sources: dict) -> None:
    if channel not in Channel.values:
        raise TemplateInvalid(
            f"channel: {channel!r} is not a channel; use one of {', '.join(Channel.values)}",
            field="channel",
        )
    if channel == Channel.EMAIL:
        if not sources["subject"].strip():
            _fail("subject", None, "an e-mail needs a subject")
        if not (sources["body_html"].strip() or sources["body_text"].strip()):
            _fail("body_html", None, "an e-mail needs a body (HTML, plain text or both)")
    elif not sources["body_text"].strip():
        _fail("body_text", None, f"{_A_MESSAGE[channel]} needs a text")


def _fail(field: str, line: int | None, reason: str):
    where = f"{field}, line {line}" if line else field
    raise TemplateInvalid(f"{where}: {reason}", field=field)


def compile_part(field: str, source: str, *, strict: bool) -> CompiledPart:
    """Parse one part. `strict` (when saving) also refuses unknown variables and filters and
    names starting with an underscore; rendering a saved template only needs it to parse."""
    env = environment_for(field)
    try:
        template = env.from_string(source)
        analysis = template.analyze(include_partials=False)
    except LiquidError as exc:
        _fail(field, *_where_and_why(exc, source))
    if strict:
        problems = _problems(analysis, env)
        if problems:
            span, _rank, reason = min(problems, key=lambda p: (p[0].index, p[1]))
            _fail(field, _line(span, source), reason)
    return CompiledPart(template, frozenset(analysis.globals))


def _where_and_why(exc: LiquidError, source: str) -> tuple[int, str]:
    context = exc.context()
    if context:
        return context[0], str(exc.message)
    # No position: the parser ran out of text with a block still open.
    reason = str(exc.message).replace("found end of expression", "but the text ends")
    return source.rstrip("\n").count("\n") + 1, reason


def _problems(analysis, env) -> list[tuple]:
    """(span, rank, reason) of each problem: the first in the text is reported."""
    problems = []
    names = ", ".join(sorted(TOP_LEVEL_NAMES))
    for name, found in analysis.globals.items():
        if name not in TOP_LEVEL_NAMES:
            reason = f"unknown variable '{name}' (use one of {names})"
            problems.append((found[0].span, 0, reason))
    for variables in analysis.variables.values():
        for variable in variables:
            hidden = _underscored(variable.segments)
            if hidden:
                reason = f"'{hidden}' is not available in templates"
                problems.append((variable.span, 1, reason))
    for name, spans in analysis.filters.items():
        if name not in env.filters:
            problems.append((spans[0], 2, f"unknown filter '{name}'"))
    return problems


def _underscored(segments) -> str:
    """The first path segment naming something private (`__class__`, `_meta`), if any."""
    for segment in segments:
        if isinstance(segment, list):
            inner = _underscored(segment)
            if inner:
                return inner
        elif isinstance(segment, str) and segment.startswith("_"):
            return segment
    return ""


def _line(span, source: str) -> int:
    try:
        return span.line_col(source)[0]
    except ValueError:
        return 1
