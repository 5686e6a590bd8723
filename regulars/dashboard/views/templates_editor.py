"""Messages · Templates: the store's message templates by key, the editor with the documented
variables, and a preview on a real customer of the store.

The preview runs as the merchant types (static/dashboard/template_editor.js posts the form to
`template_preview`, which answers JSON) and, without JavaScript, through the form's "Preview"
button, which renders the same preview into the page. Staff may read and preview; saving and
deleting need SETTINGS.
"""

from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from regulars.core.errors import RegularsError
from regulars.core.roles import Permission
from regulars.dashboard.forms import apply_service_error
from regulars.dashboard.messaging_forms import TemplateForm
from regulars.dashboard.views.base import not_found_unless, page, store_view
from regulars.dashboard.views.messages import PREVIEW_HEAD
from regulars.messaging.models import Channel, Purpose, Template
from regulars.messaging.rendering import VARIABLES, render_source, sms_segments
from regulars.messaging.services.templates import do_delete_template, do_save_template
from regulars.messaging.services.testing import example_context, example_customer

IDENTITY = ("key", "channel", "language")
_CONTENT = ("purpose", "name", "subject", "body_html", "body_text")
# The channels whose text is counted in SMS segments as the merchant types.
SEGMENTED = (Channel.SMS, Channel.WHATSAPP)


@store_view(Permission.VIEW)
def template_list(request):
    templates = Template.objects.filter(store=request.store).select_related("updated_by")
    groups = []
    for key, rows in groupby(templates.order_by("key", "channel", "language"), lambda t: t.key):
        rows = list(rows)
        by_channel = [
            {"channel": channel, "templates": list(items)}
            for channel, items in groupby(rows, lambda t: t.get_channel_display())
        ]
        groups.append({"key": key, "channels": by_channel, "purpose": rows[0].purpose})
    return page(
        request,
        "dashboard/messaging/templates.html",
        {"section": "messages", "tab": "templates", "groups": groups},
    )


@store_view(Permission.SETTINGS)
def template_new(request):
    store = request.store
    form = TemplateForm(request.POST or None, initial=_new_initial(store, request.GET))
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = _preview(store, form.cleaned_data)
        elif not _exists(store, form):
            template = _save(request, form)
            if template is not None:
                messages.success(request, f"The template {template} is saved.")
                return redirect("dashboard:message_template", store.slug, template.pk)
    return _editor(request, form, None, preview)


def _new_initial(store, query) -> dict:
    """Blank, or (from "Add a language" / "Copy") a copy of one of the store's templates."""
    initial = {"language": store.default_language, "purpose": Purpose.MARKETING}
    source = None
    if query.get("copy", "").isdigit():
        source = Template.objects.filter(store=store, pk=int(query["copy"])).first()
    if source is not None:
        initial |= {field: getattr(source, field) for field in (*IDENTITY, *_CONTENT)}
    for field in IDENTITY:
        if query.get(field):
            initial[field] = query[field]
    return initial


def _exists(store, form) -> bool:
    data = form.cleaned_data
    found = Template.objects.filter(store=store, **{f: data[f] for f in IDENTITY}).first()
    if found is None:
        return False
    form.add_error(
        "key",
        f"This store already has a “{data['key']}” template for {found.get_channel_display()} "
        f"in {data['language']}: edit that one, or choose another key, channel or language.",
    )
    return True


@store_view(Permission.VIEW, post=Permission.SETTINGS)
def template_edit(request, template_id: int):
    store = request.store
    template = not_found_unless(Template.objects.filter(store=store, pk=template_id).first())
    initial = {field: getattr(template, field) for field in (*IDENTITY, *_CONTENT)}
    form = TemplateForm(request.POST or None, initial=initial)
    for field in IDENTITY:
        # The template's identity stays; another one is a new template ("Add a language").
        form.fields[field].disabled = True
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = _preview(store, form.cleaned_data)
        elif _save(request, form) is not None:
            messages.success(request, f"The template {template} is saved.")
            return redirect("dashboard:message_template", store.slug, template.pk)
    return _editor(request, form, template, preview)


