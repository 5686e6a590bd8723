"""`regulars import orders FILE`: Shopify's orders export or the generic orders CSV, streamed.

reader.py reads the CSV; detect.py picks the format (shopify.py, generic.py, on formats.py)
which turns rows into validated OrderRecords in batches; writer.py (with customers.py and
products.py) writes each batch in bulk; stats.py recounts the customers at the end;
progress.py shows and saves the progress; pipeline.py optionally reads the file in a second
process; service.py runs the whole. docs/csv-import.md describes the formats and the rules.
"""

from regulars.commerce.imports.detect import FORMAT_CHOICES
from regulars.commerce.imports.records import ImportFileError, RowError
from regulars.commerce.imports.service import ImportResult, do_import_orders, store_for_import

__all__ = [
    "FORMAT_CHOICES",
    "ImportFileError",
    "ImportResult",
    "RowError",
    "do_import_orders",
    "store_for_import",
]
