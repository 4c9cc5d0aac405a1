"""The permission matrix: every project URL × every kind of visitor → the expected answer.

Each app declares its URLs in `tests/<app>/permission_rules.py`:

    from tests.permissions.harness import DENIED, LOGIN, OK, Rule, everyone_signed_in

    def setup(world):                    # optional: objects the URLs need, made once per test
        return {"klass": make_class(world)}

    RULES = {
        "training:my_classes": Rule(expect=everyone_signed_in(OK)),
        "training:class_detail": Rule(
            kwargs=lambda world, ctx: {"pk": ctx["klass"].pk},
            expect={"anonymous": LOGIN, "trainee_a": OK, "trainee_b": DENIED, ...},
        ),
    }

Actors come from the `world` fixture (tests/conftest.py): `a` things belong to 罗山县 and
trainee_a, adviser, instructor, organiser; the `_other`/`_b` actors must not reach them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ACTORS = [
    "anonymous",
    "trainee_a",
    "trainee_b",
    "instructor_other",
    "adviser_other",
    "organiser_other",
    "organiser",
]

OK = "ok"  # 200 (or another 2xx)
LOGIN = "login"  # redirected to a login page
DENIED = "denied"  # 403 or 404: refused, or not even shown to exist
FORBIDDEN = "forbidden"  # exactly 403
NOT_FOUND = "not_found"  # exactly 404
REDIRECT = "redirect"  # 302/303 somewhere other than a login page
NOT_ALLOWED = "not_allowed"  # 405: wrong method
ADMIN_DENIED = "admin_denied"  # Wagtail admin refusal: 403, or 302 back to the dashboard


@dataclass
class Rule:
    expect: dict[str, str]
    kwargs: Callable = field(default=lambda world, ctx: {})
    method: str = "get"
    data: Callable | None = None  # (world, ctx) -> POST data
    query: str = ""

    def __post_init__(self):
        missing = set(ACTORS) - set(self.expect)
        if missing:
            raise ValueError(f"rule has no expectation for {sorted(missing)}")


def everyone_signed_in(outcome: str = OK) -> dict[str, str]:
    return {"anonymous": LOGIN, **{a: outcome for a in ACTORS if a != "anonymous"}}


def only(outcome_for: dict[str, str], otherwise: str = DENIED) -> dict[str, str]:
    """`only({"organiser": OK})`: the named actors get their outcome, the others `otherwise`;
    anonymous visitors are sent to log in unless named."""
    expect = dict.fromkeys(ACTORS, otherwise)
    expect["anonymous"] = LOGIN
    expect.update(outcome_for)
    return expect


def check(response, outcome: str) -> bool:
    status = response.status_code
    location = response.get("Location", "") if status in (301, 302, 303) else ""
    to_login = "/login/" in location
    return {
        OK: 200 <= status < 300,
        LOGIN: to_login,
        DENIED: status in (403, 404),
        FORBIDDEN: status == 403,
        NOT_FOUND: status == 404,
        REDIRECT: bool(location) and not to_login,
        NOT_ALLOWED: status == 405,
        ADMIN_DENIED: status == 403 or (bool(location) and location.rstrip("/").endswith("/admin")),
    }[outcome]
