"""Store settings (name, currency, time zone, language) and staff with their roles."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from regulars.core.errors import RegularsError
from regulars.core.models import Membership
from regulars.core.roles import Permission
from regulars.core.services import do_remove_member, do_set_member, do_update_store
from regulars.dashboard.forms import (
    StaffAddForm,
    StaffRoleForm,
    StoreSettingsForm,
    apply_service_error,
)
from regulars.dashboard.views.base import not_found_unless, page, store_view


@store_view(Permission.VIEW, post=Permission.SETTINGS)
def store_settings(request):
    store = request.store
    initial = {
        "name": store.name,
        "currency": store.currency,
        "timezone": store.timezone,
        "language": store.default_language,
    }
    form = StoreSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_update_store(
                store,
                name=data["name"],
                currency=data["currency"],
                timezone_name=data["timezone"],
                language=data["language"],
            )
        except RegularsError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, "Store settings saved.")
            return redirect("dashboard:store_settings", store_slug=store.slug)
    return page(
        request,
        "dashboard/settings/store.html",
        {"section": "settings", "tab": "store", "form": form},
        status=400 if form.errors else 200,
    )


@store_view(Permission.VIEW, post=Permission.STAFF)
def staff(request):
    store = request.store
    form = StaffAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = do_set_member(
                store, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
            )
        except RegularsError as exc:
            apply_service_error(form, exc)
        else:
            _added_message(request, membership)
            return redirect("dashboard:staff", store_slug=store.slug)
    members = (
        Membership.objects.filter(store=store).select_related("user").order_by("user__username")
    )
    return page(
        request,
        "dashboard/settings/staff.html",
        {
            "section": "settings",
            "tab": "staff",
            "form": form,
            "members": [(m, StaffRoleForm(initial={"role": m.role})) for m in members],
        },
        status=400 if form.errors else 200,
    )


def _added_message(request, membership: Membership) -> None:
    user = membership.user
    text = f"{user.username} is now {membership.get_role_display().lower()} of this store."
    if not user.has_usable_password():
        text += (
            " They have no password yet: an administrator of this installation sets one with"
            f" `regulars changepassword {user.username}`."
        )
    messages.success(request, text)


@store_view(Permission.STAFF)
@require_POST
def staff_role(request, membership_id: int):
    store = request.store
    membership = _membership(store, membership_id)
    form = StaffRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
    else:
        try:
            do_set_member(store, email=membership.user.username, role=form.cleaned_data["role"])
        except RegularsError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, f"{membership.user.username} is now {form.cleaned_data['role']}."
            )
    return redirect("dashboard:staff", store_slug=store.slug)


@store_view(Permission.STAFF)
@require_POST
def staff_remove(request, membership_id: int):
    store = request.store
    membership = _membership(store, membership_id)
    try:
        do_remove_member(store, membership)
    except RegularsError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard:staff", store_slug=store.slug)
    messages.success(request, f"{membership.user.username} no longer has access to this store.")
    if membership.user_id == request.user.pk:
        return redirect("dashboard:home")
    return redirect("dashboard:staff", store_slug=store.slug)


def _membership(store, membership_id: int) -> Membership:
    return not_found_unless(
        Membership.objects.filter(store=store, pk=membership_id).select_related("user").first()
    )
