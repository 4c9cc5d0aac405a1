from tests.permissions.harness import Rule, everyone_signed_in

RULES = {
    "portal:profile": Rule(expect=everyone_signed_in()),
}
