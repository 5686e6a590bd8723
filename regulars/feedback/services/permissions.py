"""The one staff check of the feedback services: the user's membership of the store must allow
the permission, else StorePermissionDenied."""

from regulars.core.errors import StorePermissionDenied
from regulars.core.roles import Permission
from regulars.core.services import membership_for


def check_permission(store, user, permission: Permission) -> None:
    membership = membership_for(user, store)
    if membership is None or not membership.allows(permission):
        raise StorePermissionDenied()