def _save(request, form) -> Template | None:
    data = form.cleaned_data
    try:
        return do_save_template(
            request.store,
            request.user,
            **{field: data[field] for field in (*IDENTITY, *_CONTENT)},
        )
    except RegularsError as exc:
        apply_service_error(form, exc)
        return None


def _editor(request, form, template, preview):
    store = request.store
    if preview is None:
        preview = _preview(store, _typed(form))
    siblings = []
    if template is not None:
        siblings = list(
            Template.objects.filter(store=store, key=template.key).order_by("channel", "language")
        )
    return page(
        request,
        "dashboard/messaging/template_edit.html",
        {
            "section": "messages",
            "tab": "templates",
            "form": form,
            "template": template,
            "siblings": siblings,
            "preview": preview,
            "preview_srcdoc": PREVIEW_HEAD + preview["html"] if preview.get("html") else "",
            "variables": VARIABLES,
            "segmented": [c.value for c in SEGMENTED],
            "preview_url": reverse("dashboard:message_template_preview", args=[store.slug]),
        },
        status=400 if form.errors else 200,
    )


def _typed(form) -> dict:
    """What the form shows: the posted text (even when invalid), else the initial values."""
    values = {name: form[name].value() for name in form.fields}
    return {name: value if value is not None else "" for name, value in values.items()}


def _preview(store, data) -> dict:
    """What the form's text renders to for a customer of the store: {subject, html, text,
    segments, customer} or {error: {field, message}}."""
    channel = data.get("channel") or ""
    if channel not in Channel.values:
        return {"error": {"field": "channel", "message": "Choose a channel."}}
    try:
        customer = example_customer(store, data.get("preview_as") or "")
        context = example_context(store, customer) | _page_links(data.get("purpose"))
        rendered = render_source(
            channel=channel,
            subject=data.get("subject") or "",
            body_html=data.get("body_html") or "",
            body_text=data.get("body_text") or "",
            context=context,
            language=data.get("language") or "",
        )
    except RegularsError as exc:
        return {"error": {"field": exc.field or "", "message": exc.message}}
    segments = sms_segments(rendered.body_text)
    return {
        "subject": rendered.subject,
        "html": rendered.body_html,
        "text": rendered.body_text,
        "segments": {
            "encoding": segments.encoding,
            "characters": segments.characters,
            "segments": segments.segments,
        },
        "customer": {
            "id": customer.pk,
            "name": customer.display_name,
            "email": customer.email,
            "sample": customer.pk is None,
        },
    }


def _page_links(purpose) -> dict:
    # Addresses of the right shape that lead nowhere: a click in a preview must not
    # unsubscribe the customer it is rendered for.
    base = f"{settings.BASE_URL}/messaging"
    return {
        "unsubscribe_url": f"{base}/u/preview/" if purpose == Purpose.MARKETING else "",
        "preferences_url": f"{base}/p/preview/",
    }


@store_view(Permission.VIEW)
@require_POST
def template_preview(request):
    """The live preview's JSON, for the text posted (nothing is saved).

    A template error is a preview like any other (200, {error: ...}): it is what the merchant
    is typing, and the editor shows it in place of the rendering.
    """
    fields = ("channel", "language", "purpose", "subject", "body_html", "body_text", "preview_as")
    result = _preview(request.store, {field: request.POST.get(field, "") for field in fields})
    bad_request = result.get("error", {}).get("field") == "channel"
    return JsonResponse(result, status=400 if bad_request else 200)


@store_view(Permission.SETTINGS)
@require_POST
def template_delete(request, template_id: int):
    store = request.store
    template = not_found_unless(Template.objects.filter(store=store, pk=template_id).first())
    do_delete_template(store, template.pk)
    messages.success(request, f"The template {template} is deleted.")
    return redirect("dashboard:message_templates", store.slug)
