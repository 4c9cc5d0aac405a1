"""lms.audit.log writes the entry Wagtail's log would, in one INSERT."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.log_actions import log as wagtail_log
from wagtail.models import ModelLogEntry, Page

from lms.audit import log
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIELDS = ("content_type_id", "object_id", "label", "action", "data", "user_id")


def _fields(entry):
    return tuple(getattr(entry, name) for name in FIELDS)


def test_entry_is_the_one_wagtail_would_write():
    actor, subject = UserFactory(), UserFactory()
    ours = log(subject, "people.person_update", user=actor, data={"changed": ["phone"]})
    theirs = wagtail_log(subject, "people.person_update", user=actor, data={"changed": ["phone"]})
    ours = ModelLogEntry.objects.get(pk=ours.pk)
    assert _fields(ours) == _fields(theirs)
    assert ours.timestamp is not None and ours.uuid is None


def test_one_query_and_no_lookups_of_the_keys():
    actor, subject = UserFactory(), UserFactory()
    log(subject, "people.person_update", user=actor)  # content type now cached, as in a server
    with CaptureQueriesContext(connection) as queries:
        log(subject, "people.person_update", user=actor, data={})
    inserts = [q["sql"] for q in queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and "wagtailcore_modellogentry" in inserts[0]
    assert len(queries) == 1


def test_unregistered_action_is_refused_and_nothing_written():
    subject = UserFactory()
    with pytest.raises(Exception, match="action"):
        log(subject, "lms.no-such-action", user=subject)
    assert not ModelLogEntry.objects.filter(object_id=str(subject.pk)).exists()


def test_unsaved_instance_is_refused():
    with pytest.raises(ValueError):
        log(UserFactory.build(), "people.person_update")


def test_pages_go_through_wagtails_own_log():
    root = Page.objects.get(depth=1)
    entry = log(root, "wagtail.edit", user=UserFactory())
    assert entry.page_id == root.pk
