"""Admin forms: content rules for questions, class choices scoped to the editor, and the
panels that let the browser show only the parts of a form that apply."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel, ObjectList

from training.selectors import class_list_for_staff

from .models import Question, Quiz
from .services.questions import accepted_list, question_problems, question_unused_parts
from .services.quizzes import (
    SlotSpec,
    quiz_answer_key_problems,
    quiz_draw_problems,
    quiz_review_problem,
)

ADMIN_JS = "assessments/admin/form_sections.js"

# The parts of the question form each type uses. The others are hidden in the browser
# (form_sections.js, which also clears them before posting) and refused on save.
QUESTION_TYPE_PARTS = {
    "scoring": [Question.Type.MULTIPLE],
    "options": [Question.Type.SINGLE, Question.Type.MULTIPLE],
    "true_false_answer": [Question.Type.TRUE_FALSE],
    "accepted_answers": [Question.Type.FILL_IN],
}
TYPES_ATTR = "data-question-types"


def _panel_name(panel) -> str | None:
    return getattr(panel, "field_name", None) or getattr(panel, "relation_name", None)


def _with_attrs(panel, model, attrs_for):
    """A copy of `panel` and everything in it, each carrying `attrs_for(copy, children)`.

    The model's `panels` stay the one statement of the form's layout; the admin adds only
    the HTML attributes its scripts read. An InlinePanel's rows come from the child model.
    """
    kwargs = panel.clone_kwargs()
    children = []
    if "children" in kwargs:
        children = [_with_attrs(child, model, attrs_for) for child in kwargs["children"]]
        kwargs["children"] = children
    elif isinstance(panel, InlinePanel):
        related = model._meta.get_field(panel.relation_name).related_model
        children = [
            _with_attrs(child, related, attrs_for) for child in (panel.panels or related.panels)
        ]
        kwargs["panels"] = children
    clone = panel.__class__(**kwargs)
    clone.attrs.update(attrs_for(clone, children))
    return clone


def _question_part_attrs(panel, children) -> dict:
    types = QUESTION_TYPE_PARTS.get(_panel_name(panel))
    if types:
        return {TYPES_ATTR: " ".join(types)}
    parts = [child.attrs.get(TYPES_ATTR) for child in children]
    if parts and all(parts):  # a group of type-specific parts is shown when any of them is
        return {TYPES_ATTR: " ".join(dict.fromkeys(" ".join(parts).split()))}
    return {}


def _quiz_slot_attrs(panel, children) -> dict:
    """A slot's row toggles its draw count: only a random draw from a category has one."""
    if {"question", "category", "draw_count"} <= {_panel_name(c) for c in children}:
        return {"data-controller": "quiz-slot", "data-action": "change->quiz-slot#toggle"}
    if _panel_name(panel) == "draw_count":
        return {"data-quiz-slot-target": "drawCount"}
    return {}


class QuestionAdminForm(WagtailAdminModelForm):
    class Media:
        js = [ADMIN_JS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("type")
        if field is not None:
            field.widget.attrs.update(
                {"data-controller": "question-type", "data-action": "question-type#toggle"}
            )

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
        content = {
            "type": self.cleaned_data.get("type"),
            "options": options,
            "true_false": self.cleaned_data.get("true_false_answer"),
            "accepted": accepted_list(self.cleaned_data.get("accepted_answers", "")),
        }
        problems = question_problems(**content) + question_unused_parts(**content)
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
    trainees a final exam's answer key, are refused on save.

    A fixed question is asked once: its slot's draw count is not shown and not kept."""

    class Media:
        js = [ADMIN_JS]

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
            if question is not None:
                data["draw_count"] = form.instance.draw_count = 1
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


def question_edit_handler() -> ObjectList:
    panels = [_with_attrs(p, Question, _question_part_attrs) for p in Question.panels]
    return ObjectList(panels, base_form_class=QuestionAdminForm)


def quiz_edit_handler() -> ObjectList:
    panels = [_with_attrs(p, Quiz, _quiz_slot_attrs) for p in Quiz.panels]
    return ObjectList(panels, base_form_class=QuizAdminForm)
