from tests.permissions.harness import ACTORS, ADMIN_DENIED, DENIED, LOGIN, OK, REDIRECT, Rule

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


# People management (people/admin_views.py, a ScopedModelViewSet): organisers, in their
# units. Instructors and advisers (no people.manage_people) get Wagtail's refusal on the
# screens without an object and 404 on a person, as a county organiser does on another
# county's person (trainee_a is of 罗山县: `organiser`'s, not `organiser_other`'s).
PEOPLE_LIST = {
    "anonymous": LOGIN,
    "trainee_a": LOGIN,
    "trainee_b": LOGIN,
    "instructor_other": ADMIN_DENIED,
    "adviser_other": ADMIN_DENIED,
    "organiser_other": OK,
    "organiser": OK,
}
A_PERSON = {**PEOPLE_LIST, "instructor_other": DENIED, "adviser_other": DENIED}
A_PERSON_OK = {**A_PERSON, "organiser_other": DENIED}


def trainee_a(world, ctx):
    return {"pk": world.trainee_a.pk}


RULES |= {
    "people_admin:index": Rule(expect=PEOPLE_LIST),
    "people_admin:index_results": Rule(expect=PEOPLE_LIST, query="?q=学员&position=other"),
    "people_admin:add": Rule(expect=PEOPLE_LIST),
    "people_admin:edit": Rule(kwargs=trainee_a, expect=A_PERSON_OK),
    "people_admin:history": Rule(kwargs=trainee_a, expect=A_PERSON_OK),
    "people_admin:history_results": Rule(kwargs=trainee_a, expect=A_PERSON_OK),
    "people_admin:usage": Rule(kwargs=trainee_a, expect=A_PERSON_OK),
    # Nobody deletes a person here: their records stay.
    "people_admin:delete": Rule(
        kwargs=trainee_a, expect={**A_PERSON_OK, "organiser": ADMIN_DENIED}
    ),
    "people_admin:reset_password": Rule(
        kwargs=trainee_a,
        method="post",
        data=lambda world, ctx: {"confirm": "1"},
        expect=A_PERSON_OK,
    ),
}
