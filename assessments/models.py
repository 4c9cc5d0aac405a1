"""Question bank, quizzes and exams, attempts, written work and grades.

Attempts never point at an editable question: they point at an immutable `QuestionVersion`
snapshot, so editing a question after trainees answered it changes no past attempt or score.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from lms.storage import private_storage  # migration 0001 names it here too
from training.models import TrainingClass

# Answers that arrive this long after the deadline (a slow phone network) are still taken;
# the overdue job submits only after it, so a save in flight at the deadline is not lost.
ANSWER_GRACE_SECONDS = 15
# A choice question's options are lettered A-H, as in the import/export template's columns.
MAX_OPTIONS = 8


def answer_cutoff(deadline):
    """The last moment an answer to an attempt with this deadline is taken (None: none)."""
    if deadline is None:
        return None
    return deadline + timezone.timedelta(seconds=ANSWER_GRACE_SECONDS)


class Grade(models.TextChoices):
    """The four-level scale of written work and essays (优秀/良好/合格/不合格)."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


PASSING_GRADES = (Grade.EXCELLENT, Grade.GOOD, Grade.PASS)
# The default rubric: the lowest score rate (% of full marks) of each passing level.
GRADE_THRESHOLDS = {
    Grade.EXCELLENT: Decimal("90"),
    Grade.GOOD: Decimal("80"),
    Grade.PASS: Decimal("60"),
}


def grade_for_score(score, full_marks, thresholds=None) -> str:
    """The level a score earns: the highest level whose threshold its score rate reaches
    (a threshold is reached at equality), else 不合格. Compared exactly, not rounded:
    89.99% is 良好 under a 90% threshold."""
    thresholds = thresholds or GRADE_THRESHOLDS
    score, full = Decimal(score), Decimal(full_marks)
    for level in (Grade.EXCELLENT, Grade.GOOD, Grade.PASS):
        if score * 100 >= Decimal(thresholds[level]) * full:
            return level
    return Grade.FAIL


