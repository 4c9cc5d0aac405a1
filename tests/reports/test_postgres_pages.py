"""Every report page and export renders on PostgreSQL too.

SQLite accepts SQL that PostgreSQL refuses (an aggregate filtering on an annotation's
alias once made the overview a 500 in production only), so the screens run on both.
"""

import pytest
from django.urls import reverse

from people.roles import Role
from tests.factories import UserFactory
from tests.training.factories import ClassSessionFactory, class_for_world

from .factories import city_class, enrol, hours

PAGES = [
    ("reports_admin:overview", {}, ""),
    ("reports_admin:overview", {}, "?export=xlsx"),
    ("reports_admin:coverage", {}, ""),
    ("reports_admin:coverage", {}, "?export=csv"),
    ("reports_admin:missing", {}, "?list=all"),
    ("reports_admin:classes", {}, ""),
    ("reports_admin:class", "klass", ""),
    ("reports_admin:class", "klass", "?export=xlsx"),
]


@pytest.mark.postgres
@pytest.mark.parametrize("viewer", ["city_organiser", "province_organiser"])
@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_report_pages_render_on_postgresql(
    client, world, postgres_only, name, kwargs, query, viewer
):
    """The province organiser's scope is the whole tree: its queries leave the unit table
    out (`reports.scope.holds_every_unit`), SQL of another shape."""
    city = city_class(world)
    enrol(city, world.trainee_a)
    hours(world.trainee_a, "12", year=2025)
    klass = class_for_world(world)
    ClassSessionFactory(training_class=klass)
    if kwargs == "klass":
        kwargs = {"pk": klass.pk}
    if viewer == "province_organiser":
        user = UserFactory(
            roles=[Role.ORGANISER], managed_units=[world.province], position="", org_unit=None
        )
    else:
        user = world.city_organiser
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs or None) + query)
    assert response.status_code == 200
