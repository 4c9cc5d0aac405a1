"""The demo world (`seed_demo`) once per module, for crawling every screen as each role.

    transaction (this module)   the demo data; rolled back when the module ends
      savepoint (one test)      pytest-django's `db`: what one crawl wrote (a check-in, …)

Seeding takes ~20 s, so every crawl of a module shares one seeding; the crawls only read,
and what they write (an attempt started, a session's check-in) is rolled back after each.
"""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import transaction

# Demo accounts (people/demo.py) by role: the crawl signs in as each.
STAFF_ROLES = {
    "superuser": "admin",
    "city_organiser": "xy_organiser",
    "county_organiser": "ls_organiser",
    "instructor": "teacher_li",
    "adviser": "adviser_zhao",
}
# 13976000003 sat the final exam and handed in the essay in the first class; 13976000041
# finished the closed class and holds a certificate.
TRAINEE_ROLES = {"trainee": "13976000003", "graduate": "13976000041"}
ROLES = {**STAFF_ROLES, **TRAINEE_ROLES}
# Not signed in: the login pages (the site's and the admin's), password reset, and the
# certificate check anyone may make from a QR code.
ANONYMOUS = "anonymous"


@dataclass
class Demo:
    content: object  # harness.Content

    @staticmethod
    def user(role: str):
        from people.models import User

        return User.objects.get(username=ROLES[role])


class _ModuleTransaction:
    def __init__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.atomic._from_testcase = True  # as Django's TestCase: durable blocks may nest

    def close(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from tests.conftest import _ledger_defaults_ensure
    from tests.crawl.harness import Content

    with django_db_blocker.unblock():
        outer = _ModuleTransaction()
        try:
            from people.services import roles_sync

            roles_sync()  # a transactional test before this module may have flushed them
            _ledger_defaults_ensure()
            call_command("seed_demo", stdout=io.StringIO())
            yield Demo(content=Content.from_db())
        finally:
            outer.close()
