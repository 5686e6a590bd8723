"""The messaging part of the JSON API (/api/v1/messages): send a customer a message from one
of the store's templates (a reply, a notice from the store's own system), and read the send
log. Every message still goes through consent, suppression and the contact budget."""

from ninja import Path, Query, Router

from regulars.commerce.api import page_of
from regulars.commerce.schemas import ErrorsOut
from regulars.commerce.services import access_customer
from regulars.commerce.services.common import aware
from regulars.core.errors import CoreErrorCode, RegularsError
from regulars.messaging.models import Message
from regulars.messaging.schemas import MessageDetailOut, MessageFilters, MessageIn, MessagePage
from regulars.messaging.services.sending import do_queue_message

router = Router(tags=["messages"])

_READ_ERRORS = dict.fromkeys((400, 401, 404, 422, 429), ErrorsOut)
_WRITE_ERRORS = dict.fromkeys((400, 401, 403, 404, 413, 422, 429), ErrorsOut)


@router.post(
    "/messages",
    response={202: MessageDetailOut, **_WRITE_ERRORS},
    summary="Queue a message to a customer",
    description=(
        "Renders the store's template `template_key` for the customer (in their language) and "
        "queues it. Consent, suppressions, quiet hours and the frequency cap apply when it is "
        "sent: read its `status` to see what happened. The same `idempotency_key` again returns "
        "the first message."
    ),
)
def queue_message(request, payload: MessageIn):
    store = request.auth.store
    customer = access_customer(
        store, customer_id=payload.customer_id, external_id=payload.customer_external_id
    )
    message = do_queue_message(
        store,
        customer,
        channel=payload.channel,
        purpose=payload.purpose,
        template_key=payload.template_key,
        language=payload.language or None,
        context={"data": payload.context},
        priority=payload.priority,
        idempotency_key=payload.idempotency_key or None,
        send_after=aware(payload.send_after, store),
        deadline=aware(payload.deadline, store),
        source="api",
    )
    return 202, message


@router.get(
    "/messages",
    response={200: MessagePage, **_READ_ERRORS},
    summary="The send log, newest first",
)
def list_messages(request, filters: Query[MessageFilters]):
    store = request.auth.store
    messages = Message.objects.filter(store=store).order_by("-created_at", "-pk")
    if filters.customer_id:
        messages = messages.filter(customer_id=filters.customer_id)
    if filters.customer_external_id:
        messages = messages.filter(customer__external_id=filters.customer_external_id)
    if filters.status:
        messages = messages.filter(status=filters.status)
    if filters.channel:
        messages = messages.filter(channel=filters.channel)
    if filters.created_since:
        messages = messages.filter(created_at__gte=aware(filters.created_since, store))
    return 200, page_of(messages, filters)


@router.get(
    "/messages/{message_id}",
    response={200: MessageDetailOut, **_READ_ERRORS},
    summary="One message, with its rendered bodies",
)
def get_message(request, message_id: int = Path(..., ge=1, le=2**63 - 1)):
    message = Message.objects.filter(store=request.auth.store, pk=message_id).first()
    if message is None:
        raise RegularsError(
            f"No message with id {message_id} in this store.", code=CoreErrorCode.NOT_FOUND
        )
    return 200, message
