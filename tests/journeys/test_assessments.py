"""Assessments as their users meet them: a trainee takes a timed quiz on a phone (autosave
across reloads, the timer running out, the review as configured); an instructor grades an
essay and a reflection in the Wagtail admin and re-grades one (audited); the class
gradebook exports to Excel with Chinese names."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from wagtail.models import ModelLogEntry

from assessments.models import Assignment, Attempt, GradeChange, Quiz, Submission
from assessments.services import attempts as attempt_services
from assessments.services.written import submission_save
from tests.assessments import factories as af
from tests.factories import TEST_PASSWORD
from tests.journeys.harness import journey_test
from tests.training.factories import ClassSessionFactory, class_for_world

pytestmark = [pytest.mark.browser, journey_test]

PHONE_WIDTH = 375


def _fits_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"page is {width}px wide on a {PHONE_WIDTH}px phone"


def _class_taught_by(world, **kwargs):
    """罗山县's running class: trainee_a enrolled, world.instructor teaching a session."""
    klass = class_for_world(world, name="信阳市乡镇党委书记能力提升培训班（第一期）", **kwargs)
    ClassSessionFactory(training_class=klass, instructor=world.instructor)
    return klass


def _move_deadline(attempt, seconds):
    """What the clock would do if the journey waited: the deadline `seconds` from now."""
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + datetime.timedelta(seconds=seconds)
    )


