"""Admin wiring: question bank, quizzes and assignments as snippets (scoped to the
editor), import/export, the grading queue and gradebooks, and audit action names."""

from django.db.models import Q
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton, ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSetGroup,
)

from lms.admin_columns import YesNoColumn
from lms.admin_scope import CHOOSE, ScopedPolicy, ScopedSnippetViewSet
from people.models import User
from people.roles import Role, has_role

from . import admin_preview, admin_views
from . import notify as _notify  # noqa: F401  (registers the quiz reminders)
from .admin_forms import ScopedClassForm, question_edit_handler, quiz_edit_handler
from .home import home_section
from .home_panel import GradingPanel
from .models import Assignment, Question, QuestionCategory, Quiz, QuizSlot
from .selectors import assignment_list_for_staff, is_grader, quiz_list_for_staff
from .services.questions import question_version_ensure


class GraderPolicy(ScopedPolicy):
    """Instructors and organisers (and superusers) edit assessment content; `scope` says
    which rows. The table in docs/permissions.md states each rule in words."""

    def user_has_permission(self, user, action):
        return user.is_active and is_grader(user)

    def user_has_any_permission(self, user, actions):
        return user.is_active and is_grader(user)

    def users_with_any_permission(self, actions):

        return User.objects.filter(
            Q(is_superuser=True) | Q(groups__name__in=[Role.INSTRUCTOR, Role.ORGANISER]),
            is_active=True,
        ).distinct()


class QuizPolicy(GraderPolicy):
    """Quizzes of the classes the editor works on, their own, and lesson quizzes."""

    def scope(self, user, action):
        return quiz_list_for_staff(viewer=user)


class AssignmentPolicy(GraderPolicy):
    def scope(self, user, action):
        return assignment_list_for_staff(viewer=user)


class QuestionPolicy(GraderPolicy):
    """The bank is shared, but a question is changed only by its author or by someone who
    may change a quiz it is placed in: editing it changes what that quiz asks next time."""

    def scope(self, user, action):
        if user.is_superuser or action == CHOOSE:
            return Question.objects.all()
        quizzes = quiz_list_for_staff(viewer=user).values("pk")
        return Question.objects.filter(
            Q(created_by=user)
            | Q(pk__in=QuizSlot.objects.filter(quiz__in=quizzes).values("question"))
        )


class CategoryPolicy(GraderPolicy):
    """Categories are a shared vocabulary and quizzes draw random questions by category:
    graders add and choose them, only administrators rename or delete them."""

    def scope(self, user, action):
        if user.is_superuser or action in (CHOOSE, "add"):
            return QuestionCategory.objects.all()
        return QuestionCategory.objects.none()


register_permission_policy(QuestionCategory, CategoryPolicy(QuestionCategory))
register_permission_policy(Question, QuestionPolicy(Question))
register_permission_policy(Quiz, QuizPolicy(Quiz))
register_permission_policy(Assignment, AssignmentPolicy(Assignment))


class QuestionCreateView(CreateView):
    """Saving a question also fixes its content as a new immutable version."""

    def save_instance(self):
        instance = super().save_instance()
        if instance.created_by_id is None:
            type(instance).objects.filter(pk=instance.pk).update(created_by=self.request.user)
        question_version_ensure(question=instance, actor=self.request.user)
        return instance


class QuestionEditView(EditView):
    def save_instance(self):
        instance = super().save_instance()
        question_version_ensure(question=instance, actor=self.request.user)
        return instance


class OwnedCreateView(CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.created_by = self.request.user
        instance.save()
        self.form.save_m2m() if hasattr(self.form, "save_m2m") else None
        return instance


def _preview_url(quiz) -> str:
    return reverse("wagtailsnippets_assessments_quiz:preview_as_trainee", args=[quiz.pk])


class QuizEditView(EditView):
    """The quiz builder, with its preview as a trainee will see it one click away."""

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Preview as a trainee"),
                url=_preview_url(self.object),
                icon_name="view",
                attrs={"target": "_blank", "rel": "noopener"},
                priority=10,
            )
        ]


class QuizIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            ListingButton(
                _("Preview as a trainee"),
                url=_preview_url(instance),
                icon_name="view",
                priority=15,
            ),
        ]


