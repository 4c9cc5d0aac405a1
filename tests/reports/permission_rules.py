"""Reports are for organisers (within their units) and administrators.

Trainees are turned away by the Wagtail admin itself (to its login page); instructors and
advisers enter the admin but get 403 here; the other county's organiser is refused the
罗山县 unit, class and person (404, the same answer as for something that does not exist).
"""

from tests.permissions.harness import ADMIN_DENIED, LOGIN, NOT_FOUND, OK, Rule
from tests.training.factories import class_for_world

OPEN = {
    "anonymous": LOGIN,
    "trainee_a": LOGIN,
    "trainee_b": LOGIN,
    "instructor_other": ADMIN_DENIED,
    "adviser_other": ADMIN_DENIED,
    "organiser_other": OK,
    "organiser": OK,
}
A_ONLY = {**OPEN, "organiser_other": NOT_FOUND}


def setup(world):
    return {"klass": class_for_world(world)}


RULES = {
    "reports_admin:overview": Rule(expect=OPEN),
    "reports_admin:coverage": Rule(expect=OPEN),
    "reports_admin:missing": Rule(expect=OPEN),
    "reports_admin:classes": Rule(expect=OPEN),
    "reports_admin:class": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["klass"].pk},
        expect=A_ONLY,
    ),
    "reports_admin:person": Rule(
        kwargs=lambda world, ctx: {"pk": world.trainee_a.pk},
        expect=A_ONLY,
    ),
}
