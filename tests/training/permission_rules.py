"""Every URL of training (front end and Wagtail admin) and of the organisers' people admin.

class_a belongs to 罗山县 (organiser), advised by `adviser`, taught by `instructor`, with
trainee_a on its roster; the `_other`/`_b` actors must not reach it.
"""

from tests.permissions.harness import (
    ADMIN_DENIED,
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    Rule,
    everyone_signed_in,
)

from .factories import ClassSessionFactory, NoticeFactory, StudyGroupFactory, class_for_world


def setup(world):
    from training.models import CalendarFeed, ImportBatch

    klass = class_for_world(world)
    session = ClassSessionFactory(training_class=klass, instructor=world.instructor)
    group = StudyGroupFactory(training_class=klass, name="第一组")
    notice = NoticeFactory(training_class=klass, author=world.adviser)
    raw = [[2, {"姓名": "新人", "手机号": "13800009999", "单位": "罗山县周党镇东湾村"}]]
    roster_batch = ImportBatch.objects.create(
        kind="roster", training_class=klass, created_by=world.organiser, rows=raw
    )
    paste_batch = ImportBatch.objects.create(
        kind="phones",
        training_class=klass,
        created_by=world.organiser,
        rows=[["13800009999", "13800009999"]],
    )
    tt_batch = ImportBatch.objects.create(
        kind="timetable", training_class=klass, created_by=world.organiser, rows=[]
    )
    feed = CalendarFeed.objects.create(user=world.trainee_a)
    return {
        "klass": klass,
        "session": session,
        "group": group,
        "notice": notice,
        "enrolment": klass.enrolments.get(),
        "roster_batch": roster_batch,
        "paste_batch": paste_batch,
        "tt_batch": tt_batch,
        "feed": feed,
    }


def staff_only(organiser=OK, organiser_other=DENIED, adviser_other=DENIED, instructor_other=DENIED):
    """An admin screen of class_a: trainees are kept out of the admin altogether."""
    return {
        "anonymous": LOGIN,
        # Wagtail sends people without admin access to its login page.
        "trainee_a": LOGIN,
        "trainee_b": LOGIN,
        "instructor_other": instructor_other,
        "adviser_other": adviser_other,
        "organiser_other": organiser_other,
        "organiser": organiser,
    }


CLASS_PAGE = {
    "anonymous": LOGIN,
    "trainee_a": OK,
    "trainee_b": DENIED,
    "instructor_other": DENIED,
    "adviser_other": DENIED,
    "organiser_other": DENIED,
    "organiser": OK,
}


def k(**names):
    """kwargs from setup: k(pk="klass") → {"pk": ctx["klass"].pk}."""
    return lambda world, ctx: {key: ctx[value].pk for key, value in names.items()}


RULES = {
    # Front end
    "training:my_classes": Rule(expect=everyone_signed_in()),
    "training:class_detail": Rule(kwargs=k(pk="klass"), expect=CLASS_PAGE),
    "training:class_calendar": Rule(kwargs=k(pk="klass"), expect=CLASS_PAGE),
    "training:my_calendar": Rule(expect=everyone_signed_in()),
    # The token is the credential: calendar apps send no cookie.
    "training:calendar_feed": Rule(
        kwargs=lambda world, ctx: {"token": ctx["feed"].token},
        expect={"anonymous": OK, **{a: OK for a in CLASS_PAGE if a != "anonymous"}},
    ),
    "training:notice_detail": Rule(kwargs=k(pk="notice"), expect=CLASS_PAGE),
    "training:session_evaluate": Rule(
        kwargs=k(pk="session"), expect={**CLASS_PAGE, "organiser": DENIED}
    ),
    # Wagtail admin: classes. List, add and edit are a ScopedModelViewSet
    # (training/admin_classes.py): another county's class is 404 on every URL with its pk;
    # nobody deletes a class (it is closed).
    "training_class:index": Rule(
        expect=staff_only(organiser_other=OK, adviser_other=OK, instructor_other=OK)
    ),
    "training_class:index_results": Rule(
        expect=staff_only(organiser_other=OK, adviser_other=OK, instructor_other=OK),
        query="?q=班&status=planning",
    ),
    "training_class:add": Rule(
        expect=staff_only(
            organiser_other=OK, adviser_other=ADMIN_DENIED, instructor_other=ADMIN_DENIED
        )
    ),
    "training_class:edit": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_class:delete": Rule(kwargs=k(pk="klass"), expect=staff_only(organiser=ADMIN_DENIED)),
    "training_class:history": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_class:history_results": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_class:usage": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:class_overview": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:class_status": Rule(
        kwargs=k(pk="klass"),
        method="post",
        data=lambda world, ctx: {"status": "enrolling"},
        expect=staff_only(organiser=REDIRECT),
    ),
    # Roster
    "training_admin:roster": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:enrol_add": Rule(
        kwargs=k(pk="klass"),
        method="post",
        data=lambda world, ctx: {"phone": world.trainee_a.phone},
        expect=staff_only(organiser=REDIRECT),
    ),
    "training_admin:enrolment_update": Rule(
        kwargs=k(pk="klass", enrolment_pk="enrolment"),
        method="post",
        data=lambda world, ctx: {"group": ctx["group"].pk, "committee_role": "monitor"},
        expect=staff_only(organiser=REDIRECT),
    ),
    "training_admin:roster_import": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:roster_preview": Rule(
        kwargs=k(pk="klass", batch_pk="roster_batch"), expect=staff_only()
    ),
    # Pasted mobile numbers: the organiser is sent on to the preview of its batch.
    "training_admin:roster_paste": Rule(
        kwargs=k(pk="klass"),
        method="post",
        data=lambda world, ctx: {"text": world.trainee_a.phone},
        expect=staff_only(organiser=REDIRECT),
    ),
    "training_admin:roster_paste_preview": Rule(
        kwargs=k(pk="klass", batch_pk="paste_batch"), expect=staff_only()
    ),
    "training_admin:roster_template": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:roster_export": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    # Groups
    "training_admin:groups": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:group_edit": Rule(kwargs=k(pk="klass", group_pk="group"), expect=staff_only()),
    # Timetable
    "training_admin:timetable": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:session_create": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:session_edit": Rule(
        kwargs=k(pk="klass", session_pk="session"), expect=staff_only()
    ),
    "training_admin:session_delete": Rule(
        kwargs=k(pk="klass", session_pk="session"),
        method="post",
        data=lambda world, ctx: {"confirm": "1"},
        expect=staff_only(organiser=REDIRECT),
    ),
    "training_admin:timetable_import": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:timetable_preview": Rule(
        kwargs=k(pk="klass", batch_pk="tt_batch"), expect=staff_only()
    ),
    "training_admin:timetable_template": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:timetable_export": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    # Notices and evaluations
    "training_admin:notices": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:notice_receipts": Rule(
        kwargs=k(pk="klass", notice_pk="notice"), expect=staff_only()
    ),
    "training_admin:class_evaluations": Rule(kwargs=k(pk="klass"), expect=staff_only()),
    "training_admin:my_evaluations": Rule(
        expect=staff_only(organiser_other=OK, adviser_other=OK, instructor_other=OK)
    ),
    "training_admin:session_evaluations": Rule(
        kwargs=lambda world, ctx: {"session_pk": ctx["session"].pk}, expect=staff_only()
    ),
}
