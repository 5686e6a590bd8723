"""Dashboard forms of the coupons pages: they parse what the merchant typed; promotions'
services decide."""

from django import forms

from regulars.promotions.models import CouponStatus


class CouponFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=254)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *CouponStatus.choices])
    source = forms.ChoiceField(required=False)

    def __init__(self, data=None, *, sources=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["source"].choices = [("", "Any source"), *((s, s) for s in sources)]


class CouponWebhookForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Announce coupons to this URL")
    url = forms.CharField(max_length=1000, required=False, label="Receiving URL")
    new_secret = forms.BooleanField(
        required=False,
        label="Generate a new signing secret",
        help_text="The current secret stops working at once.",
    )
