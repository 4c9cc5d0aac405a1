from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CompletionRule


class CompletionRuleForm(forms.ModelForm):
    class Meta:
        model = CompletionRule
        fields = [
            "max_leave_share",
            "absence_limit_days",
            "final_exam_required",
            "quizzes_required",
            "written_work_required",
            "certificate_template",
            "certificate_issue_date",
        ]
        widgets = {"certificate_issue_date": forms.DateInput(attrs={"type": "date"})}


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=200, widget=forms.TextInput(attrs={"autofocus": True})
    )
