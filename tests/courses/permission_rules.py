from tests.permissions.harness import Rule, everyone_signed_in

RULES = {
    "courses:my_learning": Rule(expect=everyone_signed_in()),
}
