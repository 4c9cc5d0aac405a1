"""Forms of the organisers' assignment screens. They parse; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ClassCourse, CoursePage


class ClassCourseTermsForm(forms.Form):
    """必修/选修 and the due date of one course of a class."""

    requirement = forms.ChoiceField(
        label=ClassCourse._meta.get_field("requirement").verbose_name,
        choices=CoursePage.Requirement.choices,
    )
    due_date = forms.DateField(
        label=ClassCourse._meta.get_field("due_date").verbose_name,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ClassCourseAddForm(ClassCourseTermsForm):
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        error_messages={"invalid_choice": _("Choose a course from the list.")},
    )
    requirement = forms.ChoiceField(
        label=ClassCourse._meta.get_field("requirement").verbose_name,
        choices=[("", _("As the course says")), *CoursePage.Requirement.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any course: an unpublished one is refused by the service, with its reason.
        self.fields["course"].queryset = CoursePage.objects.all()
        self.order_fields(["course", "requirement", "due_date"])
