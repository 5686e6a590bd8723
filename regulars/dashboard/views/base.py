"""The one door into a store's pages: `store_view` checks the user's role for every request.

Every dashboard view under /s/<store_slug>/ is wrapped by `store_view(permission)`, which asks
`core.services.access_store`: a store the user is not staff of is a 404 (its existence is not
revealed), a role without the permission gets the 403 page. The view then runs with
`request.store` and `request.membership` set and the store's time zone active, so every time
on the page is shown in the store's zone.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from regulars.core.errors import CoreErrorCode, RegularsError, StorePermissionDenied
from regulars.core.roles import Permission
from regulars.core.services import access_store, stores_for_user

PAGE_SIZE = 50


def store_view(permission: Permission, *, post: Permission | None = None) -> Callable:
    """Wrap a view taking `request` (plus URL arguments) with login, store access and time zone.

    `post` is the permission a POST needs when it differs from reading the page (a viewer may
    see the store settings, only an admin may change them).
    """

    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, store_slug: str, *args, **kwargs) -> HttpResponse:
            needed = post if post is not None and request.method == "POST" else permission
            try:
                store, membership = access_store(request.user, store_slug, needed)
            except StorePermissionDenied as exc:
                return _forbidden(request, store_slug, exc.message)
            except RegularsError as exc:
                if exc.code == CoreErrorCode.NOT_FOUND:
                    raise Http404("No such store.") from exc
                raise
            request.store, request.membership = store, membership
            with timezone.override(store.timezone):
                return view(request, *args, **kwargs)

        return wrapper

    return decorate


def page(
    request: HttpRequest, template: str, context: dict | None = None, *, status: int = 200
) -> HttpResponse:
    """Render a store page with what the layout needs: the store, the switcher, the role."""
    membership = request.membership
    context = {
        "store": request.store,
        "membership": membership,
        "stores": stores_for_user(request.user),
        "can": {perm.value: membership.allows(perm) for perm in Permission},
        **(context or {}),
    }
    return render(request, template, context, status=status)


def _forbidden(request: HttpRequest, store_slug: str, message: str) -> HttpResponse:
    # Staff of the store always have VIEW, so the layout can still show the store's navigation.
    request.store, request.membership = access_store(request.user, store_slug, Permission.VIEW)
    return page(request, "dashboard/403.html", {"message": message}, status=403)


def not_found_unless(found):
    """`found`, or a 404: an id of another store's row is as unknown as an id that never was."""
    if found is None:
        raise Http404("Not found.")
    return found
