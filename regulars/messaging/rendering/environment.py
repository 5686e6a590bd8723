"""The python-liquid environments merchant templates are parsed and rendered in.

Merchants are untrusted template authors (a staff account can be stolen, a template pasted
from anywhere), so the environment is closed: no loader and no `include`/`render` tags (a
template is only its own text), limits on loops, output, the local namespace and context
depth, strict filters, and no `safe` filter, so customer data in an HTML body is always
escaped. Templates only ever see plain data (see `plain` in render.py), and python-liquid
resolves properties by subscription, never by attribute, so `__class__` and friends are
simply undefined.
"""

from liquid import Environment
from liquid.exceptions import LiquidSyntaxError
from liquid.stream import TokenStream
from liquid.tag import Tag

# Generous for real messages (an order has at most 1,000 lines), far from abusive ones.
LOOP_ITERATION_LIMIT = 5_000
OUTPUT_STREAM_LIMIT = 500_000  # characters of rendered output per part
LOCAL_NAMESPACE_LIMIT = 200_000  # bytes held by `assign`/`capture` variables
CONTEXT_DEPTH_LIMIT = 10
BLOCK_NESTING_LIMIT = 20

# Tags that would reach other templates; refused with a clear reason instead of failing later
# with "template not found".
REFUSED_TAGS = ("include", "render")
# `safe` would switch escaping off for a value; nothing in a message context needs that.
REFUSED_FILTERS = ("safe",)


class _RefusedTag(Tag):
    block = False

    def parse(self, stream: TokenStream):
        raise LiquidSyntaxError(
            f"the '{self.name}' tag is not available: a message template can only use its own text",
            token=stream.current,
        )


class MessageEnvironment(Environment):
    loop_iteration_limit = LOOP_ITERATION_LIMIT
    output_stream_limit = OUTPUT_STREAM_LIMIT
    local_namespace_limit = LOCAL_NAMESPACE_LIMIT
    context_depth_limit = CONTEXT_DEPTH_LIMIT
    block_nesting_limit = BLOCK_NESTING_LIMIT

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=False)
        for name in REFUSED_TAGS:
            self.tags[name] = type(f"Refused_{name}", (_RefusedTag,), {"name": name})(self)
        for name in REFUSED_FILTERS:
            self.filters.pop(name, None)


# One environment escapes (HTML bodies); the other does not (subjects, plain text, SMS).
HTML_ENV = MessageEnvironment(autoescape=True, strict_filters=True)
TEXT_ENV = MessageEnvironment(autoescape=False, strict_filters=True)


def environment_for(field: str) -> MessageEnvironment:
    return HTML_ENV if field == "body_html" else TEXT_ENV
