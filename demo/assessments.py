"""Demo question bank, a lesson quiz, the demo class's final exam and a reflection.

Facts restate the seed documents in our own words: the 河南广播电视台 report on 信阳's
township secretaries studying the pilot zone (先导区) at 大别山干部学院, the 人民网 piece on
沁阳's 区域党委+特色产业, the 孟州 report on 区域化党委 and 河南日报's reading of the
乡村组织振兴五年行动计划. Idempotent: a second run changes nothing.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from assessments.models import (
    Assignment,
    Attempt,
    Question,
    QuestionCategory,
    Quiz,
    QuizSlot,
    Submission,
)

ORDER = 50
SHANGHAI = ZoneInfo("Asia/Shanghai")

PILOT = "先导区与片区化组团式发展"
ORG = "区域党委与组织振兴"
ESSAY = "简答题（教师评分）"
# The lesson quiz shows its answers after each try, so it has questions of its own: had it
# used PILOT, which the final exam draws from, trainees would collect the exam's key there.
PRACTICE = "随堂练习：先导区"

S, M, TF, F, E = "single", "multiple", "true_false", "fill_in", "essay"

# (category, type, stem, options [(text, correct)] | true/false | accepted [..], explanation)
QUESTIONS = [
    (
        PILOT,
        S,
        "信阳市全市乡镇（街道）党（工）委书记能力提升培训班在哪里举办，集中学习“先导区”？",
        [
            ("大别山干部学院", True),
            ("河南省委党校", False),
            ("焦作市委党校", False),
            ("信阳师范大学", False),
        ],
        "据河南广播电视台报道，培训班在大别山干部学院举办，先导区是重点内容之一。",
    ),
    (
        PILOT,
        S,
        "河南先导区的全称是：",
        [
            ("宜居宜业和美乡村先导区", True),
            ("乡村振兴示范先导区", False),
            ("现代农业产业先导区", False),
            ("城乡融合先导区", False),
        ],
        "报道中称“宜居宜业和美乡村先导区”。",
    ),
    (
        PILOT,
        F,
        "培训班上系统讲解的发展理念是“________、组团式”。",
        ["片区化"],
        "片区化、组团式：以片区统筹，打破一村一策的零散做法。",
    ),
    (
        PILOT,
        M,
        "按报道，片区内需要统筹的“五大要素”包括哪些？",
        [
            ("空间", True),
            ("产业", True),
            ("人才", True),
            ("组织", True),
            ("生态", True),
            ("户籍", False),
        ],
        "空间、产业、人才、组织、生态五大要素的系统重塑。",
    ),
    (
        PILOT,
        TF,
        "先导区的思路是“一村一策”的零散修补。",
        False,
        "恰恰相反：乡村全面振兴不是一村一策的零散修补，先导区用于破解碎片化振兴。",
    ),
    (
        PILOT,
        S,
        "河南省委十一届九次全会提出的“五个强省”中，位居首位的是：",
        [("农业强省", True), ("制造强省", False), ("文化强省", False), ("教育强省", False)],
        "报道指出“农业强省”位居“五个强省”之首。",
    ),
    (
        PILOT,
        TF,
        "报道认为，先导区是推动片区成带、成链、成势，实现资源整合、项目落地、产业闭环的关键抓手。",
        True,
        "原文把先导区定位为制度创新平台和关键抓手。",
    ),
    (
        PILOT,
        F,
        "乡村振兴从“单兵突进”走向“系统________”，是报道对先导区意义的概括。",
        ["跃升"],
        "从“单兵突进”走向“系统跃升”。",
    ),
    (
        ORG,
        M,
        "乡村“五大振兴”包括：",
        [
            ("产业振兴", True),
            ("人才振兴", True),
            ("文化振兴", True),
            ("生态振兴", True),
            ("组织振兴", True),
            ("城镇振兴", False),
        ],
        "产业、人才、文化、生态、组织五大振兴。",
    ),
    (
        ORG,
        S,
        "沁阳市在推进乡村振兴中探索的模式是：",
        [
            ("区域党委+特色产业", True),
            ("一村一品", False),
            ("企业+农户", False),
            ("合作社+基地", False),
        ],
        "人民网报道：沁阳市“区域党委+特色产业”引领乡村振兴。",
    ),
    (
        ORG,
        F,
        "沁阳市设立了____个区域党委，整合15个村的资源发展特色产业。（填数字）",
        ["4", "四"],
        "皮筋头饰、驴肉加工、非遗黑陶、养生花茶四个主导产业各设一个区域党委。",
    ),
    (
        ORG,
        M,
        "沁阳市区域党委推动乡村实现哪些“联”？（多选，部分得分）",
        [
            ("组织联建", True),
            ("规划联体", True),
            ("产业联营", True),
            ("治理联动", True),
            ("户籍联管", False),
        ],
        "组织联建、规划联体、产业联营、治理联动、服务联享。",
    ),
    (
        ORG,
        TF,
        "孟州市成立了5个示范型区域化党委，覆盖25个行政村。",
        True,
        "孟州市的做法：5个区域化党委、25个行政村、4500余户农户。",
    ),
    (
        ORG,
        S,
        "孟州市的特色产业布局概括为：",
        [
            ("东粮西果、南药北菜", True),
            ("东菜西粮、南果北药", False),
            ("山上林果、山下粮菜", False),
            ("一乡一业、一村一品", False),
        ],
        "孟州市聚焦“东粮西果、南药北菜”特色产业布局。",
    ),
    (
        ORG,
        M,
        "《河南省乡村组织振兴五年行动计划》提出的“三项工程”是：",
        [
            ("乡镇领导班子建设龙头工程", True),
            ("村党组织建设堡垒工程", True),
            ("各类配套组织成长工程", True),
            ("农村道路硬化工程", False),
        ],
        "河南日报解读：乡村组织建设“三项工程”。",
    ),
    (
        ORG,
        F,
        "沁阳市通过区域党委整合各村资源、资产、资金，成立“强村____”统一建设管理。",
        ["公司"],
        "成立“强村公司”，统一建设管理、运营品牌。",
    ),
    (
        PRACTICE,
        S,
        "先导区要破解的是乡村振兴中的哪种问题？",
        [
            ("人口外流", False),
            ("碎片化振兴", True),
            ("土地撂荒", False),
            ("村级债务", False),
        ],
        "乡村全面振兴不是一村一策的零散修补，先导区用于破解碎片化振兴。",
    ),
    (
        PRACTICE,
        TF,
        "片区化、组团式发展主张以片区统筹，打破一村一策的零散做法。",
        True,
        "片区化、组团式：以片区统筹，打破一村一策的零散做法。",
    ),
    (
        PRACTICE,
        M,
        "报道认为，先导区要推动片区实现哪些目标？",
        [
            ("各村分头招商", False),
            ("资源整合", True),
            ("项目落地", True),
            ("产业闭环", True),
        ],
        "先导区是推动片区成带、成链、成势，实现资源整合、项目落地、产业闭环的关键抓手。",
    ),
    (
        PRACTICE,
        F,
        "先导区推动片区成带、成链、成____。（填一个字）",
        ["势"],
        "成带、成链、成势。",
    ),
    (
        ESSAY,
        E,
        "结合本乡镇实际，谈谈如何融入片区化、组团式发展（300字左右）。",
        None,
        "参考要点：找准本乡镇在片区中的定位；统筹空间、产业、人才、组织、生态要素；"
        "以区域党委等组织形式联建共建；项目化、机制化推进。",
    ),
    (
        ESSAY,
        E,
        "区域党委与村党组织是什么关系？请举一例说明其作用。",
        None,
        "参考要点：区域党委统筹、村党组织落实；如沁阳以区域党委带动特色产业、孟州连片共建。",
    ),
]


def _question(categories, row, actor):
    from assessments.services.questions import question_create

    cat_name, qtype, stem, key, explanation = row
    existing = Question.objects.filter(stem=stem).first()
    if existing is not None:
        return existing
    kwargs = {}
    if qtype in (S, M):
        kwargs["options"] = key
        if "部分得分" in stem:
            kwargs["scoring"] = Question.Scoring.PARTIAL
    elif qtype == TF:
        kwargs["true_false"] = key
    elif qtype == F:
        kwargs["accepted"] = key
    return question_create(
        category=categories[cat_name],
        type=qtype,
        stem=stem,
        explanation=explanation,
        points=Decimal("10") if qtype == E else Decimal("2"),
        tags=["先导区"]
        if cat_name in (PILOT, PRACTICE)
        else ["组织振兴"]
        if cat_name == ORG
        else ["简答"],
        actor=actor,
        **kwargs,
    )


def seed(context):
    staff = context.get("staff", {})
    instructor = staff.get("instructor")
    klass = context.get("demo_class")
    categories = {}
    for name, text in (
        (PILOT, "宜居宜业和美乡村先导区、片区化组团式发展（据河南广播电视台报道整理）"),
        (ORG, "区域党委、五大振兴与乡村组织振兴（据人民网、河南日报等报道整理）"),
        (ESSAY, "需要教师评分的简答题"),
        (PRACTICE, "随堂测验用的练习题，交卷后公布答案；结业考试不从这里抽题"),
    ):
        categories[name], _ = QuestionCategory.objects.get_or_create(
            name=name, defaults={"description": text}
        )
    questions = [_question(categories, row, instructor) for row in QUESTIONS]
    context["question_bank"] = questions
    essays = [q for q in questions if q.type == E]

    lesson_quiz, created = Quiz.objects.get_or_create(
        title="随堂测验：先导区与片区化组团式发展",
        defaults={
            "description": (
                "学完“宜居宜业和美乡村先导区建设”一课后的随堂测验，5分钟，可反复作答，"
                "交卷后即可查看答案与解析。"
            ),
            "training_class": klass,
            "pass_mark": Decimal("60"),
            "time_limit_minutes": 5,
            "attempts_allowed": 0,
            "grading_method": Quiz.GradingMethod.HIGHEST,
            "shuffle_options": True,
            "review": Quiz.Review.AFTER_SUBMIT,
            "layout": Quiz.Layout.PER_QUESTION,
            "created_by": instructor,
        },
    )
    if created:
        for i, q in enumerate(q for q in questions if q.category_id == categories[PRACTICE].pk):
            QuizSlot.objects.create(quiz=lesson_quiz, question=q, sort_order=i)
    context["lesson_quiz"] = lesson_quiz
    _place_in_last_lesson(context, lesson_quiz)

    if klass is not None:
        closes = datetime.datetime.combine(klass.end_date, datetime.time(17, 0), SHANGHAI)
        exam, created = Quiz.objects.get_or_create(
            training_class=klass,
            is_final_exam=True,
            defaults={
                "title": "结业考试：乡村振兴与基层党建",
                "description": "随机抽取12道客观题和1道简答题，限时30分钟，可作答两次，取最高分；"
                "考试结束后公布答案与解析。简答题由教师评分。",
                "is_required": True,
                "pass_mark": Decimal("60"),
                "time_limit_minutes": 30,
                "closes_at": closes,
                "attempts_allowed": 2,
                "grading_method": Quiz.GradingMethod.HIGHEST,
                "shuffle_questions": True,
                "shuffle_options": True,
                "review": Quiz.Review.AFTER_CLOSE,
                "layout": Quiz.Layout.ONE_PAGE,
                "created_by": instructor,
            },
        )
        if created:
            QuizSlot.objects.create(
                quiz=exam, category=categories[PILOT], draw_count=6, sort_order=0
            )
            QuizSlot.objects.create(quiz=exam, category=categories[ORG], draw_count=6, sort_order=1)
            QuizSlot.objects.create(quiz=exam, question=essays[0], sort_order=2)
        context["final_exam"] = exam

        reflection, _ = Assignment.objects.get_or_create(
            title="学习心得：先导区建设与本乡镇的发展思路",
            training_class=klass,
            defaults={
                "kind": Assignment.Kind.REFLECTION,
                "instructions": (
                    "结合“宜居宜业和美乡村先导区”专题学习和现场教学，写一篇不少于800字的学习心得：\n"
                    "1. 对片区化、组团式发展理念的理解；\n2. 本乡镇在片区中的定位和短板；\n"
                    "3. 回去后准备推进的两三件实事。\n可直接填写，也可上传 Word 或 PDF 文件。"
                ),
                "due_at": datetime.datetime.combine(klass.end_date, datetime.time(12, 0), SHANGHAI),
                "is_required": True,
                "created_by": instructor,
            },
        )
        _demo_work(context, klass, exam, reflection)
        # The rest of the class sat the exam and handed in reflections, as a class that
        # ended does; trainees 2–4 keep the work above (to grade, or failed).
        roster = list(context.get("trainees", []))
        seed_class_results(context, klass, exam, reflection, trainees=roster[5:52])


def _place_in_last_lesson(context, quiz):
    """The lesson quiz closes the demo course: a `quiz` block at the end of its last lesson,
    published as a new revision (once; a second seed finds it there)."""
    from courses.services import lesson_quiz_ids

    lessons = context.get("courses", {}).get("lessons") or []
    if not lessons:
        return
    lesson = type(lessons[-1]).objects.get(pk=lessons[-1].pk)
    if quiz.pk in lesson_quiz_ids(lesson):
        return
    lesson.body.append(("quiz", {"quiz": quiz, "heading": "随堂测验：检验一下本课程所学"}))
    lesson.save_revision().publish()


def _demo_work(context, klass, exam, reflection):
    """Two trainees have sat the exam and three handed in reflections: work to grade."""
    from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit

    trainees = list(context.get("trainees", []))[2:5]
    if not trainees or Attempt.objects.filter(quiz=exam).exists():
        return
    start = datetime.datetime.combine(klass.start_date, datetime.time(9, 0), SHANGHAI)
    for n, trainee in enumerate(trainees[:2]):
        attempt = attempt_start(quiz=exam, trainee=trainee, now=start, seed=n)
        for aq in attempt.questions.select_related("version"):
            data = aq.version.data
            answer = {
                "single": aq.option_order[0] if aq.option_order else None,
                "multiple": aq.option_order[:2],
                "true_false": True,
                "fill_in": "片区化",
                "essay": "我镇地处片区中部，将发挥茶产业基础，与相邻乡镇联建区域党委，"
                "统筹规划、共建冷链和品牌，先从两个村的联营试点做起。",
            }[data["type"]]
            attempt_answer_save(
                attempt_id=attempt.pk,
                trainee=trainee,
                position=aq.position,
                answer=answer,
                seq=1,
                now=start,
            )
        attempt_submit(
            attempt_id=attempt.pk, trainee=trainee, now=start + datetime.timedelta(minutes=20)
        )
    for trainee in trainees:
        if not Submission.objects.filter(assignment=reflection, trainee=trainee).exists():
            Submission.objects.create(
                assignment=reflection,
                trainee=trainee,
                text=(
                    "通过这次集中学习，我认识到先导区不是可选项而是必选项。我镇将找准在片区中的定位，"
                    "和周边乡镇抱团发展，把分散的资源整合起来，先从产业联营和人居环境连片整治做起。"
                ),
                submitted_at=start + datetime.timedelta(days=2),
            )


def _right_answer(data: dict, n: int):
    """A good answer to one question; every seventh objective question missed."""
    qtype = data["type"]
    if qtype == "essay":
        return (
            "我镇地处片区中部，将发挥茶产业基础，与相邻乡镇联建区域党委，统筹规划、"
            "共建冷链和品牌，先从两个村的联营试点做起。"
        )
    keys = [o["key"] for o in data.get("options", [])]
    correct = [o["key"] for o in data.get("options", []) if o["correct"]]
    wrong = n % 7 == 3
    if qtype == "single":
        return next((k for k in keys if k not in correct), correct[0]) if wrong else correct[0]
    if qtype == "multiple":
        return correct[:1] if wrong else correct
    if qtype == "true_false":
        return (not data["true_false"]) if wrong else data["true_false"]
    if qtype == "fill_in":
        return "" if wrong else data["accepted"][0]
    return None


def seed_class_results(context, klass, exam, reflection, *, trainees):
    """The flagship class's exam and reflections as a finished class has them: most sat
    the exam and passed, their essays and reflections graded by the instructor. Who is
    left out is what the completion review shows as 不予结业 (see demo.certificates)."""
    from assessments.services.attempts import attempt_answer_save, attempt_start, attempt_submit
    from assessments.services.marking import answer_grade, submission_grade

    instructor = context["staff"]["instructor"]
    start = datetime.datetime.combine(klass.end_date, datetime.time(9, 0), SHANGHAI)
    start -= datetime.timedelta(days=1)
    for n, trainee in enumerate(trainees):
        if Attempt.objects.filter(quiz=exam, trainee=trainee).exists():
            continue
        attempt = attempt_start(quiz=exam, trainee=trainee, now=start, seed=100 + n)
        for i, aq in enumerate(attempt.questions.select_related("version")):
            attempt_answer_save(
                attempt_id=attempt.pk,
                trainee=trainee,
                position=aq.position,
                answer=_right_answer(aq.version.data, n + i),
                seq=1,
                now=start,
            )
        attempt_submit(
            attempt_id=attempt.pk, trainee=trainee, now=start + datetime.timedelta(minutes=25)
        )
        for aq in attempt.questions.filter(version__data__type="essay"):
            answer_grade(
                grader=instructor,
                answer_id=aq.pk,
                score=aq.points * Decimal("0.8"),
                comment="结合本乡镇实际，思路清楚。",
            )
        submission, _created = Submission.objects.get_or_create(
            assignment=reflection,
            trainee=trainee,
            defaults={
                "text": (
                    "这次学习让我看清了先导区建设的路子：片区化、组团式，县里统筹、乡镇落实。"
                    "回去后先抓片区规划和产业联营两件事，把区域党委的议事机制建起来。"
                ),
                "submitted_at": start - datetime.timedelta(hours=20),
            },
        )
        if submission.graded_at is None:
            submission_grade(
                grader=instructor,
                submission_id=submission.pk,
                score=Decimal(72 + (n * 5) % 25),
                comment="紧扣专题，措施具体。",
            )
