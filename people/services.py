"""Writes about people. Each checks scope, validates fully, and leaves an audit entry."""

import secrets
import string

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.audit import log
from lms.errors import DomainError, PermissionDenied

from .models import OrgUnit, User
from .phones import normalize_phone
from .roles import ROLE_PERMISSIONS, Role
from .selectors import unit_is_managed_by


class PhoneTaken(DomainError):
    code = "phone_taken"
    message = _("Another account already uses this mobile number.")


class UnitOutOfScope(PermissionDenied):
    code = "unit_out_of_scope"
    message = _("This org unit is outside the units you manage.")


def _announce(hook: str, **kwargs) -> None:
    """Apps above people (notifications: "your account is ready") act on a new account or
    a reset password through a Wagtail hook, so people imports none of them."""
    for fn in hooks.get_hooks(hook):
        fn(**kwargs)


def initial_password() -> str:
    """Readable on a printed roster slip: no 0/O or 1/l, 10 characters."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    return "".join(secrets.choice(alphabet) for _ in range(10))


def _check_scope(actor: User, unit: OrgUnit | None) -> None:
    if actor.is_superuser:
        return
    if unit is None or not unit_is_managed_by(unit, actor):
        raise UnitOutOfScope(str(unit))


@transaction.atomic
def person_create(
    *,
    actor: User,
    full_name: str,
    phone: str,
    org_unit: OrgUnit | None,
    gender: str = "",
    position: str = "",
    job_title: str = "",
    rank: str = "",
    email: str = "",
    roles: tuple[Role, ...] = (Role.TRAINEE,),
    password: str | None = None,
) -> tuple[User, str]:
    """Create an account an organiser hands out; it must change its password at first login.

    Returns the person and the initial password to pass on.
    """
    _check_scope(actor, org_unit)
    phone = normalize_phone(phone)
    if User.objects.filter(phone=phone).exists():
        raise PhoneTaken(phone)
    password = password or initial_password()
    person = User(
        username=phone,
        full_name=full_name.strip(),
        phone=phone,
        org_unit=org_unit,
        gender=gender,
        position=position,
        job_title=job_title.strip(),
        rank=rank,
        email=email.strip(),
        must_change_password=True,
    )
    person.set_password(password)
    person.full_clean()
    person.save()
    person.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
    log(person, "people.person_create", user=actor, data={"roles": [str(r) for r in roles]})
    _announce("person_created", person=person, actor=actor)
    return person, password


@transaction.atomic
def person_reset_password(*, actor: User, person: User) -> str:
    """A new initial password, to be changed at next login (a trainee who forgot theirs)."""
    _check_scope(actor, person.org_unit)
    password = initial_password()
    person.set_password(password)
    person.must_change_password = True
    person.save(update_fields=["password", "must_change_password"])
    log(person, "people.password_reset", user=actor)
    _announce("person_password_reset", person=person, actor=actor)
    return password


def roles_sync() -> None:
    """Create the role groups and give them exactly their permissions (safe to repeat).

    Runs after every migrate, so a fresh database or a new permission is always in step.
    """

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=str(role))
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if found is not None:
                wanted.append(found)
        group.permissions.add(*wanted)


PERSON_EDITABLE = (
    "full_name",
    "phone",
    "org_unit",
    "gender",
    "position",
    "job_title",
    "rank",
    "email",
)


@transaction.atomic
def person_update(*, actor: User, person: User, **fields) -> User:
    """An organiser corrects a profile. Both the old and the new unit must be in scope, so
    nobody moves a person out of another organiser's units or into their own by stealth."""
    unknown = set(fields) - set(PERSON_EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    person = User.objects.select_for_update().get(pk=person.pk)
    _check_scope(actor, person.org_unit)
    if "org_unit" in fields:
        _check_scope(actor, fields["org_unit"])
    if "phone" in fields:
        fields["phone"] = normalize_phone(fields["phone"])
        if User.objects.filter(phone=fields["phone"]).exclude(pk=person.pk).exists():
            raise PhoneTaken(fields["phone"])
    for key in ("full_name", "job_title", "email"):
        if key in fields:
            fields[key] = (fields[key] or "").strip()
    changed = [k for k, v in fields.items() if getattr(person, k) != v]
    for key in changed:
        setattr(person, key, fields[key])
    # The login name follows the phone for accounts created from a phone number.
    if "phone" in changed and person.username.isdigit():
        person.username = person.phone
        changed.append("username")
    person.full_clean()
    person.save()
    if changed:
        log(person, "people.person_update", user=actor, data={"fields": sorted(changed)})
    return person
