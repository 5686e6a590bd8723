"""Message templates: checking, context, rendering, recommendations and SMS segment counts.

Merchant templates are python-liquid in a closed environment (environment.py); they see only
plain data built by `build_context` (context.py), documented in `VARIABLES` (variables.py).
"""

from regulars.messaging.rendering.checking import check_template
from regulars.messaging.rendering.context import build_context
from regulars.messaging.rendering.errors import RenderFailed, TemplateInvalid, TemplateMissing
from regulars.messaging.rendering.recommend import recommended_products
from regulars.messaging.rendering.render import (
    Rendered,
    language_chain,
    pick_template,
    render_message,
    render_source,
    render_template,
    template_variables,
)
from regulars.messaging.rendering.segments import Segments, sms_segments
from regulars.messaging.rendering.variables import VARIABLES, Variable

__all__ = [
    "VARIABLES",
    "RenderFailed",
    "Rendered",
    "Segments",
    "TemplateInvalid",
    "TemplateMissing",
    "Variable",
    "build_context",
    "check_template",
    "language_chain",
    "pick_template",
    "recommended_products",
    "render_message",
    "render_source",
    "render_template",
    "sms_segments",
    "template_variables",
]
