"""Every URL of the courses app. The Wagtail pages (/courses/…, /cases/…) are served by
Wagtail's catch-all and tested in test_pages.py: staff read all, trainees what is theirs."""

from tests.permissions.harness import DENIED, LOGIN, OK, Rule, everyone_signed_in


def setup(world):
    from courses import services
    from tests.courses.factories import enrol, lessons_of, make_course, site_indexes

    courses, _cases = site_indexes()
    course = make_course(courses, lessons=1)
    enrol(world.trainee_a, course)
    view = services.study_view_open(
        trainee=world.trainee_a, lesson=lessons_of(course)[0], course=course
    )
    return {"view": view}


RULES = {
    "courses:my_learning": Rule(expect=everyone_signed_in()),
    "courses:search": Rule(expect=everyone_signed_in(), query="?q=先导区"),
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
}
