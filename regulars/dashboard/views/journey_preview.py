"""A preview of each send step of a journey for a real customer of the store, rendered through
messaging's rendering with that customer's latest order, shipment and cart, and a sample coupon
where the journey issues one. Nothing is saved or sent: the enrollment and the coupon are
unsaved objects, and the unsubscribe and preference links lead nowhere.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone

from regulars.commerce.models import Cart, Customer, Fulfillment, Order
from regulars.core.errors import RegularsError
from regulars.dashboard.views.messages import PREVIEW_HEAD
from regulars.journeys.models import Enrollment, Journey
from regulars.journeys.steps import message_data
from regulars.messaging.models import Channel, Purpose
from regulars.messaging.rendering import (
    TemplateMissing,
    build_context,
    language_chain,
    pick_template,
    render_source,
    render_template,
)
from regulars.messaging.rendering.defaults import default_templates
from regulars.messaging.services.testing import example_customer
from regulars.promotions.models import Coupon
from regulars.promotions.services import coupon_variables


def preview_customer(store, query: str) -> tuple[Customer, str]:
    """The customer to preview for, and an error for the picker ("" when none): the one the
    query finds, else the one with the most recent order, else the newest, else a sample."""
    error = ""
    if query:
        try:
            return example_customer(store, query), ""
        except RegularsError as exc:
            error = exc.message
    recent = (
        Customer.objects.filter(store=store, last_order_at__isnull=False)
        .order_by("-last_order_at", "-pk")
        .first()
    )
    return recent or example_customer(store), error


def preview_steps(store, journey: Journey, customer: Customer) -> list[dict]:
    """One preview per send step: {number, template_key, channel, template, builtin, subject,
    html, srcdoc, text, error}."""
    enrollment = _sample_enrollment(store, journey, customer)
    data = message_data(enrollment)
    base = {
        "order": enrollment.order,
        "fulfillment": enrollment.fulfillment,
        "links": _page_links(),
    }
    previews, coupon = [], None
    for index, step in enumerate(journey.steps or []):
        if step.get("type") == "coupon":
            coupon = _sample_coupon(store, customer, step)
        if step.get("type") == "send":
            previews.append(_preview(store, customer, index, step, base, data, coupon))
    return previews


def _sample_enrollment(store, journey: Journey, customer: Customer) -> Enrollment:
    order = fulfillment = cart = None
    if customer.pk is not None:
        order = (
            Order.objects.filter(store=store, customer=customer)
            .order_by("-placed_at", "-pk")
            .first()
        )
        if order is not None:
            fulfillment = (
                Fulfillment.objects.filter(store=store, order=order).order_by("-pk").first()
            )
        cart = Cart.objects.filter(store=store, customer=customer).order_by("-updated_at").first()
    return Enrollment(
        store=store,
        journey=journey,
        customer=customer,
        order=order,
        fulfillment=fulfillment,
        cart=cart,
        entered_at=timezone.now(),
    )


def _sample_coupon(store, customer: Customer, step: dict) -> dict:
    """The coupon the step would issue, as the message would show it, with a sample code."""
    try:
        value = Decimal(str(step.get("value")))
        minimum = step.get("minimum_spend")
        minimum = Decimal(str(minimum)) if minimum not in (None, "") else None
    except InvalidOperation:
        value, minimum = Decimal(0), None
    prefix = str(step.get("prefix") or "")
    coupon = Coupon(
        store=store,
        customer=customer,
        code=f"{prefix}-SAMPLE" if prefix else "SAMPLE",
        kind=step.get("kind") or "percent",
        value=value,
        currency=store.currency,
        minimum_spend=minimum,
        expires_at=timezone.now() + timedelta(days=int(step.get("valid_days") or 30)),
        issued_at=timezone.now(),
    )
    return coupon_variables(coupon)


def _page_links() -> dict:
    # Addresses of the right shape that lead nowhere: a click in a preview must not
    # unsubscribe the customer it is rendered for.
    base = f"{settings.BASE_URL}/messaging"
    return {"unsubscribe_url": f"{base}/u/preview/", "preferences_url": f"{base}/p/preview/"}


def _preview(store, customer, index: int, step: dict, base: dict, data: dict, coupon) -> dict:
    key, channel = step.get("template", ""), step.get("channel", Channel.EMAIL)
    preview = {
        "number": index + 1,
        "template_key": key,
        "channel": Channel(channel).label if channel in Channel.values else channel,
        "template": None,
        "builtin": False,
    }
    links = base["links"] if step.get("purpose") == Purpose.MARKETING else {}
    language = customer.language or store.default_language
    try:
        context = build_context(
            store,
            customer,
            order=base["order"],
            fulfillment=base["fulfillment"],
            coupon=coupon,
            extra={"data": data, **links},
        )
        try:
            template = pick_template(store, key=key, channel=channel, language=language)
            rendered = render_template(template, context)
            preview["template"] = template
        except TemplateMissing:
            rendered = _render_builtin(store, key, channel, language, context)
            preview["builtin"] = True
    except RegularsError as exc:
        return preview | {"error": exc.message}
    return preview | {
        "language": rendered.language,
        "subject": rendered.subject,
        "text": rendered.body_text,
        "srcdoc": PREVIEW_HEAD + rendered.body_html if rendered.body_html else "",
    }


def _render_builtin(store, key: str, channel: str, language: str, context: dict):
    """The built-in text the store gets when the journey is switched on, in the customer's
    language if there is one."""
    try:
        builtins = {d.language: d for d in default_templates({key}) if d.channel == channel}
    except RegularsError:
        builtins = {}
    for code in language_chain(store, language):
        if code in builtins:
            text = builtins[code]
            return render_source(
                channel=channel,
                subject=text.subject,
                body_html=text.body_html,
                body_text=text.body_text,
                context=context,
                language=code,
            )
    raise TemplateMissing(key=key, channel=channel, languages=language_chain(store, language))