class QuestionCategory(models.Model):
    """题库分类: questions are filed here and quizzes draw random questions from one."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "Question",
        on_delete=models.CASCADE,
        related_name="tagged_items",
        verbose_name=_("question"),
    )

    class Meta:
        verbose_name = _("question tag")
        verbose_name_plural = _("question tags")


class Question(index.Indexed, ClusterableModel):
    """The editable question. Every content change makes a new `QuestionVersion`."""

    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        FILL_IN = "fill_in", _("Fill in the blank")
        ESSAY = "essay", _("Short answer")

    class Scoring(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All or nothing")
        PARTIAL = "partial", _("Partial credit")

    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    stem = models.TextField(pgettext_lazy("question text", "question"))
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    scoring = models.CharField(
        _("multiple-choice scoring"),
        max_length=8,
        choices=Scoring.choices,
        default=Scoring.ALL_OR_NOTHING,
        help_text=_(
            "Partial credit: each correct option chosen earns its share, "
            "any wrong option chosen earns nothing."
        ),
    )
    true_false_answer = models.BooleanField(
        _("the statement is true"), null=True, blank=True, help_text=_("True or false only.")
    )
    accepted_answers = models.TextField(
        _("accepted answers"),
        blank=True,
        help_text=_(
            "Fill in the blank only: one accepted answer per line. Full-width and half-width "
            "characters, surrounding spaces and punctuation are ignored when comparing."
        ),
    )
    explanation = models.TextField(pgettext_lazy("question", "explanation"), blank=True)
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive questions are not drawn at random.")
    )
    current_version = models.ForeignKey(
        "QuestionVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    panels = [
        FieldRowPanel([FieldPanel("category"), FieldPanel("type"), FieldPanel("points")]),
        FieldPanel("stem"),
        MultiFieldPanel(
            [
                FieldPanel("scoring"),
                InlinePanel("options", label=_("Options"), max_num=MAX_OPTIONS),
            ],
            heading=_("Choices (single and multiple choice)"),
        ),
        FieldPanel("true_false_answer"),
        FieldPanel("accepted_answers"),
        FieldPanel("explanation"),
        FieldRowPanel([FieldPanel("tags"), FieldPanel("is_active")]),
    ]
    search_fields = [index.SearchField("stem"), index.AutocompleteField("stem")]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category__name", "pk"]

    def __str__(self) -> str:
        stem = self.stem.replace("\n", " ")
        return stem[:60] + ("…" if len(stem) > 60 else "")


class QuestionOption(Orderable):
    question = ParentalKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    text = models.CharField(_("option"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    panels = [FieldRowPanel([FieldPanel("text"), FieldPanel("is_correct")])]

    def __str__(self) -> str:
        return self.text

    class Meta:
        verbose_name = _("question option")
        verbose_name_plural = _("question options")


class QuestionVersion(models.Model):
    """An immutable snapshot of a question as trainees saw it (type, options, key, points).

    `data` holds: type, stem, points, scoring, options [{key, text, correct}],
    true_false, accepted [..], explanation. Rows are only ever inserted.
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="versions", verbose_name=_("question")
    )
    number = models.PositiveIntegerField(_("version"))
    content_hash = models.CharField(max_length=64, verbose_name=_("content hash"))
    data = models.JSONField(verbose_name=_("content"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("question version")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="question_version_number"),
            models.UniqueConstraint(
                fields=["question", "content_hash"], name="question_version_content"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"


class Quiz(index.Indexed, ClusterableModel):
    """随堂测验 or 结业考试: its settings and slots (fixed questions or random draws)."""

    class GradingMethod(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")
        FIRST = "first", _("First attempt")
        AVERAGE = "average", _("Average of attempts")

    class Review(models.TextChoices):
        NEVER = "never", pgettext_lazy("answers review", "Never")
        AFTER_SUBMIT = "after_submit", _("After the attempt is submitted")
        AFTER_CLOSE = "after_close", _("After the quiz closes")

    class Layout(models.TextChoices):
        ONE_PAGE = "one_page", _("All questions on one page")
        PER_QUESTION = "per_question", _("One question per page")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("instructions"), blank=True)
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quizzes",
        help_text=_("Leave empty for a quiz used only in course lessons."),
    )
    is_final_exam = models.BooleanField(
        _("final exam"), default=False, help_text=_("The class's final exam (结业考试).")
    )
    is_required = models.BooleanField(
        _("required for completion"),
        default=False,
        help_text=_("Trainees of the class must pass it to complete the class."),
    )
    course_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The course whose gradebook lists this quiz."),
    )
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: no time limit.")
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), default=1, help_text=_("0 means unlimited.")
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=16,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=False)
    review = models.CharField(
        _("show answers and explanations"),
        max_length=16,
        choices=Review.choices,
        default=Review.AFTER_SUBMIT,
    )
    layout = models.CharField(
        _("layout"), max_length=16, choices=Layout.choices, default=Layout.ONE_PAGE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("training_class"),
                FieldRowPanel([FieldPanel("is_final_exam"), FieldPanel("is_required")]),
                FieldPanel("course_page"),
            ],
            heading=_("Where it is used"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("pass_mark"),
                        FieldPanel("time_limit_minutes"),
                        FieldPanel("attempts_allowed"),
                    ]
                ),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("grading_method"), FieldPanel("review")]),
                FieldRowPanel(
                    [
                        FieldPanel("shuffle_questions"),
                        FieldPanel("shuffle_options"),
                        FieldPanel("layout"),
                    ]
                ),
            ],
            heading=_("Settings"),
        ),
        InlinePanel("slots", label=_("Questions"), min_num=1),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_class"],
                condition=Q(is_final_exam=True),
                name="one_final_exam_per_class",
                violation_error_message=_("This training class already has a final exam."),
            ),
            models.CheckConstraint(
                condition=Q(is_final_exam=False) | Q(training_class__isnull=False),
                name="final_exam_needs_class",
                violation_error_message=_("A final exam belongs to a training class."),
            ),
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="quiz_closes_after_opening",
                violation_error_message=_("The quiz must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or now >= self.opens_at) and (
            self.closes_at is None or now < self.closes_at
        )

    def is_closed(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closes_at is not None and now >= self.closes_at


class QuizSlot(Orderable):
    """One place in the quiz: a fixed question, or N questions drawn from a category."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="slots", verbose_name=_("quiz"))
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("random from category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    draw_count = models.PositiveIntegerField(
        _("how many to draw"), default=1, validators=[MinValueValidator(1)]
    )
    points = models.DecimalField(
        _("points each"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Empty: the question's own points."),
    )

    panels = [
        FieldRowPanel([FieldPanel("question"), FieldPanel("category"), FieldPanel("draw_count")]),
        FieldPanel("points"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.CheckConstraint(
                condition=(Q(question__isnull=False) & Q(category__isnull=True))
                | (Q(question__isnull=True) & Q(category__isnull=False)),
                name="slot_question_xor_category",
                violation_error_message=_(
                    "Each slot takes either one question or a category to draw from."
                ),
            ),
        ]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")


class Attempt(models.Model):
    """One trainee's go at a quiz. Its questions and draw are fixed when it starts."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", pgettext_lazy("attempt", "In progress")
        SUBMITTED = "submitted", pgettext_lazy("attempt", "Submitted")

    quiz = models.ForeignKey(
        Quiz, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("quiz")
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="quiz_attempts",
        verbose_name=_("trainee"),
    )
    number = models.PositiveIntegerField(_("attempt"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(
        pgettext_lazy("attempt", "submitted at"), null=True, blank=True
    )
    auto_submitted = models.BooleanField(_("submitted at the deadline"), default=False)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("0"), verbose_name=_("maximum score")
    )
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    pending_manual = models.PositiveIntegerField(_("answers awaiting grading"), default=0)
    graded_count = models.PositiveIntegerField(
        default=0,
        help_text="How many times auto-grading ran; a second run is a defect.",
        verbose_name=_("graded answers"),
    )
    # 补考: the one extra attempt an organiser granted (ExamMakeup) after the trainee failed
    # the final exam. Its score is recorded as it is; results say that it was a make-up.
    is_makeup = models.BooleanField(_("make-up attempt"), default=False)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["quiz", "trainee", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "trainee", "number"], name="attempt_number_unique"
            ),
            models.UniqueConstraint(
                fields=["quiz", "trainee"],
                condition=Q(status="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(submitted_at__isnull=False),
                name="submitted_attempt_has_time",
            ),
            models.UniqueConstraint(
                fields=["quiz", "trainee"],
                condition=Q(is_makeup=True),
                name="one_makeup_attempt_per_quiz",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            # Reports: score distributions over a period of submissions.
            models.Index(fields=["submitted_at"], name="assessments_attempt_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} #{self.number} ({self.trainee_id})"

    @property
    def is_finished(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_graded(self) -> bool:
        return self.is_finished and self.pending_manual == 0

    def answer_cutoff(self):
        return answer_cutoff(self.deadline)


class AttemptQuestion(models.Model):
    """A question as placed in one attempt, with the trainee's saved answer and its score.

    `answer_seq` is the client's sequence number of the saved answer: a save only applies
    when its number is higher, so an older save arriving late never overwrites a newer one.
    """

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="questions", verbose_name=_("attempt")
    )
    position = models.PositiveIntegerField(verbose_name=_("order in the quiz"))
    version = models.ForeignKey(
        QuestionVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("question version"),
    )
    points = models.DecimalField(max_digits=5, decimal_places=1, verbose_name=_("points"))
    option_order = models.JSONField(default=list, blank=True, verbose_name=_("option order"))
    answer = models.JSONField(null=True, blank=True, verbose_name=_("answer"))
    answer_seq = models.BigIntegerField(default=0, verbose_name=_("answer sequence number"))
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered at"))
    score = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, verbose_name=_("score")
    )
    needs_grading = models.BooleanField(default=False, verbose_name=_("needs grading"))
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True)
    grade_overridden = models.BooleanField(_("level set by the grader"), default=False)
    grade_override_reason = models.TextField(_("reason for the level"), blank=True)
    comment = models.TextField(pgettext_lazy("grading", "comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graded by"),
    )
    graded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("graded at"))

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_position"),
            models.UniqueConstraint(fields=["attempt", "version"], name="attempt_version_once"),
            models.CheckConstraint(
                condition=Q(grade_overridden=False) | ~Q(grade_override_reason=""),
                name="answer_level_override_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["needs_grading"], condition=Q(needs_grading=True), name="aq_needs_grading"
            )
        ]
        verbose_name = _("answered question")
        verbose_name_plural = _("answered questions")

    def __str__(self) -> str:
        return f"{self.attempt_id}#{self.position}"

    @cached_property
    def data(self) -> dict:
        return self.version.data

    @property
    def type(self) -> str:
        return self.data["type"]


