"""Staff roles per store and what each may do. Checked by every page and API call."""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    AGENT = "agent", "Agent"
    VIEWER = "viewer", "Viewer"


class Permission(StrEnum):
    VIEW = "view"  # read customers, orders, deliveries, figures
    SUPPORT = "support"  # act for customers: replies, consent changes (later issues)
    REPLAY = "replay"  # replay kept webhook deliveries, run imports
    INTEGRATIONS = "integrations"  # API keys and webhook secrets
    SETTINGS = "settings"  # store name, currency, time zone, language
    STAFF = "staff"  # add and remove staff, change roles


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.VIEW}),
    Role.AGENT: frozenset({Permission.VIEW, Permission.SUPPORT}),
    Role.ADMIN: frozenset(
        {
            Permission.VIEW,
            Permission.SUPPORT,
            Permission.REPLAY,
            Permission.INTEGRATIONS,
            Permission.SETTINGS,
        }
    ),
    Role.OWNER: frozenset(Permission),
}


def role_allows(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())
