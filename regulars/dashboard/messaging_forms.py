"""Forms of the messaging pages: they parse what the merchant typed; messaging's services decide.

Field names are the services' argument names, so a service error (which names its field) is
shown beside the field it is about (`forms.apply_service_error`).
"""

from django import forms
from django.conf import settings

from regulars.commerce.models import CONSENT_CHANNELS, Consent
from regulars.messaging.models import (
    APPRISE_CHANNELS,
    Channel,
    MessageStatus,
    Purpose,
    SuppressionReason,
)

_DATE = forms.DateInput(attrs={"type": "date"})
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
CONSENT_LABELS = {
    "email": "E-mail",
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "push": "Push",
}


def _any(choices) -> list:
    return [("", "Any"), *choices]


# --- the message log ------------------------------------------------------------------------


class MessageFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Customer", max_length=200)
    status = forms.ChoiceField(required=False, choices=_any(MessageStatus.choices))
    channel = forms.ChoiceField(required=False, choices=_any(Channel.choices))
    purpose = forms.ChoiceField(required=False, choices=_any(Purpose.choices))
    template_key = forms.ChoiceField(required=False, label="Template")
    source = forms.CharField(required=False, max_length=60)
    sent_from = forms.DateField(required=False, label="From", widget=_DATE)
    sent_to = forms.DateField(required=False, label="To", widget=_DATE)
    # Set by the "all messages" link of a customer's page.
    customer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, data=None, *, template_keys=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["template_key"].choices = _any([(key, key) for key in template_keys])

    def clean(self):
        data = super().clean()
        start, end = data.get("sent_from"), data.get("sent_to")
        if start and end and start > end:
            self.add_error("sent_to", "The last day must be on or after the first.")
        return data


# --- channels and the contact budget ------------------------------------------------------------


class EmailChannelForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Send e-mail")
    sender = forms.CharField(
        max_length=254,
        label="From address",
        help_text="An address of a domain your mail server or provider may send for.",
    )
    sender_name = forms.CharField(
        max_length=100, required=False, label="From name", help_text="The store's name if empty."
    )
    reply_to = forms.CharField(
        max_length=254,
        required=False,
        label="Reply-To",
        help_text="Where customers' replies go, if not to the From address.",
    )


class AppriseChannelForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Send on this channel")
    secret = forms.CharField(
        max_length=2000,
        required=False,
        label="Apprise URL",
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="Leave empty to keep the URL already saved.",
    )


class WebhookChannelForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Post messages to this URL")
    url = forms.CharField(max_length=1000, required=False, label="Receiving URL")
    new_secret = forms.BooleanField(
        required=False,
        label="Generate a new signing secret",
        help_text="The current secret stops working at once.",
    )


CHANNEL_FORMS = {
    Channel.EMAIL: EmailChannelForm,
    **dict.fromkeys(APPRISE_CHANNELS, AppriseChannelForm),
    Channel.WEBHOOK: WebhookChannelForm,
}


class MessagingSettingsForm(forms.Form):
    frequency_cap_hours = forms.IntegerField(
        min_value=1,
        max_value=720,
        label="Frequency cap (hours)",
        help_text="At most one marketing message per customer in this many hours, on any channel.",
    )
    quiet_start = forms.TimeField(label="Quiet hours start", widget=_TIME)
    quiet_end = forms.TimeField(label="Quiet hours end", widget=_TIME)
    quiet_hours_for_email = forms.BooleanField(
        required=False, label="Quiet hours apply to e-mail too"
    )
    double_opt_in = forms.BooleanField(
        required=False,
        label="Double opt-in for e-mail marketing",
        help_text="A new subscriber confirms through a link before marketing reaches them.",
    )
    webhook_consent_channel = forms.ChoiceField(
        label="Consent covering the webhook channel",
        choices=[(c, CONSENT_LABELS[c]) for c in CONSENT_CHANNELS],
        help_text="Marketing posted to your webhook goes only to customers with this consent.",
    )


class SendTestForm(forms.Form):
    address = forms.CharField(max_length=320, label="Send a test to")


class InboundSmsKeyForm(forms.Form):
    """The key inbound SMS (STOP/START) are signed with; the button pressed is `action`."""

    GENERATE, USE, OFF = "generate", "use", "off"

    action = forms.ChoiceField(choices=[(GENERATE, GENERATE), (USE, USE), (OFF, OFF)])
    inbound_secret = forms.CharField(
        max_length=500,
        required=False,
        label="Your own key",
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text="With Twilio, paste your account's auth token.",
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == self.USE and not data.get("inbound_secret"):
            # An empty key would switch inbound SMS off, which has its own button.
            self.add_error("inbound_secret", "Paste the key to use.")
        return data


# --- templates --------------------------------------------------------------------------------


class TemplateForm(forms.Form):
    key = forms.CharField(
        max_length=60,
        help_text="What the message is for, e.g. order_confirmation: lower-case letters, "
        "digits, - and _.",
    )
    channel = forms.ChoiceField(choices=Channel.choices)
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    purpose = forms.ChoiceField(
        choices=Purpose.choices,
        initial=Purpose.MARKETING,
        help_text="Marketing needs the customer's consent; transactional (orders, shipping) "
        "does not.",
    )
    name = forms.CharField(max_length=200, required=False)
    subject = forms.CharField(max_length=500, required=False, strip=False)
    body_html = forms.CharField(
        required=False,
        strip=False,
        label="HTML",
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "class": "code"}),
    )
    body_text = forms.CharField(
        required=False,
        strip=False,
        label="Text",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="E-mail: derived from the HTML when empty. SMS, WhatsApp, push: the message.",
    )
    preview_as = forms.CharField(
        required=False,
        max_length=254,
        label="Preview for",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Newest customer"}),
        help_text="A customer's e-mail (or part of a name); empty: the newest customer.",
    )


# --- consent and suppressions -------------------------------------------------------------------


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(choices=[(c, CONSENT_LABELS[c]) for c in CONSENT_CHANNELS])
    state = forms.ChoiceField(
        choices=[
            (Consent.SUBSCRIBED, "Subscribed"),
            (Consent.UNSUBSCRIBED, "Unsubscribed"),
            (Consent.UNKNOWN, "Not asked"),
        ]
    )
    text = forms.CharField(
        max_length=2000,
        label="What the customer agreed to or asked",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the change, e.g. “Asked by phone on March 3 to stop SMS.”",
    )


class SuppressionFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Address", max_length=320)
    channel = forms.ChoiceField(required=False, choices=_any(Channel.choices))
    reason = forms.ChoiceField(required=False, choices=_any(SuppressionReason.choices))


class SuppressionAddForm(forms.Form):
    channel = forms.ChoiceField(choices=Channel.choices)
    address = forms.CharField(
        max_length=320, help_text="An e-mail address, or a phone number such as +14155550123."
    )
    detail = forms.CharField(max_length=500, required=False, label="Why")
