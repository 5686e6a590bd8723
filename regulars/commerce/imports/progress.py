"""An import's progress where people look: a bar on stderr (bytes of the file read), each
rejected row printed with its line, and the ImportRun row the dashboard shows, saved after
every batch."""

from django.utils import timezone
from tqdm import tqdm

from regulars.commerce.imports.records import Batch, RowError
from regulars.commerce.models import ImportRun, ImportStatus

KEPT_ERRORS = 1_000  # rows printed and kept in ImportRun.errors; the rest are only counted


def do_start_run(store, *, file_name: str, file_format: str, bytes_total: int) -> ImportRun:
    return ImportRun.objects.create(
        store=store,
        kind="orders",
        file_name=file_name[:500],
        file_format=file_format,
        bytes_total=bytes_total,
    )


class Progress:
    def __init__(self, run: ImportRun | None, *, file_name: str, size: int, stream, bar):
        self.run = run
        self.file_name = file_name
        self.stream = stream
        self.rows = 0
        self.rejected = 0
        self.warnings = 0
        self.errors: list[RowError] = []
        self._shown = 0
        self._bar = tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc=file_name[-40:],
            file=stream,
            disable=None if bar is None else not bar,
            mininterval=0.5,
            leave=False,
        )

    def advance(self, batch: Batch, counts) -> None:
        self.rows += batch.rows
        self.rejected += batch.rejected_rows
        for error in batch.errors:
            if not error.rejected:
                self.warnings += 1
            if len(self.errors) < KEPT_ERRORS:
                self.errors.append(error)
                tqdm.write(error.format(self.file_name), file=self.stream)
        self._bar.update(batch.bytes_done - self._bar.n)
        if self.run is not None:
            self._save(counts, bytes_done=batch.bytes_done)

    def finish(self, counts, *, status: str) -> None:
        self._bar.close()
        if self.run is not None:
            self._save(counts, bytes_done=self.run.bytes_total, status=status, finished=True)

    def fail(self, counts, problem: str, line: int | None = None) -> None:
        self._bar.close()
        if self.run is None:
            return
        if len(self.errors) < KEPT_ERRORS:
            self.errors.append(RowError(line or 0, "", problem))
        self._save(counts, status=ImportStatus.FAILED, finished=True)

    def _save(self, counts, *, bytes_done=None, status=None, finished=False) -> None:
        run = self.run
        if bytes_done is not None:
            run.bytes_done = bytes_done
        run.rows_done = self.rows
        run.created = counts.created
        run.updated = counts.updated
        run.rejected = self.rejected
        run.errors = [error.as_dict() for error in self.errors]
        fields = ["bytes_done", "rows_done", "created", "updated", "rejected", "errors"]
        if status is not None:
            run.status = status
            fields.append("status")
        if finished:
            run.finished_at = timezone.now()
            fields.append("finished_at")
        run.save(update_fields=fields)
