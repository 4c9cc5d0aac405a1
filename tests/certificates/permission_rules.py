from tests.permissions.harness import Rule, everyone_signed_in

RULES = {
    "certificates:my_certificates": Rule(expect=everyone_signed_in()),
}
