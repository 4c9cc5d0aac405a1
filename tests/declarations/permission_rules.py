"""学时申报 on the trainee's side: one's own page and one's own evidence, nobody else's.
The organisers' screens are snippet views: tests/permissions/test_object_scope.py."""

from tests.declarations.factories import declare
from tests.permissions.harness import DENIED, LOGIN, OK, REDIRECT, Rule, everyone_signed_in, only


def setup(world):
    return {"declaration": declare(world.trainee_a)}


RULES = {
    "declarations:mine": Rule(expect=everyone_signed_in()),
    "declarations:my_evidence": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["declaration"].pk},
        expect=only({"trainee_a": OK}),
    ),
}


def organisers_of_trainee_a(organiser_outcome):
    """A Wagtail admin screen of trainee_a's declaration: trainees have no admin access and
    are sent to its login; staff outside 罗山县 are told it does not exist."""
    return {
        "anonymous": LOGIN,
        "trainee_a": LOGIN,
        "trainee_b": LOGIN,
        "instructor_other": DENIED,
        "adviser_other": DENIED,
        "organiser_other": DENIED,
        "organiser": organiser_outcome,
    }


_pk = lambda world, ctx: {"pk": ctx["declaration"].pk}  # noqa: E731

RULES.update(
    {
        # The review screen (the snippet's inspect view, with the decision forms).
        "wagtailsnippets_declarations_declaration:inspect": Rule(
            kwargs=_pk, expect=organisers_of_trainee_a(OK)
        ),
        "wagtailsnippets_declarations_declaration:decide": Rule(
            kwargs=_pk,
            method="post",
            data=lambda world, ctx: {"decision": "approve"},
            expect=organisers_of_trainee_a(REDIRECT),
        ),
        "wagtailsnippets_declarations_declaration:evidence": Rule(
            kwargs=_pk, expect=organisers_of_trainee_a(OK)
        ),
    }
)