class CategoryViewSet(ScopedSnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    list_display = ["name", "description"]
    search_fields = ["name"]


class QuestionViewSet(ScopedSnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    list_display = [
        "__str__",
        Column("type", label=_("type"), accessor="get_type_display"),
        "category",
        "points",
        Column("version", label=_("version"), accessor="current_version.number"),
        YesNoColumn("is_active", Question),
    ]
    list_filter = ["type", "category", "is_active"]
    search_fields = ["stem"]
    edit_handler = question_edit_handler()

    def get_queryset(self, request):
        return self.object_scope(request).select_related("category", "current_version")


class QuizViewSet(ScopedSnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes and exams")
    list_display = [
        "title",
        "training_class",
        YesNoColumn("is_final_exam", Quiz),
        "closes_at",
    ]
    list_filter = ["is_final_exam"]
    search_fields = ["title"]
    add_view_class = OwnedCreateView
    edit_view_class = QuizEditView
    index_view_class = QuizIndexView
    edit_handler = quiz_edit_handler()

    def get_queryset(self, request):
        return self.object_scope(request).select_related("training_class")

    def get_object_urlpatterns(self):
        return [
            path(
                "trainee-preview/<int:pk>/",
                admin_preview.quiz_preview_page,
                name="preview_as_trainee",
            ),
            path(
                "trainee-preview/<int:pk>/frame/",
                admin_preview.quiz_preview_frame,
                name="preview_frame",
            ),
        ]


class AssignmentViewSet(ScopedSnippetViewSet):
    model = Assignment
    icon = "doc-full"
    menu_label = _("Written work")
    list_display = ["title", "kind", "training_class", "due_at"]
    list_filter = ["kind"]
    search_fields = ["title"]
    add_view_class = OwnedCreateView
    edit_handler = ObjectList(Assignment.panels, base_form_class=ScopedClassForm)

    def get_queryset(self, request):
        return self.object_scope(request).select_related("training_class")


class AssessmentsGroup(SnippetViewSetGroup):
    menu_label = _("Assessments")
    menu_icon = "tasks"
    menu_order = 250
    items = (QuestionViewSet, CategoryViewSet, QuizViewSet, AssignmentViewSet)


register_snippet(AssessmentsGroup)


admin_patterns = [
    path("questions/import/", admin_views.questions_import, name="questions_import"),
    path(
        "questions/import/<uuid:token>/",
        admin_views.questions_import_preview,
        name="questions_import_preview",
    ),
    path("questions/template.xlsx", admin_views.questions_template, name="questions_template"),
    path("questions/export.xlsx", admin_views.questions_export, name="questions_export"),
    path("grading/", admin_views.grading_queue, name="grading_queue"),
    path("grading/answer/<int:pk>/", admin_views.grade_answer, name="grade_answer"),
    path("grading/submission/<int:pk>/", admin_views.grade_submission, name="grade_submission"),
    path("gradebook/class/<int:pk>/", admin_views.gradebook_class, name="gradebook_class"),
    path(
        "gradebook/class/<int:pk>/export.xlsx",
        admin_views.gradebook_class_export,
        name="gradebook_class_export",
    ),
    path(
        "makeup/class/<int:pk>/trainee/<int:trainee_id>/",
        admin_views.makeup_grant,
        name="makeup_grant",
    ),
]


@hooks.register("register_admin_urls")
def register_assessment_urls():
    return [path("assessments/", include((admin_patterns, "assessments_admin")))]


class GraderMenuItem(MenuItem):
    def is_shown(self, request):
        return is_grader(request.user)


@hooks.register("register_admin_menu_item")
def grading_menu_item():
    return GraderMenuItem(
        _("Grading queue"), reverse("assessments_admin:grading_queue"), icon_name="edit", order=251
    )


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return GraderMenuItem(
        _("Import questions"),
        reverse("assessments_admin:questions_import"),
        icon_name="upload",
        order=253,
    )


@hooks.register("register_log_actions")
def register_assessment_actions(actions):
    actions.register_action(
        "assessments.attempt_submit", _("Submit attempt"), _("Attempt submitted and graded")
    )
    actions.register_action("assessments.answer_grade", _("Grade answer"), _("Answer graded"))
    actions.register_action(
        "assessments.submission_save", _("Hand in work"), _("Written work handed in")
    )
    actions.register_action(
        "assessments.submission_grade", _("Grade written work"), _("Written work graded")
    )
    actions.register_action(
        "assessments.questions_import", _("Import questions"), _("Questions imported")
    )
    actions.register_action(
        "assessments.makeup_grant", _("Grant make-up exam"), _("Make-up exam granted")
    )
    actions.register_action(
        "assessments.makeup_start", _("Start make-up exam"), _("Make-up exam started")
    )


@hooks.register("construct_homepage_panels")
def add_gradingpanel(request, panels):

    user = request.user
    if is_grader(user):
        # Instructors grade every day; organisers only now and then (course-level work).
        instructor = user.is_superuser or has_role(user, Role.INSTRUCTOR)
        panels.append(
            GradingPanel(user, hide_when_empty=not instructor, order=None if instructor else 145)
        )


# Sections of the trainee's home page (portal.selectors.home_sections), lowest order first.
hooks.register("portal_home_section", home_section, order=50)
