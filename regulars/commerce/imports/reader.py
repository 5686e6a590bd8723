"""Reading a CSV file as a stream of (line number, row), never the whole file at once.

UTF-8 with or without a byte-order mark, comma-separated, quoted fields may hold line breaks
(Shopify's "Note Attributes" do), so a row's line number is where its record starts.
"""

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path

from regulars.commerce.imports.records import ImportFileError

_READ_BUFFER = 1 << 20


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
        self._text = io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")
        self._reader = csv.reader(self._text)
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
        for _line, row in self._records():
            if any(cell.strip() for cell in row):
                return [cell.strip() for cell in row]
        raise ImportFileError(self.name, "has no header row")

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows after the header with the line each starts on; blank lines are skipped."""
        for line, row in self._records():
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
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    self.name,
                    f"is not UTF-8 text (byte 0x{exc.object[exc.start]:02x} near line {line});"
                    " save it as CSV UTF-8",
                ) from exc
            except csv.Error as exc:
                raise ImportFileError(self.name, f"line {line}: not valid CSV ({exc})") from exc
            yield line, row
            line = reader.line_num + 1
