"""Keeps `User.group_names` in step with the groups, in the transaction that changes them.

Every ORM way of changing who is in a group sends a signal handled here: user.groups.add,
remove, set, clear; group.user_set.add, remove, set, clear; renaming or deleting a group.
The names are recomputed from the membership rows after locking the people's rows, so
two transactions changing one person's groups at once cannot leave a stale list (the
second waits for the first, then reads what it committed).
"""

from collections import defaultdict

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from .models import User

Membership = User.groups.through


def group_names_refresh(user_ids) -> dict[int, list[str]]:
    """Recompute `group_names` of these people from their groups; returns the new lists."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    with transaction.atomic():
        # Lock in a fixed order (no deadlock between two refreshes), then read the
        # membership in a new statement, which sees whatever the lock waited for.
        list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        names = defaultdict(list)
        for user_id, name in Membership.objects.filter(user_id__in=ids).values_list(
            "user_id", "group__name"
        ):
            names[user_id].append(name)
        lists = {user_id: sorted(names[user_id]) for user_id in ids}
        by_list = defaultdict(list)
        for user_id, names_ in lists.items():
            by_list[tuple(names_)].append(user_id)
        for names_, user_ids_ in by_list.items():
            User.objects.filter(pk__in=user_ids_).update(group_names=list(names_))
    return lists


def _membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        # group.user_set.clear(): who was in it, before the rows go.
        instance._clearing_user_ids = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:  # user.groups.…: this person, whose instance is in hand
        lists = group_names_refresh([instance.pk])
        instance.group_names = lists[instance.pk]
        instance.__dict__.pop("_role_names", None)
        return
    if action == "post_clear":
        user_ids = getattr(instance, "_clearing_user_ids", [])
    else:
        user_ids = pk_set or []
    group_names_refresh(user_ids)


def _group_saved(sender, instance, created, **kwargs):
    if not created:  # a rename shows in its members' lists
        group_names_refresh(instance.user_set.values_list("pk", flat=True))


def _group_deleting(sender, instance, **kwargs):
    instance._deleting_user_ids = list(instance.user_set.values_list("pk", flat=True))


def _group_deleted(sender, instance, **kwargs):
    group_names_refresh(getattr(instance, "_deleting_user_ids", []))


def connect() -> None:
    m2m_changed.connect(_membership_changed, sender=Membership, dispatch_uid="people.group_names")
    post_save.connect(_group_saved, sender=Group, dispatch_uid="people.group_names_rename")
    pre_delete.connect(_group_deleting, sender=Group, dispatch_uid="people.group_names_del0")
    post_delete.connect(_group_deleted, sender=Group, dispatch_uid="people.group_names_del1")
