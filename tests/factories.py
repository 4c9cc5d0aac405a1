"""factory_boy factories shared by every app's tests; apps add theirs in tests/<app>/."""

import itertools

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from people.models import OrgUnit, User
from people.roles import Role

TEST_PASSWORD = "Test-pass-2026"  # noqa: S105

_codes = itertools.count(100000)
_phones = itertools.count(1)


class OrgUnitFactory(DjangoModelFactory):
    """Creates a unit under `parent` (a root province when no parent is given)."""

    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"单位{n}")
    level = OrgUnit.Level.PROVINCE
    code = factory.LazyFunction(lambda: str(next(_codes)))

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.add_root(**kwargs)
        return parent.add_child(**kwargs)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.LazyAttribute(lambda o: o.phone or f"user{next(_phones)}")
    full_name = factory.Sequence(lambda n: f"学员{n}")
    phone = factory.LazyFunction(lambda: f"139{next(_phones):08d}")
    org_unit = None
    position = User.Position.VILLAGE_SECRETARY
    rank = User.Rank.NONE
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get(name=str(role)))
        if create:
            self.save()

    @factory.post_generation
    def managed_units(self, create, extracted, **kwargs):
        if extracted:
            self.managed_units.add(*extracted)


def trainee(**kwargs) -> User:
    return UserFactory(roles=[Role.TRAINEE], **kwargs)


def organiser(*, units, **kwargs) -> User:
    return UserFactory(roles=[Role.ORGANISER], managed_units=units, position="", **kwargs)
