"""`regulars insights`: a store's loyalty figures on the command line, their refresh, and the
import of survey answers.

regulars insights --store SLUG [--json]       the latest figures (what the Insights page shows)
regulars insights refresh [--store SLUG]      recompute now (every store without --store)
regulars insights import-responses FILE --store SLUG --kind nps|csat [--dry-run]
"""

import argparse
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from regulars.core.models import Store
from regulars.insights.imports.cli import COMMAND as IMPORT_RESPONSES
from regulars.insights.imports.cli import add_import_parser, run_import
from regulars.insights.report_text import report_text
from regulars.insights.schedule import ensure_nightly_tick
from regulars.insights.services import do_refresh_insights, latest_insights

REFRESH = "refresh"


class Command(BaseCommand):
    help = (
        "A store's loyalty figures (`insights --store SLUG [--json]`), their refresh"
        " (`insights refresh [--store SLUG]`) and survey answers' import"
        " (`insights import-responses FILE --store SLUG --kind nps|csat`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--store", help="the store's slug")
        parser.add_argument("--json", action="store_true", help="the figures as JSON")
        subcommands = parser.add_subparsers(dest="subcommand", metavar="SUBCOMMAND")
        refresh = subcommands.add_parser(
            REFRESH,
            help="Recompute figures and every customer's scores now",
            description="Recompute the figures, refit the models and rescore every customer,"
            " in this process, for one store or every store. The worker does the same nightly.",
        )
        # SUPPRESS: without it the subcommand's default would overwrite `--store` given before it
        refresh.add_argument("--store", default=argparse.SUPPRESS, help="the store's slug")
        add_import_parser(subcommands)

    def handle(self, *args, **options):
        subcommand = options.get("subcommand")
        if subcommand == IMPORT_RESPONSES:
            code = run_import(options, self.stdout, self.stderr)
            if code:
                # The runner has said what went wrong; only the exit code is left to give.
                sys.exit(code)
            return
        if subcommand == REFRESH:
            self._refresh(options.get("store"))
            return
        if not options.get("store"):
            raise CommandError("give --store SLUG (or a subcommand: refresh, import-responses)")
        self._show(_store(options["store"]), as_json=options["json"])

    def _show(self, store: Store, *, as_json: bool) -> None:
        report = latest_insights(store)
        if report is None:
            raise CommandError(
                f"store {store.slug!r} has no insights yet: run"
                f" `regulars insights refresh --store {store.slug}`"
            )
        if as_json:
            body = {"store": store.slug, "computed_at": report.computed_at.isoformat(),
                    "seconds": report.seconds, "figures": report.figures}  # fmt: skip
            self.stdout.write(json.dumps(body, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(report_text(store, report), ending="")

    def _refresh(self, slug: str | None) -> None:
        stores = [_store(slug)] if slug else list(Store.objects.order_by("pk"))
        for store in stores:
            report = do_refresh_insights(store)
            clv = report.figures["clv"]
            note = clv["problem"] or clv["gamma_gamma_problem"] or "models fitted"
            self.stdout.write(
                f"{store.slug}: refreshed in {report.seconds:.1f} s,"
                f" {report.figures['periods'][-1]['metrics']['customers']:,} customers; {note}"
            )
        # a deployment that never ran `migrate` since this version still gets its nights
        ensure_nightly_tick()


def _store(slug: str) -> Store:
    store = Store.objects.filter(slug=slug).first()
    if store is None:
        raise CommandError(f"no store with the slug {slug!r}", returncode=2)
    return store
