"""Assessment test data: questions through the service (so versions exist), quizzes, work."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from assessments.models import Assignment, QuestionCategory, Quiz, QuizSlot
from assessments.services.questions import question_create


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = QuestionCategory
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"分类{n}")


def single(category=None, stem="先导区培训在哪里举办？", points="2", **kw):
    return question_create(
        category=category or CategoryFactory(),
        type="single",
        stem=stem,
        options=[("大别山干部学院", True), ("省委党校", False), ("市委党校", False)],
        points=Decimal(points),
        explanation="解析甲乙丙",
        **kw,
    )


def multiple(category=None, scoring="all", points="4"):
    return question_create(
        category=category or CategoryFactory(),
        type="multiple",
        stem="五大振兴包括？",
        options=[("产业振兴", True), ("人才振兴", True), ("城镇振兴", False), ("组织振兴", True)],
        scoring=scoring,
        points=Decimal(points),
    )


def true_false(category=None, answer=True):
    return question_create(
        category=category or CategoryFactory(),
        type="true_false",
        stem="孟州市成立了5个区域化党委。",
        true_false=answer,
        points=Decimal("1"),
    )


def fill_in(category=None):
    return question_create(
        category=category or CategoryFactory(),
        type="fill_in",
        stem="________、组团式",
        accepted=["片区化", "秘密答案丁"],
        points=Decimal("2"),
    )


def essay(category=None):
    return question_create(
        category=category or CategoryFactory(),
        type="essay",
        stem="谈谈如何融入片区化发展。",
        points=Decimal("10"),
        explanation="参考要点……",
    )


class QuizFactory(DjangoModelFactory):
    class Meta:
        model = Quiz

    title = factory.Sequence(lambda n: f"测验{n}")
    pass_mark = Decimal("60")
    attempts_allowed = 1


def quiz_with(questions, **kwargs) -> Quiz:
    quiz = QuizFactory(**kwargs)
    for i, q in enumerate(questions):
        QuizSlot.objects.create(quiz=quiz, question=q, sort_order=i)
    return quiz


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    title = factory.Sequence(lambda n: f"学习心得{n}")
    kind = Assignment.Kind.REFLECTION
    instructions = "写一篇学习心得。"
    max_file_mb = 1
