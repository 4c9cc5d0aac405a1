"""The unit chooser (people/choosers.py): the viewer's part of the tree, in tree order,
searchable; what it does not list cannot be submitted either."""

import json

import pytest
from django.urls import reverse

from certificates.models import CertificateTemplate
from people.choosers import OrgUnitChooser, unit_trail
from people.models import OrgUnit, User
from training.models import TrainingClass

CHOOSE = "org_unit_chooser:choose"
RESULTS = "org_unit_chooser:choose_results"
CHOSEN = "org_unit_chooser:chosen"


def _listed(client, name=RESULTS, query="", **params) -> list[str]:
    url = reverse(name) + ("?" + query if query else "")
    response = client.get(url, params)
    assert response.status_code == 200
    return [u.name for u in response.context["results"].object_list]


def _rows(client, **params):
    response = client.get(reverse(RESULTS), params)
    return [(u.name, u.indent, u.ancestors) for u in response.context["results"].object_list]


def test_county_organiser_is_offered_its_own_subtree_only(client, world):
    client.force_login(world.organiser)
    assert _listed(client) == ["罗山县", "周党镇", "东湾村"]
    # The modal itself (a ModalWorkflow JSON answer) lists the same units.
    response = client.get(reverse(CHOOSE))
    assert json.loads(response.content)["step"] == "choose"
    assert [u.name for u in response.context["results"].object_list] == [
        "罗山县",
        "周党镇",
        "东湾村",
    ]


def test_city_organiser_sees_the_tree_in_order_indented_under_each_parent(client, world):
    client.force_login(world.city_organiser)
    assert _rows(client) == [
        ("信阳市", 0, ""),
        ("罗山县", 1, ""),
        ("周党镇", 2, ""),
        ("东湾村", 3, ""),
        ("息县", 1, ""),
        ("项店镇", 2, ""),
        ("河口村", 3, ""),
    ]


def test_an_administrator_sees_every_unit_and_staff_without_units_none(client, world):
    client.force_login(world.admin)
    assert len(_listed(client)) == OrgUnit.objects.count()
    client.force_login(world.instructor)
    assert _listed(client) == []


def test_search_by_name_brings_the_match_with_its_subtree_and_says_where_it_sits(client, world):
    client.force_login(world.city_organiser)
    assert _rows(client, q="周党") == [
        ("周党镇", 0, "信阳市 › 罗山县"),
        ("东湾村", 1, ""),
    ]
    # Full-width text and spaces typed by an input method are read as plain text.
    assert _listed(client, q="周 党") == ["周党镇", "东湾村"]


def test_search_by_code_and_filter_by_level(client, world):
    client.force_login(world.city_organiser)
    assert _listed(client, q="411528") == ["息县", "项店镇", "河口村"]
    assert _rows(client, level="township") == [
        ("周党镇", 0, "信阳市 › 罗山县"),
        ("项店镇", 0, "信阳市 › 息县"),
    ]


def test_search_never_reaches_outside_the_viewers_units(client, world):
    client.force_login(world.organiser)
    assert _listed(client, q="项店") == []
    assert _listed(client, q="411528") == []


def test_a_form_may_leave_villages_out(client, world):
    client.force_login(world.organiser)
    assert _listed(client, query="exclude=village") == ["罗山县", "周党镇"]
    chosen = reverse(CHOSEN, args=[world.village_a.pk])
    assert client.get(chosen + "?exclude=village").status_code == 404


def test_chosen_answers_with_the_unit_under_its_ancestors(client, world):
    client.force_login(world.organiser)
    response = client.get(reverse(CHOSEN, args=[world.village_a.pk]))
    result = json.loads(response.content)["result"]
    assert result["id"] == str(world.village_a.pk)
    assert result["title"] == "信阳市 › 罗山县 › 周党镇 › 东湾村"


@pytest.mark.parametrize("unit", ["county_b", "township_b", "city"])
def test_a_unit_outside_scope_is_not_found_by_the_chooser(client, world, unit):
    client.force_login(world.organiser)
    response = client.get(reverse(CHOSEN, args=[getattr(world, unit).pk]))
    assert response.status_code == 404
    multiple = client.get(
        reverse("org_unit_chooser:chosen_multiple"), {"id": getattr(world, unit).pk}
    )
    assert json.loads(multiple.content)["result"] == []


def test_the_widget_shows_the_chosen_unit_with_its_ancestors(world):
    html = OrgUnitChooser(exclude_levels=["village"]).render(
        "organising_unit", world.township_a.pk, attrs={"id": "id_organising_unit"}
    )
    assert "信阳市 › 罗山县 › 周党镇" in html
    assert reverse(CHOOSE) + "?exclude=village" in html
    assert unit_trail(world.city) == "信阳市"


# ---------------------------------------------------------------------------------------
# The forms that use it: the listing's scope is also the only thing they accept.


