"""Courses, lessons and case studies as Wagtail pages; assignment and study progress as models.

Page tree: HomePage → CourseIndexPage (/courses/) → CoursePage → LessonPage, and
HomePage → CaseStudyIndexPage (/cases/) → CaseStudyPage. Serving logic (who may read, what
the page shows) lives in `views.py`/`selectors.py`; the page classes only declare content.
"""

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction, Task, TaskState
from wagtail.search import index

from lms.page_tree import may_have_view_restrictions
from people.models import OrgUnit
from people.roles import Role

from . import review
from .admin_forms import CoursePageForm
from .blocks import FigureBlock, LessonBodyBlock, LessonLearntBlock, PracticeBlock
from .search import segment_for_index


class Theme(models.Model):
    """One of the five revitalisations (五大振兴). Fixed rows made by a data migration."""

    class Code(models.TextChoices):
        INDUSTRY = "industry", _("Industrial revitalisation")
        TALENT = "talent", _("Talent revitalisation")
        CULTURE = "culture", _("Cultural revitalisation")
        ECOLOGY = "ecology", _("Ecological revitalisation")
        ORGANISATION = "organisation", _("Organisational revitalisation")

    code = models.CharField(_("code"), max_length=16, choices=Code.choices, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0, verbose_name=_("sort order"))

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order"]

    def __str__(self) -> str:
        # As get_code_display(), without rebuilding the choices on every call: themes are
        # named on every card of the case library and the catalogue.
        return str(_THEME_LABELS.get(self.code, self.code))


_THEME_LABELS = dict(Theme.Code.choices)


class CaseApproach(models.Model):
    """模式: the approach a case follows, e.g. 区域党委+特色产业. A filter of the case library."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CourseTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CoursePage", related_name="tagged_items", verbose_name=_("course")
    )

    class Meta:
        verbose_name = _("course tag")
        verbose_name_plural = _("course tags")


class CaseStudyTag(TaggedItemBase):
    content_object = ParentalKey(
        "courses.CaseStudyPage", related_name="tagged_items", verbose_name=_("case study")
    )

    class Meta:
        verbose_name = _("case study tag")
        verbose_name_plural = _("case study tags")


class LoginRequiredPageMixin:
    """Training content is for signed-in people; visitors are sent to log in."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self):
        """Wagtail's rule (the restrictions of the page and its ancestors, an alias taking
        its source page's) in one query, not two: Wagtail's `check_view_restrictions` hook
        asks on every view of every page. None when the page was routed while no page had
        a restriction at all (lms.page_tree)."""
        if not may_have_view_restrictions(self):
            return PageViewRestriction.objects.none()
        steplen = self.steplen
        paths = [self.path[:n] for n in range(steplen, len(self.path) + 1, steplen)]
        pages = (
            Page.objects.filter(path__in=paths)
            .annotate(source=Coalesce("alias_of_id", "id"))
            .values("source")
        )
        return PageViewRestriction.objects.filter(page_id__in=pages)