def test_trainee_takes_a_timed_quiz_on_a_phone(journey, world, site):
    klass = _class_taught_by(world)
    category = af.CategoryFactory(name="先导区建设")
    quiz = af.quiz_with(
        [
            af.single(category),  # 2 points: 大别山干部学院
            af.multiple(category),  # 4 points: 产业、人才、组织振兴
            af.true_false(category, answer=True),  # 1 point: 正确
            af.fill_in(category),  # 2 points: 片区化
        ],
        title="先导区建设随堂测验",
        training_class=klass,
        time_limit_minutes=30,
        review=Quiz.Review.AFTER_SUBMIT,
    )
    hidden = af.quiz_with(
        [af.single(category, stem="大别山干部学院位于哪个市？", points="5")],
        title="红色教育基地小测",
        training_class=klass,
        time_limit_minutes=10,
        review=Quiz.Review.NEVER,
    )
    page = journey.phone()

    with journey.step("log in and open my quizzes"):
        journey.login(page, world.trainee_a.phone, TEST_PASSWORD, next_path="/assessments/")
        expect(page.locator("h1")).to_contain_text("测验")
        expect(page.locator("main")).to_contain_text(quiz.title)
        _fits_phone(page)

    with journey.step("read the quiz's rules and start"):
        journey.submit(page, page.get_by_role("link", name=quiz.title))
        expect(page.locator(".qz-facts")).to_contain_text("30")
        journey.submit(page, page.locator("main form button[type=submit]"))
        expect(page.locator("#qz-timer")).to_have_text(re.compile(r"^(29|30):\d\d$"))
        expect(page.locator(".qz-q")).to_have_count(4)
        attempt = Attempt.objects.get(quiz=quiz, trainee=world.trainee_a)
        assert attempt.status == Attempt.Status.IN_PROGRESS
        html = page.content()  # nothing of the key reaches the phone before the review
        for secret in ("秘密答案丁", "解析甲乙丙", '"correct"', "is_correct"):
            assert secret not in html
        _fits_phone(page)

    with journey.step("answer the single and multiple choice questions"):
        page.locator("#q1 label", has_text="大别山干部学院").click()
        for text in ("产业振兴", "人才振兴", "组织振兴"):
            page.locator("#q2 label", has_text=text).click()
        expect(page.locator("#q1 .qz-q__status")).to_have_class(re.compile("is-saved"))
        expect(page.locator("#q2 .qz-q__status")).to_have_class(re.compile("is-saved"))
        expect(page.locator("#qz-progress")).to_contain_text("2/4")

    with journey.step("reload half-way: both answers are still there"):
        page.reload()
        expect(
            page.locator("#q1 label", has_text="大别山干部学院").locator("input")
        ).to_be_checked()
        for text in ("产业振兴", "人才振兴", "组织振兴"):
            expect(page.locator("#q2 label", has_text=text).locator("input")).to_be_checked()
        expect(page.locator("#q2 label", has_text="城镇振兴").locator("input")).not_to_be_checked()
        expect(page.locator("#qz-progress")).to_contain_text("2/4")
        _fits_phone(page)

    with journey.step("answer true/false (wrongly) and the fill-in"):
        page.locator("#q3 label", has_text="错误").click()
        page.locator("#q4 input[type=text]").fill("「片区化」")  # full-width quotes still match
        expect(page.locator("#q3 .qz-q__status")).to_have_class(re.compile("is-saved"))
        expect(page.locator("#q4 .qz-q__status")).to_have_class(re.compile("is-saved"))
        saved = dict(attempt.questions.values_list("position", "answer"))
        assert saved[1] and saved[3] is False and saved[4] == "「片区化」"
        assert len(saved[2]) == 3

    with journey.step("reload again with the deadline seconds away: all four answers kept"):
        _move_deadline(attempt, 8)
        page.reload()
        expect(
            page.locator("#q1 label", has_text="大别山干部学院").locator("input")
        ).to_be_checked()
        expect(page.locator("#q2 input:checked")).to_have_count(3)
        expect(page.locator("#q3 input[value=false]")).to_be_checked()
        expect(page.locator("#q4 input[type=text]")).to_have_value("「片区化」")
        expect(page.locator("#qz-progress")).to_contain_text("4/4")
        expect(page.locator("#qz-timer")).to_have_text(re.compile(r"^00:0\d$"))

    with journey.step("the timer runs out and the attempt is submitted by itself"):
        page.wait_for_url(re.compile(r"/attempt/\d+/result/"), timeout=20_000)
        expect(page.locator(".qz-score")).to_contain_text("8")
        expect(page.locator(".qz-score")).to_contain_text("/ 9")
        expect(page.locator(".hero")).to_contain_text("已通过")
        expect(page.locator(".hero")).to_contain_text("到时自动交卷")
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.SUBMITTED and attempt.auto_submitted
        assert attempt.submitted_at == attempt.deadline
        assert attempt.score == Decimal("8.00") and attempt.max_score == Decimal("9")
        assert attempt.passed is True and attempt.graded_count == 1
        _fits_phone(page)

    with journey.step("the review shows the key and explanations (after submit)"):
        reviews = page.locator(".qz-review")
        expect(reviews).to_have_count(4)
        expect(reviews.nth(0)).to_contain_text("解析甲乙丙")
        expect(reviews.nth(2)).to_have_class(re.compile("is-wrong"))
        expect(reviews.nth(2)).to_contain_text("正确答案")
        expect(reviews.nth(3)).to_have_class(re.compile("is-right"))
        expect(page.locator(".badge", has_text="正确")).not_to_have_count(0)

    with journey.step("start the second quiz, answer, and leave"):
        page.goto(journey.url(f"/assessments/quiz/{hidden.pk}/"))
        journey.submit(page, page.locator("main form button[type=submit]"))
        page.locator("#q1 label", has_text="省委党校").click()
        expect(page.locator("#q1 .qz-q__status")).to_have_class(re.compile("is-saved"))
        page.goto(journey.url("/"))
        second = Attempt.objects.get(quiz=hidden, trainee=world.trainee_a)
        assert second.status == Attempt.Status.IN_PROGRESS

    with journey.step("come back after the deadline: submitted with the saved answer"):
        _move_deadline(second, -60)  # past the deadline and its grace period
        page.goto(journey.url("/assessments/"))
        row = page.locator(".qz-row", has_text=hidden.title)
        expect(row).to_contain_text("未通过")
        second.refresh_from_db()
        assert second.status == Attempt.Status.SUBMITTED and second.auto_submitted
        assert second.score == Decimal("0.00") and second.passed is False
        _fits_phone(page)

    with journey.step("its review hides the answers (never shown)"):
        journey.submit(page, row.get_by_role("link", name=hidden.title))
        expect(page.locator("main")).to_contain_text("到时自动交卷")
        journey.submit(page, page.locator("main a[href*='/result/']").first)
        expect(page.locator("main")).to_contain_text("本测验不公布正确答案")
        expect(page.locator(".qz-review")).to_contain_text("你的选择")
        html = page.content()
        assert "解析甲乙丙" not in html and "正确答案：" not in html
        assert "is-key" not in html and "badge--ok" not in html
        # The choice is marked as the trainee's, not painted red as if it were wrong.
        chosen = page.locator(".qz-review li.is-chosen")
        assert chosen.evaluate("e => getComputedStyle(e).backgroundColor") != "rgb(253, 231, 229)"
        _fits_phone(page)


