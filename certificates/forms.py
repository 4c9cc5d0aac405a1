from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from people.choosers import unit_field

from .models import CertificateTemplate, CompletionRecord, CompletionRule
from .selectors import certificate_template_list_usable


class CertificateTemplateAdminForm(WagtailAdminModelForm):
    """Organisers file a template under one of their units; only administrators may leave
    it without a unit (a system template)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("org_unit")
        if field is not None and for_user is not None:
            # Only administrators may leave it empty (a system template).
            required = field.required or not for_user.is_superuser
            field = self.fields["org_unit"] = unit_field(field, viewer=for_user, required=required)
            if required and not self.instance.pk and field.queryset.count() == 1:
                field.initial = field.queryset.get().pk
        if for_user is not None and not for_user.is_superuser:
            # The default serves every class without a choice: a system decision.
            self.fields.pop("is_default", None)


class CompletionRuleForm(forms.ModelForm):
    """`for_user` limits the templates to those the organiser may use."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if for_user is not None:
            usable = certificate_template_list_usable(viewer=for_user)
            current = getattr(self.instance, "certificate_template_id", None)
            self.fields["certificate_template"].queryset = (
                usable | CertificateTemplate.objects.filter(pk=current) if current else usable
            ).distinct()

    class Meta:
        model = CompletionRule
        fields = [
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


class OverrideForm(forms.Form):
    """准予结业 / 不予结业 for one trainee, whatever the rules say, with the reason."""

    decision = forms.ChoiceField(
        label=pgettext_lazy("completion", "Decision"),
        choices=[("", _("Follow the completion rules")), *CompletionRecord.Override.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when allowing or refusing completion; kept in the record."),
    )
