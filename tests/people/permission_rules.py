from tests.permissions.harness import ACTORS, LOGIN, REDIRECT, Rule

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
}
