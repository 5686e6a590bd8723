"""Reading a CSV file as a stream of (line number, row), never the whole file at once.

UTF-8 with or without a byte-order mark, comma-separated, quoted fields may hold line breaks
(Shopify's "Note Attributes" do), so a row's line number is where its record starts. A line
that is not UTF-8 (a spreadsheet saved as Windows-1252) rejects only its own row: its bytes
are kept as surrogates while decoding, and `bad_lines` says which lines had them.
"""

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from regulars.commerce.imports.records import Batch, ImportFileError, RowError

_READ_BUFFER = 1 << 20
_UNDECODED = re.compile("[\udc80-\udcff]")


class CsvSource:
    """An open CSV file: its header, its rows, and how many bytes have been read so far."""

    def __init__(self, path: str | Path, display_name: str | None = None):
        self.name = display_name or str(path)
        try:
            self._raw = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise ImportFileError(self.name, f"cannot be opened: {exc.strerror}") from exc
        self.size = os.fstat(self._raw.fileno()).st_size
        buffered = io.BufferedReader(self._raw, _READ_BUFFER)
        self._text = io.TextIOWrapper(
            buffered, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        # Line number -> the first byte that is not UTF-8 on it.
        self.bad_lines: dict[int, int] = {}
        self._reader = csv.reader(self._lines())
        self.header: list[str] = self._read_header()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self) -> None:
        self._text.close()

    def bytes_read(self) -> int:
        # The raw file's position runs ahead of the parser by at most one buffer: close enough
        # for a progress bar, and exactly the size at the end.
        return min(self._raw.tell(), self.size)

    def _read_header(self) -> list[str]:
        if self.size == 0:
            raise ImportFileError(self.name, "is empty")
        for line, row in self._records():
            if any(cell.strip() for cell in row):
                problem = self.undecoded(line, self._reader.line_num)
                if problem:
                    raise ImportFileError(self.name, f"line {line}: the header {problem}")
                return [cell.strip() for cell in row]
        raise ImportFileError(self.name, "has no header row")

    def _lines(self) -> Iterator[str]:
        bad = self.bad_lines
        for number, line in enumerate(self._text, 1):
            if not line.isascii():
                found = _UNDECODED.search(line)
                if found:
                    bad[number] = ord(found.group()) - 0xDC00
            yield line

    def undecoded(self, first: int, last: int) -> str | None:
        """Why the row on lines first..last cannot be read, if one of them is not UTF-8."""
        for number in range(first, last + 1):
            if number in self.bad_lines:
                byte = self.bad_lines.pop(number)
                return (
                    f"is not UTF-8 text (byte 0x{byte:02x} on line {number}); save the file as"
                    " CSV UTF-8"
                )
        return None

    def rows(self) -> Iterator[tuple[int, list[str] | RowError]]:
        """Data rows after the header with the line each starts on; blank lines are skipped.
        A row that is not UTF-8 comes as the RowError that rejects it."""
        reader = self._reader
        for line, row in self._records():
            if self.bad_lines:
                problem = self.undecoded(line, reader.line_num)
                if problem:
                    yield line, RowError(line, "", problem)
                    continue
            if row and any(row):
                yield line, row

    def _records(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(self.name, f"line {line}: not valid CSV ({exc})") from exc
            yield line, row
            line = reader.line_num + 1


def record_batches(
    source: CsvSource, read: Callable[[int, dict], Any], batch_size: int
) -> Iterator[tuple[list, Batch]]:
    """The file's rows made into records by `read(line, row)` (a record or a RowError),
    `batch_size` rows at a time, each with a Batch giving its errors and progress (the imports
    of one record per row: survey answers, reviews)."""
    records: list = []
    errors: list[RowError] = []
    rows = rejected = 0
    for line, row in source.rows():
        made = row if isinstance(row, RowError) else read(line, row)
        rows += 1
        if isinstance(made, RowError):
            errors.append(made)
            rejected += 1
        else:
            records.append(made)
        if rows == batch_size:
            yield records, Batch([], errors, rows, rejected, source.bytes_read())
            records, errors, rows, rejected = [], [], 0, 0
    if rows:
        yield records, Batch([], errors, rows, rejected, source.bytes_read())
