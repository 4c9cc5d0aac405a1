from tests.permissions.harness import ACTORS, DENIED, LOGIN, OK, REDIRECT, Rule

# The unit chooser (people/choosers.py) is part of the admin: trainees are sent to log in;
# every member of staff may open it, and it lists their own units (none for instructors
# and advisers). A unit outside them is not found.
ADMIN_STAFF = {
    "anonymous": LOGIN,
    "trainee_a": LOGIN,
    "trainee_b": LOGIN,
    "instructor_other": OK,
    "adviser_other": OK,
    "organiser_other": OK,
    "organiser": OK,
}

RULES = {
    # Wagtail's login paths, taken over so that every password goes through allauth's
    # throttled form: signed-out visitors are sent there; the signed-in are sent on (staff
    # to the admin, trainees home, never round in a loop).
    "admin_login": Rule(
        expect={
            "anonymous": LOGIN,
            "trainee_a": REDIRECT,
            "trainee_b": REDIRECT,
            "instructor_other": REDIRECT,
            "adviser_other": REDIRECT,
            "organiser_other": REDIRECT,
            "organiser": REDIRECT,
        }
    ),
    "frontend_login": Rule(expect=dict.fromkeys(ACTORS, LOGIN)),
    "org_unit_chooser:choose": Rule(expect=ADMIN_STAFF),
    "org_unit_chooser:choose_results": Rule(expect=ADMIN_STAFF, query="?q=周党"),
    "org_unit_chooser:chosen": Rule(
        kwargs=lambda world, ctx: {"pk": world.village_a.pk},
        expect={
            **ADMIN_STAFF,
            "instructor_other": DENIED,
            "adviser_other": DENIED,
            "organiser_other": DENIED,
        },
    ),
    # Ids outside the viewer's units are left out of the answer (tests/people/test_unit_chooser.py).
    "org_unit_chooser:chosen_multiple": Rule(expect=ADMIN_STAFF, query="?id=1&multiple=1"),
}
