from tests.permissions.harness import ACTORS, OK, Rule, everyone_signed_in

RULES = {
    "portal:profile": Rule(expect=everyone_signed_in()),
    # The service worker script: the browser fetches it itself; it holds no data.
    "portal:service_worker": Rule(expect=dict.fromkeys(ACTORS, OK)),
}