def _graded_work_waiting(world, klass):
    """trainee_a has sat the final exam (an essay to grade) and handed in a reflection."""
    category = af.CategoryFactory(name="结业考试题")
    exam = af.quiz_with(
        [af.single(category), af.essay(category)],
        title="先导区建设结业考试",
        training_class=klass,
        is_final_exam=True,
    )
    attempt = attempt_services.attempt_start(quiz=exam, trainee=world.trainee_a)
    key = next(
        o["key"] for o in attempt.questions.get(position=1).version.data["options"] if o["correct"]
    )
    essay_text = "我村与邻村共建产业片区，统一规划茶园和民宿，党员带头成立合作社。"
    for position, answer in ((1, key), (2, essay_text)):
        attempt_services.attempt_answer_save(
            attempt_id=attempt.pk, trainee=world.trainee_a, position=position, answer=answer, seq=1
        )
    attempt = attempt_services.attempt_submit(attempt_id=attempt.pk, trainee=world.trainee_a)
    assignment = af.AssignmentFactory(
        training_class=klass, title="学习心得：片区化组团式发展", kind=Assignment.Kind.REFLECTION
    )
    submission = submission_save(
        assignment=assignment,
        trainee=world.trainee_a,
        text="通过学习沁阳、孟州的经验，我认识到区域党委是片区发展的“指挥部”。",
    )
    return exam, attempt, assignment, submission


