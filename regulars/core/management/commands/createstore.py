"""`regulars createstore NAME --owner EMAIL`: a new store with its owner (created if needed)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from regulars.core.errors import RegularsError
from regulars.core.roles import Role
from regulars.core.services import do_create_store, do_set_member


class Command(BaseCommand):
    help = "Create a store and give OWNER (an e-mail; a new login is created if needed) the owner role."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--owner", required=True, help="the owner's e-mail")
        parser.add_argument("--currency", default="USD", help="ISO 4217 code (default USD)")
        parser.add_argument("--timezone", default="UTC", help="IANA zone, e.g. Europe/Paris")
        parser.add_argument("--language", default="en", help="default language, e.g. en, th, hy")
        parser.add_argument("--slug", default="", help="the store's address in the dashboard")

    def handle(self, *args, **options):
        email = options["owner"].strip().lower()
        User = get_user_model()
        new_password = None
        try:
            with transaction.atomic():
                if not User.objects.filter(username=email).exists():
                    new_password = secrets.token_urlsafe(12)
                store = do_create_store(
                    name=options["name"],
                    currency=options["currency"],
                    timezone_name=options["timezone"],
                    language=options["language"],
                    slug=options["slug"],
                )
                do_set_member(store, email=email, role=Role.OWNER, password=new_password)
        except RegularsError as exc:
            raise CommandError(f"{exc.field or 'store'}: {exc.message}", returncode=2) from exc
        self.stdout.write(f"Created store {store.name!r} (/s/{store.slug}/), owner {email}.")
        if new_password:
            self.stdout.write(
                f"New login {email} with password {new_password} — change it with "
                f"`regulars changepassword {email}`."
            )
