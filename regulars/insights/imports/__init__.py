"""`regulars insights import-responses FILE`: NPS or CSAT answers from another tool's CSV.

responses.py reads the columns and checks each row; service.py matches customers and orders
and writes in batches; cli.py is the command's subparser. docs/insights.md has the format.
"""

from regulars.insights.imports.responses import COLUMNS, ResponseRecord, response_key
from regulars.insights.imports.service import (
    ImportFileError,
    ResponsesImportResult,
    do_import_responses,
)

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "ResponseRecord",
    "ResponsesImportResult",
    "do_import_responses",
    "response_key",
]