class ExamMakeup(models.Model):
    """补考: one extra attempt of a class's final exam, granted by an organiser of the
    class to a trainee who failed it (or did not pass it by the time it closed).

    One row per exam and trainee (`one_makeup_per_exam`), so granting twice is one
    make-up. It has its own window, from the grant until `closes_at` (the organiser's
    deadline, by default a week after the grant), and cannot be started once the class
    is closed; the exam's time limit applies to it. `attempt` is the make-up attempt
    once the trainee starts it: a make-up is used once, whatever its result.
    """

    quiz = models.ForeignKey(
        Quiz, verbose_name=_("final exam"), on_delete=models.CASCADE, related_name="makeups"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainee"),
        on_delete=models.PROTECT,
        related_name="exam_makeups",
    )
    reason = models.TextField(_("reason"))
    closes_at = models.DateTimeField(_("make-up closes at"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"))
    attempt = models.OneToOneField(
        Attempt,
        verbose_name=_("make-up attempt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="makeup",
    )

    class Meta:
        verbose_name = _("make-up exam")
        verbose_name_plural = _("make-up exams")
        ordering = ["quiz", "trainee"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "trainee"], name="one_makeup_per_exam"),
            models.CheckConstraint(condition=~Q(reason=""), name="makeup_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} – {self.trainee_id} ({self._meta.verbose_name})"

    def is_open(self, now=None) -> bool:
        """Its window: from the grant until its deadline, while unused."""
        now = now or timezone.now()
        return self.attempt_id is None and self.granted_at <= now < self.closes_at


class Assignment(index.Indexed, models.Model):
    """Written work: 学习心得, 调研报告 or 案例分析, with a text answer and/or an upload."""

    class Kind(models.TextChoices):
        REFLECTION = "reflection", _("Learning reflection")
        RESEARCH = "research", _("Field-research report")
        CASE = "case", _("Case analysis")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    instructions = models.TextField(_("instructions"))
    training_class = models.ForeignKey(
        TrainingClass,
        verbose_name=_("training class"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    course_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    allows_late = models.BooleanField(
        _("accept late work"),
        default=False,
        help_text=_("After the due time, work is still accepted and marked late."),
    )
    accepts_text = models.BooleanField(_("text answer"), default=True)
    accepts_file = models.BooleanField(_("file upload"), default=True)
    max_file_mb = models.PositiveIntegerField(
        _("largest file (MB)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    is_required = models.BooleanField(_("required for completion"), default=True)
    # The rubric's thresholds: a score's level (优秀/良好/合格/不合格) follows its score rate
    # unless the grader overrides it with a reason. Percentages of full marks, as the
    # quiz's pass mark is.
    full_marks = models.PositiveSmallIntegerField(
        _("full marks"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    excellent_from = models.DecimalField(
        _("excellent from (score rate %)"),
        max_digits=5,
        decimal_places=2,
        default=GRADE_THRESHOLDS[Grade.EXCELLENT],
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    good_from = models.DecimalField(
        _("good from (score rate %)"),
        max_digits=5,
        decimal_places=2,
        default=GRADE_THRESHOLDS[Grade.GOOD],
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    pass_from = models.DecimalField(
        _("pass from (score rate %)"),
        max_digits=5,
        decimal_places=2,
        default=GRADE_THRESHOLDS[Grade.PASS],
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("kind")]),
        FieldPanel("instructions"),
        FieldRowPanel([FieldPanel("training_class"), FieldPanel("course_page")]),
        FieldRowPanel([FieldPanel("due_at"), FieldPanel("allows_late"), FieldPanel("is_required")]),
        FieldRowPanel(
            [FieldPanel("accepts_text"), FieldPanel("accepts_file"), FieldPanel("max_file_mb")]
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("full_marks"),
                        FieldPanel("excellent_from"),
                        FieldPanel("good_from"),
                        FieldPanel("pass_from"),
                    ]
                ),
            ],
            heading=_("Full marks and levels"),
            help_text=_(
                "A score's level follows these thresholds (excellent, good and pass from the given "
                "score rate, fail below); a grader may set another level only with a reason."
            ),
        ),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepts_text=True) | Q(accepts_file=True),
                name="assignment_accepts_something",
                violation_error_message=_("Accept a text answer, a file upload or both."),
            ),
            models.CheckConstraint(
                condition=Q(pass_from__lte=models.F("good_from"))
                & Q(good_from__lte=models.F("excellent_from")),
                name="assignment_thresholds_in_order",
                violation_error_message=_(
                    "The thresholds must rise from pass to good to excellent."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def thresholds(self) -> dict:
        """{level: lowest score rate (%)} of 优秀, 良好 and 合格."""
        return {
            Grade.EXCELLENT: self.excellent_from,
            Grade.GOOD: self.good_from,
            Grade.PASS: self.pass_from,
        }

    def is_past_due(self, now=None) -> bool:
        return self.due_at is not None and (now or timezone.now()) > self.due_at

    def accepts_work(self, now=None) -> bool:
        """Open for handing in: before the due time, or after it if late work is allowed."""
        return self.allows_late or not self.is_past_due(now)


def _submission_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"submissions/{instance.assignment_id}/{uuid.uuid4().hex}.{ext}"


class Submission(models.Model):
    """A trainee's work for an assignment: one row per trainee, revised until graded."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting grading")
        GRADED = "graded", _("Graded")

    assignment = models.ForeignKey(
        Assignment,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("assignment"),
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="submissions",
        verbose_name=_("trainee"),
    )
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"), upload_to=_submission_path, storage=private_storage, blank=True, max_length=200
    )
    file_name = models.CharField(max_length=200, blank=True, verbose_name=_("file name"))
    file_mime = models.CharField(max_length=100, blank=True, verbose_name=_("file type"))
    file_size = models.PositiveIntegerField(default=0, verbose_name=_("file size"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(pgettext_lazy("attempt", "submitted at"))
    is_late = models.BooleanField(_("late"), default=False)
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices, blank=True)
    # Out of the assignment's full marks (the grading service checks the upper bound).
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    grade_overridden = models.BooleanField(_("level set by the grader"), default=False)
    grade_override_reason = models.TextField(_("reason for the level"), blank=True)
    comment = models.TextField(pgettext_lazy("grading", "comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graded by"),
    )
    graded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("graded at"))

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "trainee"], name="one_submission_per_trainee"
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | ~Q(grade=""), name="graded_submission_has_grade"
            ),
            models.CheckConstraint(
                condition=Q(grade_overridden=False) | ~Q(grade_override_reason=""),
                name="submission_level_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} – {self.trainee}"


class GradeChange(models.Model):
    """Audit of every (re)grade: who, when, old and new value. Insert-only."""

    attempt_question = models.ForeignKey(
        AttemptQuestion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("answer"),
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("submission"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(auto_now_add=True, verbose_name=_("changed at"))
    old_score = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, verbose_name=_("old score")
    )
    new_score = models.DecimalField(
        max_digits=6, decimal_places=2, null=True, blank=True, verbose_name=_("new score")
    )
    old_grade = models.CharField(max_length=16, blank=True, verbose_name=_("old grade"))
    new_grade = models.CharField(max_length=16, blank=True, verbose_name=_("new grade"))
    comment = models.TextField(pgettext_lazy("grading", "comment"), blank=True)
    # The new level is not the one its score gives: the grader's reason for it.
    grade_overridden = models.BooleanField(_("level set by the grader"), default=False)
    override_reason = models.TextField(_("reason for the level"), blank=True)

    class Meta:
        ordering = ["-changed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(attempt_question__isnull=False, submission__isnull=True)
                | Q(attempt_question__isnull=True, submission__isnull=False),
                name="grade_change_has_one_target",
            ),
        ]
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")

    def __str__(self) -> str:
        return f"{self.old_grade or self.old_score} → {self.new_grade or self.new_score}"

    @property
    def old_grade_label(self) -> str:
        """优秀/良好/… as people read it, not the stored code."""
        return Grade(self.old_grade).label if self.old_grade in Grade.values else self.old_grade

    @property
    def new_grade_label(self) -> str:
        return Grade(self.new_grade).label if self.new_grade in Grade.values else self.new_grade
