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


# --- surveys --------------------------------------------------------------------------------------

_QUESTION_TYPES = [("scale", "Scale"), ("choice", "Choice"), ("text", "Text")]
MAX_QUESTIONS = 10
# Empty question rows offered below the survey's own (the page works without JavaScript).
SPARE_QUESTIONS = 2
NEW_SURVEY_ROWS = 3


class CustomSurveyForm(forms.Form):
    """A custom survey: its name, whether it is sent, and up to 10 questions, one row each.

    A row whose text is left empty is no question (so a question is removed by emptying it);
    each row keeps its question's id in a hidden field, so the answers already given stay
    with their question. Only the fields of the row's type are read. The service checks what
    is kept; `field_for` puts its errors (`questions[1].options`) beside the row's field."""

    key = forms.SlugField(
        max_length=60,
        label="Key",
        help_text="How the API and the journeys name it: lower-case letters, digits, - or _.",
    )
    name = forms.CharField(max_length=200, label="Name")
    enabled = forms.BooleanField(required=False, label="Switched on (can be sent)")

    def __init__(self, data=None, *, survey=None):
        self.survey = survey
        questions = list(survey.questions) if survey is not None else []
        if data is not None:
            rows = _posted_rows(data)
        elif questions:
            rows = len(questions) + SPARE_QUESTIONS
        else:
            rows = NEW_SURVEY_ROWS
        self.rows = max(1, min(MAX_QUESTIONS, rows))
        initial = {"enabled": True}
        if survey is not None:
            initial = {"key": survey.key, "name": survey.name, "enabled": survey.enabled}
            for i, question in enumerate(questions[: self.rows]):
                initial |= _question_initial(i, question)
        super().__init__(data, initial=initial)
        if survey is not None:
            # The key names the survey for the journeys and the API: it stays.
            self.fields["key"].required = False
            self.fields["key"].disabled = True
        for i in range(self.rows):
            self._add_row(i)

    def _add_row(self, i: int) -> None:
        f = self.fields
        f[f"q{i}_id"] = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
        f[f"q{i}_type"] = forms.ChoiceField(choices=_QUESTION_TYPES, label="Type")
        f[f"q{i}_label"] = forms.CharField(required=False, max_length=300, label="Question")
        f[f"q{i}_required"] = forms.BooleanField(required=False, label="Required")
        f[f"q{i}_min"] = forms.IntegerField(
            required=False, min_value=0, max_value=10, label="Scale from", help_text="0 to 10"
        )
        f[f"q{i}_max"] = forms.IntegerField(
            required=False, min_value=0, max_value=10, label="Scale to", help_text="0 to 10"
        )
        f[f"q{i}_min_label"] = forms.CharField(
            required=False, max_length=60, label="The lowest means", help_text="e.g. Very slow"
        )
        f[f"q{i}_max_label"] = forms.CharField(
            required=False, max_length=60, label="The highest means", help_text="e.g. Very fast"
        )
        f[f"q{i}_options"] = forms.CharField(
            required=False,
            max_length=2000,
            label="Choice options",
            help_text="One per line, 2 to 10",
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def question_rows(self) -> list[dict]:
        """The rows' bound fields, for the template."""
        names = ("type", "label", "required", "min", "max", "min_label", "max_label", "options")
        return [
            {"number": i + 1, "id": self[f"q{i}_id"], **{n: self[f"q{i}_{n}"] for n in names}}
            for i in range(self.rows)
        ]

    def questions(self, taken_ids=()) -> list[dict]:
        """The filled rows as questions (call after is_valid()). A new question gets an id no
        question nor answer of the survey has used (`taken_ids`)."""
        data = self.cleaned_data
        taken = set(taken_ids) | {data.get(f"q{i}_id") for i in range(self.rows)}
        questions, self.row_of = [], []
        for i in range(self.rows):
            label = (data.get(f"q{i}_label") or "").strip()
            if not label:
                continue
            qid = data.get(f"q{i}_id") or _free_id(taken)
            taken.add(qid)
            kind = data.get(f"q{i}_type")
            question = {
                "id": qid,
                "type": kind,
                "label": label,
                "required": bool(data.get(f"q{i}_required")),
            }
            if kind == "scale":
                question["min"] = _or(data.get(f"q{i}_min"), 1)
                question["max"] = _or(data.get(f"q{i}_max"), 5)
                for end in ("min_label", "max_label"):
                    if data.get(f"q{i}_{end}"):
                        question[end] = data[f"q{i}_{end}"]
            elif kind == "choice":
                text = data.get(f"q{i}_options") or ""
                question["options"] = [line.strip() for line in text.splitlines() if line.strip()]
            questions.append(question)
            self.row_of.append(i)
        return questions

    def field_for(self, name: str | None) -> str | None:
        """The form field a service error about `name` belongs to (None: above the form)."""
        if not name:
            return None
        if name in ("key", "name"):
            return name
        if name.startswith("questions["):
            index = int(name[len("questions[") :].split("]")[0])
            rows = getattr(self, "row_of", [])
            if index >= len(rows):
                return None
            part = name.split(".", 1)[1] if "." in name else "label"
            field = f"q{rows[index]}_{'label' if part == 'id' else part}"
            return field if field in self.fields else f"q{rows[index]}_label"
        return None


def _posted_rows(data) -> int:
    """How many question rows a posted form has (the page sent them all)."""
    count = 0
    while f"q{count}_type" in data and count < MAX_QUESTIONS:
        count += 1
    return count


def _question_initial(i: int, question: dict) -> dict:
    initial = {
        f"q{i}_id": question.get("id", ""),
        f"q{i}_type": question.get("type"),
        f"q{i}_label": question.get("label", ""),
        f"q{i}_required": question.get("required", False),
    }
    if question.get("type") == "scale":
        for name in ("min", "max", "min_label", "max_label"):
            initial[f"q{i}_{name}"] = question.get(name)
    if question.get("type") == "choice":
        initial[f"q{i}_options"] = "\n".join(question.get("options") or [])
    return initial


def _free_id(taken: set) -> str:
    n = 1
    while f"q{n}" in taken:
        n += 1
    return f"q{n}"


def _or(value, default):
    return default if value is None else value


class SurveyWordingForm(forms.Form):
    """The wording of a built-in survey (NPS, CSAT), and whether it is sent."""

    question = forms.CharField(
        required=False,
        max_length=300,
        label="Question",
        help_text="Empty: the standard question in the customer's language.",
    )
    reason_question = forms.CharField(
        required=False,
        max_length=300,
        label="Follow-up question",
        help_text="Asked after the score. Empty: “What is the main reason for your score?” "
        "in the customer's language.",
    )
    enabled = forms.BooleanField(required=False, label="Switched on (can be sent)")


class FollowUpSurveyForm(forms.Form):
    survey = forms.ChoiceField(label="The delivery follow-up asks")

    def __init__(self, data=None, *, surveys=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["survey"].choices = [
            (s.key, f"{s.name} ({s.get_kind_display()})") for s in surveys if s.enabled
        ]
