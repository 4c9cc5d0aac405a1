"""Admin forms: content rules for questions, class choices scoped to the editor."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from training.selectors import class_list_for_staff

from .services.questions import accepted_list, question_problems


class QuestionAdminForm(WagtailAdminModelForm):
    def is_valid(self):
        valid = super().is_valid()
        if not valid:
            return False
        options = []
        formset = self.formsets.get("options")
        if formset is not None:
            for form in formset.forms:
                data = getattr(form, "cleaned_data", {}) or {}
                if data and not data.get("DELETE") and data.get("text"):
                    options.append((data["text"], bool(data.get("is_correct"))))
        problems = question_problems(
            type=self.cleaned_data.get("type"),
            options=options,
            true_false=self.cleaned_data.get("true_false_answer"),
            accepted=accepted_list(self.cleaned_data.get("accepted_answers", "")),
        )
        for problem in problems:
            self.add_error(None, problem)
        return not problems


class ScopedClassForm(WagtailAdminModelForm):
    """Quizzes and assignments may only be attached to classes the editor works on."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields.get("training_class")
        if field is not None and for_user is not None:
            field.queryset = class_list_for_staff(viewer=for_user)

    def clean(self):
        data = super().clean()
        if data.get("is_final_exam") and not data.get("training_class"):
            self.add_error("training_class", _("A final exam belongs to a training class."))
        return data