class CourseIndexPage(LoginRequiredPageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        # Imported here: selectors and views import this module's models.
        from .selectors import course_list_for_viewer

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = course_list_for_viewer(viewer=request.user, index=self)
        return context


class CoursePage(LoginRequiredPageMixin, Page):
    class Requirement(models.TextChoices):
        COMPULSORY = "compulsory", _("Compulsory")
        ELECTIVE = "elective", _("Elective")

    summary = models.TextField(_("summary"), max_length=500)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    instructors = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        blank=True,
        related_name="taught_courses",
        limit_choices_to={"groups__name": Role.INSTRUCTOR},
        help_text=_("They may edit this course and its lessons; publishing needs approval."),
    )
    requirement = models.CharField(
        _("compulsory or elective"),
        max_length=16,
        choices=Requirement.choices,
        default=Requirement.COMPULSORY,
    )
    credit_hours = models.DecimalField(
        _("credit hours"),
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_(
            "Leave blank to award online credit hours by the course length "
            "(the sum of the lessons' minimum study times)."
        ),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=30, help_text=_("Shown to trainees as the course length.")
    )
    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    self_selectable = models.BooleanField(
        _("open for self-selected study"),
        default=False,
        help_text=_(
            "Listed in the self-selected study catalogue (自主选学) under its first theme: any "
            "trainee may enrol and earns online credit hours on completing it."
        ),
    )
    tags = ClusterTaggableManager(
        verbose_name=_("tags"), through=CourseTag, blank=True, help_text=_("e.g. 先导区, 片区化")
    )
    owning_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("owning unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text=_(
            "Organisers of this unit (or of a unit above it) approve the course and its "
            "lessons; organisers of other units are not asked."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("requirement"), FieldPanel("credit_hours")]),
                FieldPanel("estimated_minutes"),
                FieldPanel("self_selectable"),
            ],
            heading=_("Credit"),
        ),
        MultiFieldPanel(
            [FieldPanel("themes", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading=_("Themes"),
        ),
        FieldPanel("instructors"),
        FieldPanel("owning_unit"),
    ]
    base_form_class = CoursePageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("search_segmented"),
        index.FilterField("requirement"),
        index.FilterField("self_selectable"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    # The explorer lists lessons in the order trainees take them (and offers drag to
    # reorder), not by last edit: Wagtail's default would shuffle them on every save.
    admin_default_ordering = "ord"

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def search_segmented(self) -> str:
        return segment_for_index(
            self.title, self.summary, " ".join(t.name for t in self.tags.all())
        )

    def permissions_for_user(self, user):
        return review.CoursePagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        # Imported here: selectors and views import this module's models.
        from .selectors import course_detail_for_viewer

        context = super().get_context(request, *args, **kwargs)
        context.update(course_detail_for_viewer(viewer=request.user, course=self))
        return context

    def serve(self, request, *args, **kwargs):
        # Imported here: selectors and views import this module's models.
        from .selectors import course_is_visible_to

        if request.user.is_authenticated and not course_is_visible_to(
            viewer=request.user, course=self
        ):
            raise PermissionDenied
        return super().serve(request, *args, **kwargs)


class LessonPage(LoginRequiredPageMixin, Page):
    summary = models.TextField(_("summary"), max_length=300, blank=True)
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    min_study_minutes = models.PositiveSmallIntegerField(
        _("minimum study time (minutes)"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Server-measured reading time after which the lesson counts as complete."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("min_study_minutes"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("search_segmented"),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def search_segmented(self) -> str:
        return segment_for_index(self.title, self.summary, _stream_text(self.body))

    def permissions_for_user(self, user):
        return review.CoursePagePermissionTester(user, self)

    def serve(self, request, *args, **kwargs):
        # Imported here: selectors and views import this module's models.
        from .views import lesson_serve

        if not request.user.is_authenticated:
            return super().serve(request, *args, **kwargs)  # the mixin sends them to log in
        return lesson_serve(self, request)

    def serve_preview(self, request, mode_name):
        # Imported here: selectors and views import this module's models.
        from .views import lesson_serve

        # Authors preview a draft without a study clock: no progress is read or written.
        return lesson_serve(self, request, preview=True)


def _stream_text(stream) -> str:
    """All the words of a StreamField, for the search index."""
    parts = []

    def walk(value):
        if isinstance(getattr(value, "source", None), str):  # RichText (a lecture's is a file)
            parts.append(value.source)
        elif isinstance(value, str):
            parts.append(value)
        elif isinstance(value, dict) or hasattr(value, "items"):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple) or hasattr(value, "__iter__"):
            for v in value:
                walk(getattr(v, "value", v))

    for child in stream:
        walk(child.value)

    return strip_tags(" ".join(parts))


class CaseStudyIndexPage(LoginRequiredPageMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["courses.CaseStudyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("case library")

    def get_context(self, request, *args, **kwargs):
        # Imported here: selectors and views import this module's models.
        from .selectors import case_library

        context = super().get_context(request, *args, **kwargs)
        context.update(case_library(index=self, params=request.GET))
        return context


class CaseStudyPage(LoginRequiredPageMixin, Page):
    summary = models.TextField(_("summary"), max_length=500)
    place = models.ForeignKey(
        OrgUnit,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    place_label = models.CharField(
        _("place as written"),
        max_length=100,
        blank=True,
        help_text=_("When the source names the place loosely or anonymises it, e.g. 某区."),
    )
    period = models.CharField(
        pgettext_lazy("case study", "period"), max_length=60, help_text=_("e.g. 2023年以来")
    )
    approach = models.ForeignKey(
        CaseApproach,
        verbose_name=_("approach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=CaseStudyTag, blank=True)
    background = RichTextField(_("background"), features=["bold", "italic", "ol", "ul", "link"])
    practices = StreamField(
        [("practice", PracticeBlock())], verbose_name=_("what was done"), blank=True
    )
    figures = StreamField([("figure", FigureBlock())], verbose_name=_("results"), blank=True)
    lessons_learnt = StreamField(
        [("lesson", LessonLearntBlock())], verbose_name=_("lessons learnt"), blank=True
    )
    source_name = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("source address"), blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    related_courses = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("related courses"),
        blank=True,
        related_name="case_studies",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldPanel("place_label"),
                FieldPanel("period"),
                FieldPanel("approach"),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("Where, when and how"),
        ),
        FieldPanel("background"),
        FieldPanel("practices"),
        FieldPanel("figures"),
        FieldPanel("lessons_learnt"),
        MultiFieldPanel(
            [FieldPanel("source_name"), FieldPanel("source_url"), FieldPanel("source_date")],
            heading=_("Source"),
        ),
        FieldPanel("related_courses"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("search_segmented"),
        index.FilterField("approach_id"),
    ]
    parent_page_types = ["courses.CaseStudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    @property
    def place_name(self) -> str:
        return self.place_label or (self.place.name if self.place_id else "")

    def search_segmented(self) -> str:
        return segment_for_index(
            self.title,
            self.summary,
            self.place_label,
            self.place.name if self.place_id else "",
            self.approach.name if self.approach_id else "",
            " ".join(t.name for t in self.tags.all()),
            self.background,
            _stream_text(self.practices),
            _stream_text(self.lessons_learnt),
            " ".join(str(b.value["label"]) for b in self.figures),
        )

    def get_context(self, request, *args, **kwargs):
        # Imported here: selectors and views import this module's models.
        from .selectors import case_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(case_detail(case=self, viewer=request.user))
        return context


# ---------------------------------------------------------------------------------------
# Approval: by the organisers of the course's owning unit (review.py says who).


class CourseApprovalTask(Task):
    """A workflow step approved by members of `groups`, each only for the courses of the
    units they manage: Wagtail's group approval, scoped by the course's owning unit.

    Pages outside any course (the case library) and courses without an owning unit go to
    every member, as with Wagtail's own GroupApprovalTask. It is not a subclass of that
    task so that Wagtail's submission e-mail (sent to every member of its groups) does not
    fire for it; courses sends its own (apps.py)."""

    groups = models.ManyToManyField(
        Group,
        verbose_name=_("groups"),
        help_text=_(
            "Members of these groups approve pages at this step: each only the pages of "
            "courses owned by a unit they manage."
        ),
    )

    admin_form_fields = [*Task.admin_form_fields, "groups"]
    admin_form_widgets = {"groups": forms.CheckboxSelectMultiple}

    class Meta:
        verbose_name = _("approval by the course's owning unit")
        verbose_name_plural = _("approvals by the course's owning unit")

    def _user_in_groups(self, user) -> bool:
        checks = getattr(user, "_course_approval_task_checks", None)
        if checks is None:
            checks = user._course_approval_task_checks = {}
        if self.pk not in checks:
            checks[self.pk] = self.groups.filter(id__in=user.groups.all()).exists()
        return checks[self.pk]

    def user_may_review(self, obj, user) -> bool:
        if user.is_superuser:
            return True
        return self._user_in_groups(user) and review.may_review_page(user, obj)

    def user_can_access_editor(self, obj, user):
        return self.user_may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.user_may_review(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_may_review(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self.user_may_review(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not (user.is_superuser or self._user_in_groups(user)):
            return TaskState.objects.none()
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        return review.task_states_in_scope(states, user)

    def reviewers_to_notify(self, obj):
        return review.reviewers_to_notify(groups=self.groups.all(), page=obj)

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve: each only the courses of the units they "
            "manage, and their lessons."
        )


# ---------------------------------------------------------------------------------------
# Assignment: which trainee studies which course.


class ClassCourse(models.Model):
    """A course on a training class's online curriculum; every enrolled trainee takes it.

    Whether it is 必修 or 选修 is the class's decision (the course's own `requirement` is
    only the default when it is added), and so is the date it should be finished by.
    """

    training_class = models.ForeignKey(
        "training.TrainingClass",
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        related_name="course_links",
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="class_links",
    )
    requirement = models.CharField(
        _("compulsory or elective"),
        max_length=16,
        choices=CoursePage.Requirement.choices,
        default=CoursePage.Requirement.COMPULSORY,
        help_text=_("An elective left unfinished is not counted as missing."),
    )
    due_date = models.DateField(
        _("due date"),
        null=True,
        blank=True,
        help_text=_("Optional: the day trainees should have finished the course by."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added at"))

    class Meta:
        verbose_name = _("class course")
        verbose_name_plural = _("class courses")
        constraints = [
            models.UniqueConstraint(fields=["training_class", "course"], name="one_link_per_class")
        ]

    def __str__(self) -> str:
        return f"{self.training_class} · {self.course}"

    @property
    def is_compulsory(self) -> bool:
        return self.requirement == CoursePage.Requirement.COMPULSORY


class CourseEnrolment(models.Model):
    """A course given to one trainee directly, outside any class."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.CASCADE,
        related_name="course_enrolments",
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        on_delete=models.CASCADE,
        related_name="direct_enrolments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("course enrolment")
        verbose_name_plural = _("course enrolments")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "course"], name="one_course_enrolment")
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.course}"


# ---------------------------------------------------------------------------------------
# Progress, measured by the server.


class CourseProgress(models.Model):
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="course_progress",
        verbose_name=_("trainee"),
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="progress", verbose_name=_("course")
    )
    seconds_studied = models.PositiveIntegerField(_("seconds studied"), default=0)
    lessons_completed = models.PositiveSmallIntegerField(_("lessons completed"), default=0)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last lesson"),
    )
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_studied_at = models.DateTimeField(_("last studied at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    credit_hours = models.DecimalField(
        _("online credit hours"), max_digits=4, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("course progress")
        verbose_name_plural = _("course progress")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "course"], name="one_progress_per_course")
        ]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.course_id}"


class LessonProgress(models.Model):
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("trainee"),
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    seconds_studied = models.PositiveIntegerField(_("seconds studied"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    last_studied_at = models.DateTimeField(_("last studied at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["trainee", "lesson"], name="one_progress_per_lesson")
        ]
        indexes = [models.Index(fields=["trainee", "course"])]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.lesson_id}"

    @property
    def minutes_studied(self) -> int:
        return self.seconds_studied // 60


class StudyClock(models.Model):
    """One row per trainee: when the server last credited study time, across all tabs.

    Heartbeats lock this row, so two tabs (or two phones) share one wall clock and the
    trainee can never be credited more than the time that actually passed.
    """

    trainee = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="study_clock",
        verbose_name=_("trainee"),
    )
    last_beat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last heartbeat"))
    # The heartbeat rate limit (COURSES_HEARTBEAT_RATE_PER_MINUTE), counted on this row,
    # which every beat locks anyway: no cache round trips on the busiest request.
    beat_window = models.PositiveBigIntegerField(default=0, verbose_name=_("heartbeat minute"))
    beats_in_window = models.PositiveIntegerField(
        default=0, verbose_name=_("heartbeats in that minute")
    )

    class Meta:
        verbose_name = _("study clock")
        verbose_name_plural = _("study clocks")

    def __str__(self) -> str:
        return f"{self.trainee} @ {self.last_beat_at}"


class StudyView(models.Model):
    """One opening of a lesson page. The token is issued by the server when it renders the
    page; heartbeats name it and count up `seq`, so a replayed beat is recognised."""

    token = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, verbose_name=_("token")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="study_views",
        verbose_name=_("trainee"),
    )
    lesson = models.ForeignKey(
        LessonPage, on_delete=models.CASCADE, related_name="+", verbose_name=_("lesson")
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    opened_at = models.DateTimeField(auto_now_add=True, verbose_name=_("opened at"))
    last_seq = models.PositiveIntegerField(default=0, verbose_name=_("last sequence number"))
    last_beat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last heartbeat"))
    seconds_credited = models.PositiveIntegerField(default=0, verbose_name=_("seconds credited"))

    class Meta:
        verbose_name = _("lesson view")
        verbose_name_plural = _("lesson views")
        indexes = [models.Index(fields=["trainee", "opened_at"])]

    def __str__(self) -> str:
        return f"{self.trainee} · {self.lesson_id} · {self.token}"
