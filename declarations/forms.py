import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ledger.models import CreditEntry


class DeclarationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of training"),
        choices=CreditEntry.Channel.choices,
        initial=CreditEntry.Channel.IN_PERSON,
    )
    title = forms.CharField(label=_("Training"), max_length=200)
    organiser = forms.CharField(
        label=_("Organising unit"), max_length=120, help_text=_("e.g. 河南省委党校")
    )
    start_date = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("Credit hours"), min_value=0.25, max_value=200, max_digits=5, decimal_places=2
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_("A certificate or letter as PDF, image or Word file, at most 10 MB."),
    )
    nonce = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The trainee reads this, e.g. the certificate does not show the hours."),
    )
