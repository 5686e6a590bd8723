"""`regulars demo`: build the demo store from the CDNOW purchase log and print the demo login."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from regulars.demo.dataset import DatasetError
from regulars.demo.services import (
    DEFAULT_SEED,
    DemoLogin,
    demo_today,
    do_build_demo,
    do_delete_store,
    do_ensure_demo_login,
    find_demo_store,
)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today {text!r} is not a date (YYYY-MM-DD)", returncode=2) from exc


class Command(BaseCommand):
    help = (
        "Build the demo store 'Regulars Demo Records' from the real CDNOW purchase log "
        "(23,570 customers, 1997-1998, shifted so the demo ends today) and print the demo login."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="default %(default)s")
        parser.add_argument(
            "--customers", type=int, default=None, help="a seeded sample of N customers (all)"
        )
        parser.add_argument("--store-slug", default="demo", help="default %(default)s")
        parser.add_argument(
            "--today",
            default=None,
            help="the day the demo ends, YYYY-MM-DD (default: today in New York)",
        )
        parser.add_argument(
            "--if-missing", action="store_true", help="do nothing if the demo store exists"
        )
        parser.add_argument(
            "--replace", action="store_true", help="delete the existing demo store and rebuild it"
        )

    def handle(self, *args, **options):
        slug = options["store_slug"]
        if options["customers"] is not None and options["customers"] < 1:
            raise CommandError("--customers must be at least 1", returncode=2)
        today = _day(options["today"]) if options["today"] else demo_today()
        existing = find_demo_store(slug)
        if existing is not None and options["if_missing"]:
            self.stdout.write(f"The demo store {slug!r} exists already; nothing to build.")
            self._print_login(do_ensure_demo_login(existing))
            return
        if existing is not None and not options["replace"]:
            raise CommandError(
                f"A store with the slug {slug!r} exists already. Pass --replace to delete and "
                "rebuild it, or --if-missing to keep it.",
                returncode=2,
            )
        if existing is not None:
            self.stdout.write(f"Deleting the store {slug!r} ...")
            do_delete_store(existing)
        self.stdout.write(f"Building the demo store {slug!r} (seed {options['seed']}) ...")
        try:
            summary = do_build_demo(
                seed=options["seed"],
                customers=options["customers"],
                today=today,
                slug=slug,
                progress=self.stdout.write,
            )
        except DatasetError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {summary.store.name!r} in {summary.seconds:.1f} s: "
                + ", ".join(f"{count:,} {name}" for name, count in summary.counts.items())
            )
        )
        self._print_login(summary.login)

    def _print_login(self, login: DemoLogin) -> None:
        self.stdout.write("")
        self.stdout.write(f"  Open      {login.url}")
        self.stdout.write(f"  E-mail    {login.email}")
        if login.password:
            self.stdout.write(f"  Password  {login.password}   (kept in {login.path})")
        else:
            self.stdout.write(
                f"  Password  changed since the first build; to set a new one run "
                f"`regulars changepassword {login.email}`"
            )
        self.stdout.write("")
