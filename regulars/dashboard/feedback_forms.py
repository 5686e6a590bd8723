"""Dashboard forms of the feedback pages: they parse what the merchant typed; feedback's
services decide."""

from django import forms

from regulars.feedback.services.inbox import STATES

_KIND_CHOICES = [("", "Reviews and surveys"), ("review", "Reviews"), ("survey", "Survey comments")]
_RATING_CHOICES = [
    ("", "Any rating"),
    ("negative", "Negative (1–2 ★, NPS 0–6, CSAT 1–2)"),
    ("neutral", "Neutral (3 ★, NPS 7–8, CSAT 3)"),
    ("positive", "Positive (4–5 ★, NPS 9–10, CSAT 4–5)"),
    *((str(stars), f"{stars} ★ reviews") for stars in range(1, 6)),
]
_STATE_LABELS = {"unanswered": "Unanswered", "answered": "Answered", "all": "Answered or not"}


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, label="Type", choices=_KIND_CHOICES)
    rating = forms.ChoiceField(required=False, label="Rating", choices=_RATING_CHOICES)
    state = forms.ChoiceField(
        required=False, label="Answer", choices=[(s, _STATE_LABELS[s]) for s in STATES]
    )
    language = forms.ChoiceField(required=False, label="Language")

    def __init__(self, data=None, *, languages=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["language"].choices = [("", "Any"), *((code, code) for code in languages)]


class ReplyForm(forms.Form):
    body = forms.CharField(max_length=5000, required=False, widget=forms.Textarea)


class ModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ("approve", "reject", "hide")])
    reason = forms.CharField(max_length=300, required=False)


class FeedbackSettingsForm(forms.Form):
    auto_publish_min_rating = forms.TypedChoiceField(
        label="Publish reviews at once from",
        coerce=int,
        choices=[
            *((n, f"{n} ★ and more") for n in (5, 4, 3, 2, 1)),
            (0, "Never: every review waits for a moderator"),
        ],
        help_text="Reviews that the spam or language checks flag always wait for a moderator.",
    )
    reply_within_hours = forms.IntegerField(
        label="Answer within (hours)",
        min_value=1,
        max_value=24 * 30,
        help_text="The inbox highlights feedback left unanswered longer; a follow-up is due then.",
    )
    blocked_words = forms.CharField(
        label="Blocked words",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One word or phrase per line: a review containing one waits for a moderator.",
    )
    alert_emails = forms.CharField(
        label="Alert e-mails",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who is told when a detractor answers, one address per line "
        "(empty: the store's owners and admins).",
    )


class FeedbackWebhookForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Send feedback events to this URL")
    url = forms.CharField(max_length=1000, required=False, label="Receiving URL")
    new_secret = forms.BooleanField(
        required=False,
        label="Generate a new signing secret",
        help_text="The current secret stops working at once.",
    )