def test_instructor_grades_an_essay_and_a_reflection_and_regrades(journey, world, site):
    klass = _class_taught_by(world)
    exam, attempt, assignment, submission = _graded_work_waiting(world, klass)
    assert attempt.pending_manual == 1 and attempt.passed is None
    essay_answer = attempt.questions.get(position=2)
    page = journey.desktop()

    with journey.step("log in and open the grading queue"):
        journey.login(
            page, world.instructor.phone, TEST_PASSWORD, next_path="/admin/assessments/grading/"
        )
        expect(page.locator("h1")).to_contain_text("待评阅")
        # Tables come and go as work is graded: find each by what it lists.
        essays = page.locator("table.listing", has_text=exam.title)
        work = page.locator("table.listing", has_text=assignment.title)
        expect(essays).to_contain_text("学员甲")
        expect(essays).to_contain_text(exam.title)
        expect(work).to_contain_text(assignment.title)
        expect(work).to_contain_text("学习心得")

    with journey.step("grade the essay with a score and a comment"):
        journey.submit(page, essays.get_by_role("link", name="评阅"))
        expect(page.locator("main")).to_contain_text("我村与邻村共建产业片区")
        expect(page.locator("main")).to_contain_text("参考要点")  # the reference answer
        page.locator("input[name=score]").fill("8")
        page.locator("textarea[name=comment]").fill("联系本村实际，思路清楚；可再写写利益联结。")
        journey.submit(page, page.get_by_role("button", name="保存评分"))
        expect(page.locator(".messages")).to_contain_text("评分已保存")
        expect(page.locator("main")).to_contain_text("没有待评分的简答题")
        essay_answer.refresh_from_db()
        attempt.refresh_from_db()
        assert essay_answer.score == Decimal("8.00") and not essay_answer.needs_grading
        assert essay_answer.graded_by == world.instructor
        assert attempt.pending_manual == 0 and attempt.score == Decimal("10.00")
        assert attempt.passed is True  # 10 of 12 points, pass mark 60 %
        change = GradeChange.objects.get(attempt_question=essay_answer)
        assert change.old_score is None and change.new_score == Decimal("8.00")

    with journey.step("grade the reflection 良好 with 85 points"):
        journey.submit(page, work.get_by_role("link", name="评阅"))
        expect(page.locator("main")).to_contain_text("区域党委是片区发展的“指挥部”")
        page.get_by_label("良好").check()
        page.locator("input[name=score]").fill("85")
        page.locator("textarea[name=comment]").fill("体会真切，建议补充本镇的做法。")
        journey.submit(page, page.get_by_role("button", name="保存评分"))
        expect(page.locator(".messages")).to_contain_text("评分已保存")
        expect(page.locator("main")).to_contain_text("没有待评阅的作业")
        submission.refresh_from_db()
        assert submission.status == Submission.Status.GRADED
        assert (submission.grade, submission.score) == ("good", Decimal("85.0"))

    with journey.step("re-grade the reflection 优秀 from the recently graded list"):
        recent = page.locator("table.listing", has_text="重新评分")
        expect(recent).to_contain_text(assignment.title)
        expect(recent).to_contain_text("良好 · 85")
        journey.submit(page, recent.locator("tr", has_text=assignment.title).get_by_role("link"))
        expect(page.locator("input[name=score]")).to_have_value("85.0")
        # The level follows the score: 92 of 100 is 优秀, shown before saving.
        page.locator("input[name=score]").fill("92")
        expect(page.get_by_label("优秀")).to_be_checked()
        expect(page.locator("[data-grade-level-note]")).to_contain_text("优秀")
        page.locator("textarea[name=comment]").fill("补充了本镇做法，很完整。")
        journey.submit(page, page.get_by_role("button", name="保存评分"))
        expect(page.locator(".messages")).to_contain_text("评分已保存")

    with journey.step("the re-grade is in the history and the audit log"):
        submission.refresh_from_db()
        assert (submission.grade, submission.score) == ("excellent", Decimal("92.0"))
        changes = list(GradeChange.objects.filter(submission=submission).order_by("changed_at"))
        assert [(c.old_grade, c.new_grade) for c in changes] == [
            ("", "good"),
            ("good", "excellent"),
        ]
        assert changes[1].old_score == Decimal("85.0") and changes[1].new_score == Decimal("92.0")
        assert {c.changed_by for c in changes} == {world.instructor}
        entries = ModelLogEntry.objects.filter(
            action="assessments.submission_grade", object_id=str(submission.pk)
        ).order_by("timestamp")
        assert [e.data["new_grade"] for e in entries] == ["good", "excellent"]
        assert (
            entries.last().data["old_grade"] == "good"
            and entries.last().data["old_score"] == "85.0"
        )
        assert entries.last().user == world.instructor
        assert ModelLogEntry.objects.filter(
            action="assessments.answer_grade", object_id=str(attempt.pk), user=world.instructor
        ).exists()
        page.goto(journey.url(f"/admin/assessments/grading/submission/{submission.pk}/"))
        history = page.locator("table.listing", has_text="良好")
        expect(history.locator("tbody tr")).to_have_count(2)
        expect(history.locator("tbody tr").first).to_contain_text("良好 85")
        expect(history.locator("tbody tr").first).to_contain_text("优秀 92")
        expect(history).to_contain_text("教师甲")
        expect(history).not_to_contain_text("excellent")

    trainee = journey.phone()
    with journey.step("the trainee sees the grades on a phone", page=trainee):
        journey.login(trainee, world.trainee_a.phone, TEST_PASSWORD, next_path="/assessments/")
        expect(trainee.locator("main")).to_contain_text("优秀 · 92")
        journey.submit(trainee, trainee.get_by_role("link", name=assignment.title))
        expect(trainee.locator("main")).to_contain_text("补充了本镇做法，很完整。")
        _fits_phone(trainee)
        trainee.goto(journey.url(f"/assessments/attempt/{attempt.pk}/result/"))
        expect(trainee.locator(".qz-score")).to_contain_text("10")
        expect(trainee.locator(".qz-review").nth(1)).to_contain_text("8 / 10")
        expect(trainee.locator(".qz-review").nth(1)).to_contain_text("联系本村实际")
        _fits_phone(trainee)


