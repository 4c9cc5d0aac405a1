"""Every ledger URL: a trainee's own record, and organisers' views of people in their units."""

from tests.permissions.harness import ADMIN_DENIED, DENIED, LOGIN, OK, Rule, everyone_signed_in


def k(**names):
    return lambda world, ctx: {key: getattr(world, value).pk for key, value in names.items()}


PERSON_A = {
    "anonymous": LOGIN,
    "trainee_a": LOGIN,  # no admin access: Wagtail sends them to its login
    "trainee_b": LOGIN,
    "instructor_other": ADMIN_DENIED,
    "adviser_other": ADMIN_DENIED,
    "organiser_other": DENIED,  # trainee_a lives in 罗山县, outside 息县
    "organiser": OK,
}

RULES = {
    "ledger:my_ledger": Rule(expect=everyone_signed_in()),
    "ledger:my_record_pdf": Rule(expect=everyone_signed_in()),
    "ledger_admin:index": Rule(expect={**PERSON_A, "organiser_other": OK}),
    "ledger_admin:person": Rule(kwargs=k(pk="trainee_a"), expect=PERSON_A),
    "ledger_admin:entry_add": Rule(kwargs=k(pk="trainee_a"), expect=PERSON_A),
    "ledger_admin:record_pdf": Rule(kwargs=k(pk="trainee_a"), expect=PERSON_A),
}
