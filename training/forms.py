"""Forms for the staff screens and the trainee's evaluation. Views call services with
their cleaned data; the forms only parse."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.widgets import AdminDateInput, AdminPageChooser, AdminTimeInput
from wagtail.models import Page

from lms.spreadsheets import XLSX_MIME, spreadsheet_size
from people.choosers import unit_field
from people.models import OrgUnit, User
from people.roles import Role

from .models import ClassSession, CommitteeRole, Enrolment, StudyGroup, TrainingClass


class ClassForm(forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = [
            "name",
            "code",
            "organising_unit",
            "provider",
            "venue",
            "kind",
            "level",
            "is_rotation",
            "start_date",
            "end_date",
            "credit_hours",
            "capacity",
            "advisers",
            "description",
        ]
        widgets = {
            "start_date": AdminDateInput,
            "end_date": AdminDateInput,
            "advisers": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        # A class is organised by a city, county or township, never by a village.
        self.fields["organising_unit"] = unit_field(
            self.fields["organising_unit"], viewer=viewer, exclude_levels=[OrgUnit.Level.VILLAGE]
        )
        self.fields["advisers"].queryset = User.objects.filter(
            groups__name=str(Role.ADVISER), is_active=True
        ).order_by("full_name")
        self.fields["advisers"].label_from_instance = lambda u: (
            f"{u.full_name}（{u.job_title or u.phone}）"
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The class cannot end before it starts."))
        return data


class SessionForm(forms.Form):
    day = forms.DateField(label=_("date"), widget=AdminDateInput)
    half_day = forms.ChoiceField(label=_("half day"), choices=ClassSession.HalfDay.choices)
    start = forms.TimeField(label=_("starts at"), widget=AdminTimeInput)
    end = forms.TimeField(label=_("ends at"), widget=AdminTimeInput)
    title = forms.CharField(label=_("title"), max_length=200)
    instructor = forms.ModelChoiceField(
        label=_("instructor"), queryset=User.objects.none(), required=False
    )
    instructor_name = forms.CharField(
        label=_("guest speaker"),
        max_length=100,
        required=False,
        help_text=_("For a speaker without an account."),
    )
    venue = forms.CharField(label=_("venue"), max_length=200, required=False)
    method = forms.ChoiceField(label=_("teaching method"), choices=ClassSession.Method.choices)
    credit_hours = forms.DecimalField(
        label=_("credit hours"), max_digits=4, decimal_places=1, min_value=0
    )
    page = forms.ModelChoiceField(
        label=_("course or lesson page"),
        queryset=None,
        required=False,
        widget=AdminPageChooser,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instructor"].queryset = User.objects.filter(
            groups__name=str(Role.INSTRUCTOR), is_active=True
        ).order_by("full_name")
        self.fields["page"].queryset = Page.objects.all()

    @classmethod
    def initial_for(cls, session: ClassSession) -> dict:
        tz = ZoneInfo(settings.TIME_ZONE)
        return {
            "day": session.date,
            "half_day": session.half_day,
            "start": session.starts_at.astimezone(tz).time(),
            "end": session.ends_at.astimezone(tz).time(),
            "title": session.title,
            "instructor": session.instructor,
            "instructor_name": session.instructor_name,
            "venue": session.venue,
            "method": session.method,
            "credit_hours": session.credit_hours,
            "page": session.page,
        }

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The session must end after it starts."))
        return data

    def service_fields(self) -> dict:
        tz = ZoneInfo(settings.TIME_ZONE)
        d = self.cleaned_data
        return {
            "half_day": d["half_day"],
            "starts_at": datetime.datetime.combine(d["day"], d["start"], tz),
            "ends_at": datetime.datetime.combine(d["day"], d["end"], tz),
            "title": d["title"],
            "instructor": d["instructor"],
            "instructor_name": "" if d["instructor"] else d["instructor_name"],
            "venue": d["venue"],
            "method": d["method"],
            "credit_hours": d["credit_hours"],
            "page": d["page"],
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("XLSX or CSV file"),
        validators=[spreadsheet_size],
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,.csv,{XLSX_MIME},text/csv"}),
    )


class EnrolByPhoneForm(forms.Form):
    phone = forms.CharField(label=_("mobile phone"), max_length=30)


class PastePhonesForm(forms.Form):
    text = forms.CharField(
        label=_("Mobile numbers"),
        max_length=20_000,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "138 0000 0001\n+86 138-0000-0002，13800000003"}
        ),
        help_text=_(
            "One per line, or separated by commas, semicolons or 、. Spaces, dashes, +86 and "
            "full-width digits are fine. Only people already in your units are enrolled."
        ),
    )


class EnrolmentForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("study group"), queryset=StudyGroup.objects.none(), required=False
    )
    committee_role = forms.ChoiceField(
        label=_("class committee role"), choices=[("", "—"), *CommitteeRole.choices], required=False
    )

    def __init__(self, *args, training_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = training_class.groups.all()


class GroupForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    leader = forms.ModelChoiceField(
        label=_("group leader"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, training_class, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = User.objects.filter(
            enrolments__training_class=training_class,
            enrolments__status=Enrolment.Status.ENROLLED,
        ).order_by("full_name")


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 6}))
    is_pinned = forms.BooleanField(label=_("pinned"), required=False)


SCORES = [(i, str(i)) for i in range(5, 0, -1)]


class EvaluationForm(forms.Form):
    content = forms.TypedChoiceField(
        label=pgettext_lazy("evaluation", "Content"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    teaching = forms.TypedChoiceField(
        label=_("Teaching"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    usefulness = forms.TypedChoiceField(
        label=_("Usefulness for my work"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