def test_instructor_exports_the_class_gradebook(journey, world, site):
    klass = _class_taught_by(world)
    exam, attempt, assignment, submission = _graded_work_waiting(world, klass)
    from assessments.services.marking import answer_grade, submission_grade
    from tests.factories import trainee as make_trainee
    from tests.training.factories import EnrolmentFactory

    answer_grade(
        grader=world.instructor, answer_id=attempt.questions.get(position=2).pk, score=Decimal("7")
    )
    submission_grade(
        grader=world.instructor, submission_id=submission.pk, grade="good", score=Decimal("85")
    )
    rare = make_trainee(full_name="欧阳𠮷〇", org_unit=world.village_a)
    EnrolmentFactory(training_class=klass, trainee=rare)
    late = attempt_services.attempt_start(quiz=exam, trainee=rare)
    attempt_services.attempt_submit(attempt_id=late.pk, trainee=rare)  # handed in blank: 0
    page = journey.desktop()

    with journey.step("log in and open the gradebooks"):
        journey.login(page, world.instructor.phone, TEST_PASSWORD, next_path="/admin/gradebooks/")
        expect(page.locator("h1")).to_contain_text("成绩册")
        journey.submit(page, page.get_by_role("link", name=klass.name))

    with journey.step("the class gradebook lists each trainee's results"):
        table = page.locator("table.listing")
        expect(table.locator("thead")).to_contain_text(exam.title)
        expect(table.locator("thead")).to_contain_text(assignment.title)
        expect(table.locator("tr", has_text="学员甲")).to_contain_text("75")  # 9 of 12
        expect(table.locator("tr", has_text="学员甲")).to_contain_text("良好 85")
        expect(table.locator("tr", has_text="欧阳𠮷〇")).to_contain_text("0")

    with journey.step("export to Excel"):
        with page.expect_download() as info:
            page.get_by_role("link", name="导出 Excel").click()
        download = info.value
        assert download.suggested_filename == f"{klass.name}-成绩册.xlsx"
        content = open(download.path(), "rb").read()  # noqa: SIM115
        sheet = load_workbook(io.BytesIO(content)).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        header = rows[0]
        assert header[:3] == ["姓名", "手机号", "单位"]
        assert f"{exam.title}（得分率%）" in header and f"{assignment.title}（等级）" in header
        by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
        assert set(by_name) == {"学员甲", "欧阳𠮷〇"}
        mine, theirs = by_name["学员甲"], by_name["欧阳𠮷〇"]
        assert mine["单位"] == "东湾村" and mine["手机号"] == world.trainee_a.phone
        assert mine[f"{exam.title}（得分率%）"] == 75.0
        assert mine[f"{exam.title}（是否通过）"] == "通过"
        assert mine[f"{exam.title}（作答次数）"] == 1
        assert mine[f"{assignment.title}（等级）"] == "良好"
        assert mine[f"{assignment.title}（得分，满分100）"] == 85.0
        assert theirs[f"{exam.title}（得分率%）"] == 0.0
        assert theirs[f"{exam.title}（是否通过）"] == "未通过"
        assert theirs[f"{assignment.title}（等级）"] == "未提交"


