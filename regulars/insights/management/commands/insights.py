"""`regulars insights SUBCOMMAND`: the insights app's command line.

regulars insights import-responses FILE --store SLUG --kind nps|csat [--dry-run]
"""

import sys

from django.core.management.base import BaseCommand

from regulars.insights.imports.cli import COMMAND as IMPORT_RESPONSES
from regulars.insights.imports.cli import add_import_parser, run_import


class Command(BaseCommand):
    help = "Loyalty insights: `insights import-responses FILE --store SLUG --kind nps|csat`."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        add_import_parser(subcommands)

    def handle(self, *args, **options):
        runners = {IMPORT_RESPONSES: run_import}
        code = runners[options["subcommand"]](options, self.stdout, self.stderr)
        if code:
            # The runner has said what went wrong; only the exit code is left to give.
            sys.exit(code)
