from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.widgets import AdminDateTimeInput

from lms.spreadsheets import spreadsheet_size

from .models import GRADE_THRESHOLDS, Grade


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


class _LevelFollowsScoreForm(forms.Form):
    """A score and the level it earns by the rubric's thresholds (the page's script shows
    it as the score is typed; the grading service decides), or a level alone; another
    level than the score's only with "set another level" ticked and a reason."""

    grade = forms.ChoiceField(
        label=pgettext_lazy("grade", "Level"),
        choices=Grade.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("With a score, the level follows it; without one, choose the level."),
    )
    override = forms.BooleanField(label=_("Set another level than the score gives"), required=False)
    override_reason = forms.CharField(
        label=_("Reason for the level"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        help_text=_("Required when the level differs from the score's; staff see it beside it."),
    )
    comment = forms.CharField(
        label=pgettext_lazy("grading", "Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, full_marks, thresholds, **kwargs):
        super().__init__(*args, **kwargs)
        self.full_marks = full_marks
        self.thresholds = thresholds
        self.fields = {
            name: self.fields[name]
            for name in ("score", "grade", "override", "override_reason", "comment")
        }

    def level_data(self) -> dict:
        """What the page's script needs to show the level a score earns."""
        return {
            "full": str(self.full_marks),
            "excellent": str(self.thresholds[Grade.EXCELLENT]),
            "good": str(self.thresholds[Grade.GOOD]),
            "pass": str(self.thresholds[Grade.PASS]),
        }

    def clean(self):
        data = super().clean()
        if data.get("score") is None and not data.get("grade"):
            raise forms.ValidationError(_("Give a score or a level."))
        return data


class AnswerGradeForm(_LevelFollowsScoreForm):
    score = forms.DecimalField(label=_("Score"), min_value=0, decimal_places=2, required=False)

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, full_marks=points, thresholds=GRADE_THRESHOLDS, **kwargs)
        self.fields["score"].validators.append(MaxValueValidator(points))
        self.fields["score"].label = _("Score (out of %(full)s)") % {
            "full": f"{points.normalize():f}"
        }


class SubmissionGradeForm(_LevelFollowsScoreForm):
    score = forms.DecimalField(label=_("Score"), min_value=0, decimal_places=1, required=False)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(
            *args, full_marks=assignment.full_marks, thresholds=assignment.thresholds, **kwargs
        )
        self.fields["score"].label = _("Score (out of %(full)s)") % {"full": assignment.full_marks}
        self.fields["score"].validators.append(MaxValueValidator(assignment.full_marks))


class MakeupGrantForm(forms.Form):
    """补考 for one trainee: why, and until when it may be taken."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the grant and in the class's history."),
    )
    closes_at = forms.DateTimeField(
        label=_("The make-up closes at"),
        help_text=_(
            "The trainee may start the make-up until then; the exam's time limit applies. "
            "It cannot be taken once the class is closed."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closes_at"].widget = AdminDateTimeInput()
