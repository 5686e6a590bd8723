"""Which format a file is in: said by the user, or told by its header."""

from regulars.commerce.imports.formats import OrderFormat
from regulars.commerce.imports.generic import GenericFormat
from regulars.commerce.imports.records import ImportFileError
from regulars.commerce.imports.shopify import ShopifyFormat
from regulars.commerce.imports.values import Values

FORMATS: dict[str, type[OrderFormat]] = {
    ShopifyFormat.name: ShopifyFormat,
    GenericFormat.name: GenericFormat,
}
FORMAT_CHOICES = ("auto", *FORMATS)


def open_format(header: list[str], file_format: str, values: Values, file_name: str):
    """The format reader for this header; ImportFileError names what is missing."""
    if file_format == "auto":
        file_format = _detect(header, file_name)
    try:
        reader_class = FORMATS[file_format]
    except KeyError:
        raise ImportFileError(
            file_name, f"{file_format!r} is not a format; use one of {', '.join(FORMAT_CHOICES)}"
        ) from None
    return reader_class(header, values, file_name)


def _detect(header: list[str], file_name: str) -> str:
    titles = {title.strip().lower() for title in header}
    # Each format's signature columns; its required columns are checked once it is chosen,
    # so a Shopify export without Total is told exactly that.
    if any(title.startswith("lineitem ") for title in titles):
        return ShopifyFormat.name
    if "order_id" in titles:
        return GenericFormat.name
    hint = ""
    if len(header) == 1 and ";" in header[0]:
        hint = "; its values are separated by ';' but Regulars reads comma-separated files"
    raise ImportFileError(
        file_name,
        "is neither a Shopify orders export (no Lineitem columns) nor a generic orders CSV"
        f" (no order_id column){hint}",
    )
