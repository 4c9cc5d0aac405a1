from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AttendancePolicy, AttendanceStatus, LeaveRequest
from .services.records import POLICY_FIELDS


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.date:%m-%d} {obj.get_half_day_display()} · {obj.title} ({obj.credit_hours})"


class LeaveRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of leave"),
        choices=LeaveRequest.Kind.choices,
        widget=forms.RadioSelect,
    )
    sessions = SessionChoiceField(
        label=_("Sessions"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each session is one half-day."),
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_(
            "A photo or PDF, e.g. a sick note or the notice of an official duty; JPEG, PNG "
            "or PDF up to 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args, sessions_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = sessions_qs


class ReportBackForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class CorrectionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=AttendanceStatus.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Required; kept in the record's history."),
    )


class LeaveDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Required when rejecting."),
    )


class PolicyForm(forms.ModelForm):
    class Meta:
        model = AttendancePolicy
        fields = POLICY_FIELDS
