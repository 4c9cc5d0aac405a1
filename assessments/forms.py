from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.spreadsheets import spreadsheet_size

from .models import Grade


class SubmissionForm(forms.Form):
    text = forms.CharField(
        label=_("Your text"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (DOCX), JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        if not assignment.accepts_text:
            del self.fields["text"]
        if not assignment.accepts_file:
            del self.fields["file"]
        else:
            self.fields["file"].help_text = _(
                "PDF, Word (DOCX), JPEG or PNG, at most %(mb)d MB."
            ) % {"mb": assignment.max_file_mb}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Question file (.xlsx or .csv)"), validators=[spreadsheet_size])


class AnswerGradeForm(forms.Form):
    score = forms.DecimalField(label=_("Score"), min_value=0, decimal_places=2, required=False)
    grade = forms.ChoiceField(label=_("Grade"), choices=[("", "—"), *Grade.choices], required=False)
    comment = forms.CharField(
        label=pgettext_lazy("grading", "Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("score") is None and not data.get("grade"):
            raise forms.ValidationError(_("Give a score or a grade."))
        return data


class SubmissionGradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, widget=forms.RadioSelect)
    score = forms.DecimalField(
        label=_("Score (optional, out of 100)"),
        min_value=0,
        max_value=100,
        decimal_places=1,
        required=False,
    )
    comment = forms.CharField(
        label=pgettext_lazy("grading", "Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
