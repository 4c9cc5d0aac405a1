"""Admin forms: content rules for questions, class choices scoped to the editor."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from training.selectors import class_list_for_staff

from .services.questions import accepted_list, question_problems
from .services.quizzes import (
    SlotSpec,
    quiz_answer_key_problems,
    quiz_draw_problems,
    quiz_review_problem,
)


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


class QuizAdminForm(ScopedClassForm):
    """Settings that would only fail when trainees start the quiz, or that would hand
    trainees a final exam's answer key, are refused on save."""

    def clean(self):
        data = super().clean()
        problem = quiz_review_problem(review=data.get("review"), closes_at=data.get("closes_at"))
        if problem:
            self.add_error("review", problem)
        return data

    def is_valid(self):
        # The slots are a formset, cleaned by ClusterForm.is_valid after clean() ran.
        if not super().is_valid():
            return False
        slots, forms = [], []
        formset = self.formsets.get("slots")
        for form in formset.forms if formset is not None else []:
            data = getattr(form, "cleaned_data", {}) or {}
            if not data or data.get("DELETE"):
                continue
            question, category = data.get("question"), data.get("category")
            if question is None and category is None:
                continue
            slots.append(
                SlotSpec(
                    question_id=question.pk if question else None,
                    category_id=category.pk if category else None,
                    draw_count=data.get("draw_count") or 1,
                )
            )
            forms.append(form)
        problems = quiz_draw_problems(slots=slots)
        for index, message in problems:
            forms[index].add_error("draw_count", message)
            self.add_error(None, message)
        leaks = quiz_answer_key_problems(
            quiz_id=self.instance.pk,
            is_final_exam=bool(self.cleaned_data.get("is_final_exam")),
            review=self.cleaned_data.get("review"),
            slots=slots,
        )
        for index, message in leaks:
            field = "question" if slots[index].question_id else "category"
            forms[index].add_error(field, message)
            self.add_error(None, message)
        return not problems and not leaks
