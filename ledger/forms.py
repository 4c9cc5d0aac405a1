from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CreditEntry


class OtherStudyForm(forms.Form):
    title = forms.CharField(label=_("Training"), max_length=200)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=CreditEntry.Channel.choices,
        initial=CreditEntry.Channel.SELF_SELECTED,
    )
    hours = forms.DecimalField(
        label=_("Credit hours"), min_value=0.1, max_digits=6, decimal_places=1
    )
    earned_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(
        label=_("Evidence"), help_text=_("PDF, image or Word file, at most 10 MB.")
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.TextInput(attrs={"autofocus": True}),
        help_text=_("e.g. hours mistyped, recorded for the wrong person, recorded twice."),
    )