def test_trainee_moves_between_questions_one_per_page(journey, world, site):
    """What was typed just before tapping a question number is saved, not lost."""
    klass = _class_taught_by(world)
    category = af.CategoryFactory(name="逐题作答")
    quiz = af.quiz_with(
        [af.fill_in(category), af.essay(category), af.single(category)],
        title="逐题作答测验",
        training_class=klass,
        layout=Quiz.Layout.PER_QUESTION,
    )
    page = journey.phone()

    with journey.step("log in and start the quiz"):
        journey.login(page, world.trainee_a.phone, TEST_PASSWORD)
        page.goto(journey.url(f"/assessments/quiz/{quiz.pk}/"))
        journey.submit(page, page.locator("main form button[type=submit]"))
        expect(page.locator(".qz-q")).to_have_count(1)
        expect(page.locator(".qz-nav__item")).to_have_count(3)
        attempt = Attempt.objects.get(quiz=quiz, trainee=world.trainee_a)

    with journey.step("type the fill-in and tap question 3 at once"):
        page.locator("#q1 input[type=text]").fill("片区化")
        with page.expect_navigation():
            page.locator(".qz-nav__item[data-nav='3']").click()
        assert page.url.endswith("?q=3")
        assert attempt.questions.get(position=1).answer == "片区化"
        expect(page.locator(".qz-nav__item[data-nav='1']")).to_have_class(re.compile("is-answered"))

    with journey.step("back to question 2, type, and tap question 1 at once"):
        with page.expect_navigation():
            page.locator(".qz-nav__item[data-nav='2']").click()
        page.locator("#q2 textarea").fill("片区党委统筹，村村联动。")
        with page.expect_navigation():
            page.locator(".qz-nav__item[data-nav='1']").click()
        expect(page.locator("#q1 input[type=text]")).to_have_value("片区化")
        assert attempt.questions.get(position=2).answer == "片区党委统筹，村村联动。"

    with journey.step("type and close the page at once: the text is sent on the way out"):
        page.locator("#q1 input[type=text]").fill("片区化发展")
        warned = []
        page.once("dialog", lambda dialog: (warned.append(dialog.type), dialog.accept()))
        page.close(run_before_unload=True)
        page = journey.phone()
        journey.login(page, world.trainee_a.phone, TEST_PASSWORD)
        assert warned == ["beforeunload"]  # typing not yet saved counts as unsaved
        assert attempt.questions.get(position=1).answer == "片区化发展"

    with journey.step("submit: asked first, then the result with every answer"):
        page.goto(journey.url(f"/assessments/attempt/{attempt.pk}/?q=3"))
        page.locator("#q3 label", has_text="大别山干部学院").click()
        page.once("dialog", lambda dialog: dialog.accept())  # "submit now?" — yes
        journey.submit(page, page.locator("#qz-submit-btn"))
        assert re.search(r"/attempt/\d+/result/", page.url)
        attempt.refresh_from_db()
        assert attempt.status == Attempt.Status.SUBMITTED and not attempt.auto_submitted
        # The single choice's 2 points; "片区化发展" is not an accepted answer; the essay waits.
        assert attempt.score == Decimal("2.00") and attempt.pending_manual == 1
        assert attempt.questions.get(position=3).score == Decimal("2.00")


def test_trainee_without_javascript_submits_what_is_on_the_page(journey, world, site):
    """A phone whose browser runs no script: Submit still saves the answers it shows."""
    klass = _class_taught_by(world)
    quiz = af.quiz_with([af.single(), af.fill_in()], title="无脚本测验", training_class=klass)
    page = journey.phone(java_script_enabled=False)

    with journey.step("log in and start the quiz"):
        journey.login(page, world.trainee_a.phone, TEST_PASSWORD)
        page.goto(journey.url(f"/assessments/quiz/{quiz.pk}/"))
        journey.submit(page, page.locator("main form button[type=submit]"))
        expect(page.locator(".qz-q")).to_have_count(2)

    with journey.step("answer both and submit straight away"):
        page.locator("#q1 label", has_text="大别山干部学院").click()
        page.locator("#q2 input[type=text]").fill("片区化")
        journey.submit(page, page.locator("#qz-submit-btn"))
        assert re.search(r"/attempt/\d+/result/", page.url)
        attempt = Attempt.objects.get(quiz=quiz, trainee=world.trainee_a)
        assert attempt.status == Attempt.Status.SUBMITTED
        assert attempt.score == Decimal("4.00") == attempt.max_score
