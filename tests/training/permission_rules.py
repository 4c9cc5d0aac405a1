from tests.permissions.harness import Rule, everyone_signed_in

RULES = {
    "training:my_classes": Rule(expect=everyone_signed_in()),
}
