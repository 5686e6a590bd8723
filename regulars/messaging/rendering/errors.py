"""Errors of message templates: each names the field (subject, body_html, body_text) it is about."""

from regulars.core.errors import CoreErrorCode, RegularsError


class TemplateInvalid(RegularsError):
    """A template that cannot be saved: bad Liquid, an unknown variable, a missing part."""


class RenderFailed(RegularsError):
    """A valid template that could not be rendered with this data (a limit was reached)."""


class TemplateMissing(RegularsError):
    def __init__(self, *, key: str, channel: str, languages: list[str]):
        super().__init__(
            f"The store has no '{key}' template for {channel} in "
            f"{', '.join(languages) or 'any language'}.",
            code=CoreErrorCode.NOT_FOUND,
            field="key",
        )
        self.key = key
        self.channel = channel
        self.languages = languages
