"""Demo: a second and a third course, one open for self-selected study (自主选学), and one
pending 学时申报, so an organiser has something to decide.

The course text restates facts of the source reports (named in each lesson) in its own
words. Safe to run again: pages are found by slug, the enrolments and the declaration
by their unique keys.
"""

import datetime
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import Page

from courses.authoring import course_authors_sync
from courses.models import CourseEnrolment, CoursePage, LessonPage, Theme

SOURCE_QINYANG = (
    "人民网-中国共产党新闻网《河南沁阳市：“区域党委+特色产业”引领乡村振兴强劲起势》"
    "（2024年12月23日）"
)
SOURCE_MENGZHOU = "孟州市区域化党建报道（片区创建）"
SOURCE_PLAN = "河南日报《党旗高扬振兴路——乡村振兴五大行动计划系列解读之五》"
DECLARATION_NONCE = uuid.UUID("6a0c1f4e-2b7d-4d8e-9f31-5d2f0e7a2026")


def _text(html):
    return {"type": "text", "value": {"text": html}}


def _heading(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


def _points(title, points):
    return {"type": "key_points", "value": {"title": title, "points": points}}


def _source(quote, source):
    return {"type": "quotation", "value": {"quote": quote, "source": source, "source_date": None}}


def _page(parent, page, *, themes=(), instructors=()):
    existing = Page.objects.child_of(parent).filter(slug=page.slug).first()
    if existing is not None:
        return existing.specific
    parent.add_child(instance=page)
    if themes:
        page.themes.set(Theme.objects.filter(code__in=themes))
    if instructors:
        page.instructors.set(instructors)
    page.save_revision().publish()
    return page


def _course(index, course, lessons, *, themes, instructors):
    course = _page(index, course, themes=themes, instructors=instructors)
    for lesson in lessons:
        _page(course, lesson)
    course_authors_sync(course=course)
    return course


def _elective(index, org, instructors):
    return _course(
        index,
        CoursePage(
            title="区域党委+特色产业：沁阳与孟州的连片发展",
            slug="regional-committees-and-industry",
            summary=(
                "两个县级市怎样用区域党委把小而散的村连起来：沁阳按主导产业设区域党委，"
                "孟州按“东粮西果、南药北菜”划片区。适合自主选学，完成计入网络学时。"
            ),
            requirement=CoursePage.Requirement.ELECTIVE,
            self_selectable=True,
            estimated_minutes=30,
            owning_unit=org.get("信阳市"),
        ),
        [
            LessonPage(
                title="第一课 沁阳：四个区域党委带动四条产业链",
                slug="qinyang-four-committees",
                summary="村小、地少、集体经济不均，沁阳以区域党委统筹相邻村的特色产业。",
                min_study_minutes=15,
                body=[
                    _heading("一、为什么要跨村设党委"),
                    _text(
                        "<p>沁阳在焦作市，下辖11个乡镇（街道）、339个村（社区）。不少村规模小、"
                        "土地和人口少，集体经济强弱不一，单靠一个村很难把产业做大。</p>"
                    ),
                    _heading("二、怎么做"),
                    _points(
                        "做法要点",
                        [
                            "把地缘相邻、产业相近的村归到一起，设立4个区域党委，整合15个村",
                            "主导产业各有一条：皮筋头饰、驴肉加工、非遗黑陶、养生花茶",
                            "区域内成立强村公司，统一标准、品牌、采购、市场和定价，财务各村独立",
                        ],
                    ),
                    _points(
                        "几个数字",
                        ["四个主导产业的生产总值：25.7亿元", "带动村民就业：11.6万人"],
                    ),
                    _source("县里当指挥部，乡镇当作战部，村是战斗堡垒。", SOURCE_QINYANG),
                ],
            ),
            LessonPage(
                title="第二课 孟州：五个片区与“头雁带雁群”",
                slug="mengzhou-five-clusters",
                summary="孟州按产业布局划出五个片区，用老中青传帮带配强村干部队伍。",
                min_study_minutes=15,
                body=[
                    _heading("一、按产业划片区"),
                    _text(
                        "<p>孟州成立了5个示范型区域化党委，覆盖25个行政村、4500多户农户。"
                        "片区的划法跟着产业走：东边种粮、西边种果，南边中药材，北边蔬菜。</p>"
                    ),
                    _points(
                        "五个片区",
                        [
                            "南庄镇高效农业片区",
                            "槐树乡农文旅融合片区",
                            "城伯镇高标准农田片区",
                            "赵和镇小米产业片区",
                            "槐树乡中药材产业发展片区",
                        ],
                    ),
                    _heading("二、把人配强"),
                    _text(
                        "<p>返乡、培养、吸引大学生创业、老书记带新人，四条路一起走。"
                        "镇村两级共有480名干部参与片区创建。</p>"
                    ),
                    _points("几个数字", ["上一年，三个片区的村集体经济增收103万元"]),
                    _source("各村从“独唱”变成连片“大合唱”。", SOURCE_MENGZHOU),
                ],
            ),
        ],
        themes=["industry", "organisation"],
        instructors=instructors,
    )


def _plan_course(index, org, instructors):
    return _course(
        index,
        CoursePage(
            title="乡村组织振兴五年行动：书记培训与全员轮训",
            slug="rural-organisation-five-year-plan",
            summary=(
                "河南省乡村组织振兴五年行动计划讲什么：三项工程、三项行动、三项建设，"
                "以及每名村党组织书记的培训要求。"
            ),
            requirement=CoursePage.Requirement.COMPULSORY,
            estimated_minutes=20,
            owning_unit=org.get("信阳市"),
        ),
        [
            LessonPage(
                title="第一课 三项工程、三项行动、三项建设",
                slug="three-three-three",
                summary="行动计划的三组抓手，各管什么。",
                min_study_minutes=10,
                body=[
                    _points(
                        "三组抓手",
                        [
                            "三项工程：乡镇领导班子、村党组织、各类配套组织的建设",
                            "三项行动：培养村党组织带头人等基层骨干",
                            "三项建设：把组织体系和乡村治理体系健全起来",
                        ],
                    ),
                    _text(
                        "<p>乡镇领导班子被比作推进乡村振兴的“前沿指挥部”，村党组织是战斗堡垒。</p>"
                    ),
                    _source("要解决好“人、治、物、效”的问题。", SOURCE_PLAN),
                ],
            ),
            LessonPage(
                title="第二课 每名村党组织书记至少一次省级或市级培训",
                slug="every-village-secretary-trained",
                summary="培训要求与全员轮训，以及它们怎样记入学时档案。",
                min_study_minutes=10,
                body=[
                    _points(
                        "培训要求",
                        [
                            "2021—2025年，每名村党组织书记至少参加1次省级或市级培训",
                            "村干部全员轮训",
                            "借助“互联网+智慧党建”开展远程教育",
                        ],
                    ),
                    _text(
                        "<p>在别处参加的培训，可以在“我的学时”里申报，附上结业证书等证明，"
                        "由本单位组织部门审核后计入学时档案。</p>"
                    ),
                ],
            ),
        ],
        themes=["organisation"],
        instructors=instructors,
    )


def _pending_declaration(trainee):
    from declarations.models import Declaration
    from declarations.services import declaration_submit

    if Declaration.objects.filter(nonce=DECLARATION_NONCE).exists():
        return
    end = timezone.localdate() - datetime.timedelta(days=40)
    declaration_submit(
        actor=trainee,
        kind="in_person",
        title="河南省村党组织书记示范培训班",
        organiser="河南省委党校",
        start_date=end - datetime.timedelta(days=4),
        end_date=end,
        hours=40,
        evidence=SimpleUploadedFile("结业证书.pdf", _DEMO_PDF, content_type="application/pdf"),
        nonce=DECLARATION_NONCE,
    )


# A one-page PDF that says what it is: the demo's stand-in for a scanned certificate.
_DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Demo certificate - training) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# After the class seeding is done (its trainees are on the roster; certificates are at 70).
ORDER = 80


def seed(context):
    courses = context.get("courses")
    if not courses:
        return
    index = courses["index"]
    org = context.get("org", {})
    staff = context.get("staff", {})
    instructors = [p for p in (staff.get("instructor2") or staff.get("instructor"),) if p]
    elective = _elective(index, org, instructors)
    plan = _plan_course(index, org, instructors)
    trainees = context.get("trainees", [])
    organiser = staff.get("organiser")
    # The third course is assigned by the organiser to the first trainees; the elective
    # waits in the catalogue for them to choose it.
    for trainee in trainees[:5]:
        CourseEnrolment.objects.get_or_create(
            trainee=trainee, course=plan, defaults={"assigned_by": organiser}
        )
    if len(trainees) > 1:
        _pending_declaration(trainees[1])
    courses.update({"elective": elective, "organisation_plan": plan})
