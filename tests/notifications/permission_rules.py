"""Notification URLs: a person's own inbox and settings; nobody opens another's item."""

from notifications.services import notify
from tests.permissions.harness import LOGIN, REDIRECT, Rule, everyone_signed_in, only


def setup(world):
    notify(
        event="notice_posted",
        recipients=[world.trainee_a],
        key="notice:matrix",
        context={"class_name": "班", "title": "通知", "excerpt": ""},
        url="/classes/",
    )
    return {"item": world.trainee_a.notifications.get(key="notice:matrix")}


RULES = {
    "notifications:inbox": Rule(expect=everyone_signed_in()),
    "notifications:preferences": Rule(expect=everyone_signed_in()),
    "notifications:mark_all_read": Rule(
        method="post", expect={**everyone_signed_in(REDIRECT), "anonymous": LOGIN}
    ),
    "notifications:open": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["item"].pk},
        expect=only({"trainee_a": REDIRECT}),
    ),
}