def _class_data(world, unit):
    return {
        "name": "罗山县第一书记培训班",
        "code": "ls-2026-test",
        "organising_unit": unit.pk,
        "provider": "罗山县委党校",
        "kind": "in_person",
        "level": "county",
        "start_date": "2026-09-01",
        "end_date": "2026-09-03",
        "credit_hours": "18",
    }


def test_class_form_uses_the_chooser_without_villages(client, world):
    client.force_login(world.organiser)
    page = client.get(reverse("training_class:add")).content.decode()
    assert 'id="id_organising_unit-chooser"' in page
    assert reverse(CHOOSE) + "?exclude=village" in page
    assert "wagtailadmin/js/chooser-widget.js" in page


def test_a_forged_class_post_with_another_countys_unit_is_refused_in_chinese(client, world):
    client.force_login(world.organiser)
    response = client.post(reverse("training_class:add"), _class_data(world, world.county_b))
    assert response.status_code == 200
    assert response.context["form"].errors["organising_unit"] == [
        "请从列表中选择单位：该单位不在您管理的范围内。"
    ]
    assert "请从列表中选择单位：该单位不在您管理的范围内。" in response.content.decode()
    assert "息县" not in response.content.decode()  # the forged id is not shown by name
    # A village is not offered for a class either, even inside the organiser's county.
    response = client.post(reverse("training_class:add"), _class_data(world, world.village_a))
    assert "organising_unit" in response.context["form"].errors
    assert not TrainingClass.objects.exists()
    response = client.post(reverse("training_class:add"), _class_data(world, world.township_a))
    assert response.status_code == 302
    assert TrainingClass.objects.get().organising_unit == world.township_a


def test_a_forged_person_post_with_another_countys_unit_is_refused(client, world):
    client.force_login(world.organiser)
    data = {
        "full_name": "新学员",
        "phone": "13911112222",
        "org_unit": world.village_b.pk,
        "role": "学员",
    }
    response = client.post(reverse("people_admin:add"), data)
    assert response.context["form"].errors["org_unit"] == [
        "请从列表中选择单位：该单位不在您管理的范围内。"
    ]
    assert not User.objects.filter(phone="13911112222").exists()
    page = client.get(reverse("people_admin:add")).content.decode()
    assert 'id="id_org_unit-chooser"' in page


def test_people_list_filters_by_a_chosen_unit_and_ignores_one_out_of_scope(client, world):
    client.force_login(world.city_organiser)
    listed = client.get(reverse("people_admin:index"), {"unit": world.county_a.pk})
    assert {p.full_name for p in listed.context["object_list"]} == {"学员甲", "罗山组织员"}
    assert "信阳市 › 罗山县" in listed.content.decode()
    client.force_login(world.organiser)
    listed = client.get(reverse("people_admin:index"), {"unit": world.county_b.pk})
    assert "学员乙" not in {p.full_name for p in listed.context["object_list"]}
    assert "请从列表中选择单位：该单位不在您管理的范围内。" in listed.content.decode()


def test_certificate_template_unit_is_chosen_in_the_tree_and_scoped(client, world):
    client.force_login(world.organiser)
    add = reverse("wagtailsnippets_certificates_certificatetemplate:add")
    page = client.get(add).content.decode()
    assert 'id="id_org_unit-chooser"' in page
    response = client.post(
        add,
        {
            "name": "外县模板",
            "org_unit": world.county_b.pk,
            "title": "结业证书",
            "body": "{name}",
            "provider_name": "息县委党校",
            "number_prefix": "XX",
        },
    )
    assert not CertificateTemplate.objects.filter(name="外县模板").exists()
    assert "请从列表中选择单位：该单位不在您管理的范围内。" in response.content.decode()


def test_the_chooser_answers_only_inside_the_admin(client, world):
    assert client.get(reverse(RESULTS)).status_code == 302
    client.force_login(world.trainee_a)
    assert client.get(reverse(RESULTS)).status_code in (302, 403)


def test_reports_offer_the_chooser_and_keep_the_period(client, world):
    client.force_login(world.city_organiser)
    url = reverse("reports_admin:coverage")
    response = client.get(url, {"start": "2026-01-01", "end": "2026-06-30", "year": "2026"})
    chooser = response.context["unit_chooser"]
    assert chooser["action"] == url
    assert dict(chooser["hidden"]) == {"start": "2026-01-01", "end": "2026-06-30", "year": 2026}
    assert 'id="report-unit-chooser"' in response.content.decode()
    # What the chooser submits is read by the report's own scope check.
    response = client.get(url, {"unit": world.township_a.pk})
    assert response.status_code == 200 and response.context["unit"] == world.township_a
    client.force_login(world.organiser)
    assert client.get(url, {"unit": world.county_b.pk}).status_code == 404
