"""The header's figures on the person's row under concurrent writers (PostgreSQL): eight
notices at once leave the right unread count, eight group changes at once the right
role names. Each writer locks the row, then recounts in a statement that sees what the
writers before it committed.

    DJANGO_DATABASE_URL=postgres://… pytest -m postgres tests/notifications -p no:xdist
"""

import pytest
from django.contrib.auth.models import Group

from notifications.services import notify
from people.models import User
from people.roles import Role
from tests.attendance.test_concurrency import together
from tests.factories import trainee as make_trainee

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_notices_leave_the_exact_unread_count(postgres_only, world):
    person = make_trainee()

    def tell(i):
        return notify(
            event="notice_posted",
            recipients=[person],
            key=f"notice:race:{i}",
            context={"class_name": "班", "title": f"通知{i}", "excerpt": "正文"},
        )

    assert together(8, tell) == [1] * 8
    assert User.objects.get(pk=person.pk).unread_notifications == 8


def test_concurrent_group_changes_leave_the_exact_role_names(postgres_only, world):
    person = make_trainee()
    extra = [Group.objects.create(name=f"并发组{i}") for i in range(8)]

    def join(i):
        extra[i].user_set.add(person)

    assert together(8, join) == [None] * 8
    names = set(User.objects.get(pk=person.pk).group_names)
    assert names == {str(Role.TRAINEE), *(g.name for g in extra)}
