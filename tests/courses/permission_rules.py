"""Every URL of the courses app. The Wagtail pages (/courses/…, /cases/…) are served by
Wagtail's catch-all and tested in test_pages.py: staff read all, trainees what is theirs.

Assignment screens (Wagtail admin): class_a of 罗山县 has `course` on its curriculum and
`spare` not yet; trainee_a is on its roster and also given `course` directly.
"""

from tests.permissions.harness import DENIED, LOGIN, OK, REDIRECT, Rule, everyone_signed_in


def setup(world):
    from courses import services
    from tests.courses.factories import enrol, lessons_of, link_class, make_course, site_indexes
    from tests.training.factories import class_for_world

    courses, _cases = site_indexes()
    course = make_course(courses, lessons=1)
    spare = make_course(courses, lessons=1)
    elective = make_course(courses, lessons=1, self_selectable=True)
    enrol(world.trainee_a, course)
    klass = class_for_world(world)
    link_class(klass, course)
    view = services.study_view_open(
        trainee=world.trainee_a, lesson=lessons_of(course)[0], course=course
    )
    return {
        "view": view,
        "course": course,
        "spare": spare,
        "elective": elective,
        "klass": klass,
    }


def admin_screen(**outcomes):
    """A Wagtail admin screen: trainees have no admin access and are sent to its login."""
    expect = {
        "anonymous": LOGIN,
        "trainee_a": LOGIN,
        "trainee_b": LOGIN,
        "instructor_other": DENIED,
        "adviser_other": DENIED,
        "organiser_other": DENIED,
        "organiser": OK,
    }
    expect.update(outcomes)
    return expect


def _class(world, ctx):
    return {"pk": ctx["klass"].pk}


def _class_course(world, ctx):
    return {"pk": ctx["klass"].pk, "course_pk": ctx["course"].pk}


def _course(world, ctx):
    return {"pk": ctx["course"].pk}


RULES = {
    "courses:my_learning": Rule(expect=everyone_signed_in()),
    "courses:search": Rule(expect=everyone_signed_in(), query="?q=先导区"),
    "courses:electives": Rule(expect=everyone_signed_in()),
    # Any trainee enrols in a catalogue course (then goes to it); staff are told they cannot
    # and sent back to the catalogue. A course outside the catalogue: test_electives.py.
    "courses:self_enrol": Rule(
        method="post",
        kwargs=lambda world, ctx: {"pk": ctx["elective"].pk},
        expect=everyone_signed_in(REDIRECT),
    ),
    # Only the trainee who opened the lesson may beat its clock; everyone else is refused.
    "courses:heartbeat": Rule(
        method="post",
        data=lambda world, ctx: {"token": str(ctx["view"].token), "seq": 1},
        expect={
            "anonymous": LOGIN,
            "trainee_a": OK,
            "trainee_b": DENIED,
            "instructor_other": DENIED,
            "adviser_other": DENIED,
            "organiser_other": DENIED,
            "organiser": DENIED,
        },
    ),
    # Every staff member gets the list of the classes they work on (others' are not in it).
    "courses_admin:class_list": Rule(
        expect=admin_screen(instructor_other=OK, adviser_other=OK, organiser_other=OK)
    ),
    "courses_admin:class_list_results": Rule(
        expect=admin_screen(instructor_other=OK, adviser_other=OK, organiser_other=OK),
        query="?q=班",
    ),
    # Another county's class is not even shown to exist.
    "courses_admin:class_courses": Rule(kwargs=_class, expect=admin_screen()),
    "courses_admin:class_course_add": Rule(
        kwargs=_class,
        method="post",
        data=lambda world, ctx: {"course": ctx["spare"].pk},
        expect=admin_screen(organiser=REDIRECT),
    ),
    # 必修/选修 and due date: the class's organisers (another county's class is a 404).
    "courses_admin:class_course_terms": Rule(
        kwargs=_class_course,
        method="post",
        data=lambda world, ctx: {"requirement": "elective", "due_date": ""},
        expect=admin_screen(organiser=REDIRECT),
    ),
    "courses_admin:class_course_remove": Rule(kwargs=_class_course, expect=admin_screen()),
    "courses_admin:class_course_progress": Rule(kwargs=_class_course, expect=admin_screen()),
    "courses_admin:class_course_export": Rule(kwargs=_class_course, expect=admin_screen()),
    # Pages waiting for the viewer's approval: every staff member may open the list, which
    # holds only what they may review (tests/lms/test_admin_home.py).
    "courses_approvals:list": Rule(
        expect=admin_screen(instructor_other=OK, adviser_other=OK, organiser_other=OK)
    ),
    "courses_approvals:list_results": Rule(
        expect=admin_screen(instructor_other=OK, adviser_other=OK, organiser_other=OK)
    ),
    # Course-wide screens are organisers' (rows scoped to their units); instructors and
    # advisers have no course-wide view of trainees.
    "courses_admin:course_list": Rule(expect=admin_screen(organiser_other=OK)),
    "courses_admin:course_list_results": Rule(
        expect=admin_screen(organiser_other=OK), query="?q=课"
    ),
    "courses_admin:course_progress": Rule(
        kwargs=_course, expect=admin_screen(organiser_other=OK), query="?q=学员"
    ),
    "courses_admin:course_export": Rule(kwargs=_course, expect=admin_screen(organiser_other=OK)),
    # The other county's organiser is refused by the service (trainee out of scope) and
    # sent back with the message; test_assignment_admin.py asserts nothing was written.
    "courses_admin:course_enrol": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["spare"].pk},
        method="post",
        data=lambda world, ctx: {"trainee": world.trainee_a.pk},
        expect=admin_screen(organiser=REDIRECT, organiser_other=REDIRECT),
    ),
    "courses_admin:course_unenrol": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["course"].pk, "user_pk": world.trainee_a.pk},
        method="post",
        data=lambda world, ctx: {"x": "1"},
        expect=admin_screen(organiser=REDIRECT),
    ),
}
