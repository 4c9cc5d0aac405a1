"""Demo org units (Henan → 信阳市 and 焦作市) and one account per role, plus 60 trainees."""

import random

from django.contrib.auth.models import Group

from people.models import OrgUnit, User
from people.roles import Role

ORDER = 10
DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - printed in the README for the demo accounts

# County → townships (real place names; village names are illustrative).
XINYANG = {
    ("411502", "浉河区"): ["董家河镇", "浉河港镇", "五星街道"],
    ("411503", "平桥区"): ["明港镇", "平昌关镇", "五里店街道"],
    ("411521", "罗山县"): ["周党镇", "子路镇", "灵山镇"],
    ("411522", "光山县"): ["泼陂河镇", "槐店乡", "文殊乡"],
    ("411523", "新县"): ["新集镇", "八里畈镇", "田铺乡"],
    ("411524", "商城县"): ["上石桥镇", "达权店镇", "鲇鱼山街道"],
    ("411525", "固始县"): ["陈淋子镇", "段集镇", "张广庙镇"],
    ("411526", "潢川县"): ["双柳树镇", "仁和镇", "卜塔集镇"],
    ("411527", "淮滨县"): ["期思镇", "马集镇", "王家岗乡"],
    ("411528", "息县"): ["项店镇", "夏庄镇", "路口乡"],
}
JIAOZUO = {
    ("410882", "沁阳市"): ["西向镇", "紫陵镇"],
    ("410883", "孟州市"): ["西虢镇", "南庄镇"],
}
VILLAGES = ["东湾村", "河口村", "新庄村"]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁"
    "谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢姜"
)
GIVEN = [
    "建国",
    "志强",
    "海燕",
    "红梅",
    "德华",
    "卫东",
    "玉兰",
    "国庆",
    "春生",
    "秀英",
    "文斌",
    "振华",
    "丽娟",
    "永红",
    "明辉",
    "桂芳",
    "新民",
    "晓东",
    "长青",
    "静",
]


def _unit(parent, code, name, level):
    try:
        unit = OrgUnit.objects.get(code=code)
    except OrgUnit.DoesNotExist:
        if parent is None:
            return OrgUnit.add_root(code=code, name=name, level=level)
        return parent.add_child(code=code, name=name, level=level)
    if unit.name != name or unit.level != level:
        unit.name, unit.level = name, level
        unit.save(update_fields=["name", "level"])
    return unit


def _org_units():
    """Create the tree, then read it back: inserting 焦作市 (410800) sorts it before 信阳市
    (411500) and shifts the paths of everything already created under 信阳市, so the
    instances in hand would carry stale paths."""
    L = OrgUnit.Level
    henan = _unit(None, "410000", "河南省", L.PROVINCE)
    cities = [("411500", "信阳市", XINYANG), ("410800", "焦作市", JIAOZUO)]
    for city_code, city_name, counties in cities:
        city = _unit(OrgUnit.objects.get(pk=henan.pk), city_code, city_name, L.CITY)
        for (county_code, county_name), townships in counties.items():
            county = _unit(city, county_code, county_name, L.COUNTY)
            for i, township_name in enumerate(townships, start=1):
                township = _unit(county, f"{county_code}{i:03d}", township_name, L.TOWNSHIP)
                for j, village_name in enumerate(VILLAGES, start=1):
                    _unit(township, f"{county_code}{i:03d}{j:03d}", village_name, L.VILLAGE)

    units = {u.code: u for u in OrgUnit.objects.filter(path__startswith=henan.path)}
    tree = {"henan": units["410000"], "counties": {}, "townships": [], "villages": []}
    for city_code, city_name, counties in cities:
        tree[city_name] = units[city_code]
        for (county_code, county_name), townships in counties.items():
            tree["counties"][county_name] = units[county_code]
            for i in range(1, len(townships) + 1):
                tree["townships"].append(units[f"{county_code}{i:03d}"])
                for j in range(1, len(VILLAGES) + 1):
                    tree["villages"].append(units[f"{county_code}{i:03d}{j:03d}"])
    return tree


def _person(username, *, role, password_change=False, managed=(), **fields):
    person, created = User.objects.get_or_create(username=username, defaults=fields)
    if created:
        person.set_password(DEMO_PASSWORD)
        person.must_change_password = password_change
        person.save()
    else:
        changed = [k for k, v in fields.items() if getattr(person, k) != v]
        for key in changed:
            setattr(person, key, fields[key])
        if changed:
            person.save(update_fields=changed)
    person.groups.add(Group.objects.get(name=str(role)))
    if managed:
        person.managed_units.add(*managed)
    return person


def seed(context):
    tree = _org_units()
    context["org"] = tree
    xinyang = tree["信阳市"]
    luoshan = tree["counties"]["罗山县"]
    P, R = User.Position, User.Rank

    staff = {
        "admin": None,
        "organiser": _person(
            "xy_organiser",
            role=Role.ORGANISER,
            full_name="周明",
            phone="13900000001",
            org_unit=xinyang,
            job_title="信阳市委组织部干部教育科科长",
            managed=[xinyang],
        ),
        "county_organiser": _person(
            "ls_organiser",
            role=Role.ORGANISER,
            full_name="孙丽",
            phone="13900000002",
            org_unit=luoshan,
            job_title="罗山县委组织部干部",
            managed=[luoshan],
        ),
        "instructor": _person(
            "teacher_li",
            role=Role.INSTRUCTOR,
            full_name="李文博",
            phone="13900000011",
            org_unit=xinyang,
            job_title="大别山干部学院教授",
        ),
        "instructor2": _person(
            "teacher_wang",
            role=Role.INSTRUCTOR,
            full_name="王静怡",
            phone="13900000012",
            org_unit=xinyang,
            job_title="大别山干部学院副教授",
        ),
        "adviser": _person(
            "adviser_zhao",
            role=Role.ADVISER,
            full_name="赵建军",
            phone="13900000021",
            org_unit=xinyang,
            job_title="大别山干部学院培训部班主任",
        ),
    }
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"full_name": "系统管理员", "is_superuser": True, "is_staff": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    staff["admin"] = admin
    context["staff"] = staff

    # 60 trainees: every Xinyang township secretary, then village secretaries and first
    # secretaries, names and phones drawn from a fixed seed so reruns match.
    rng = random.Random(2026)
    xinyang_townships = [t for t in tree["townships"] if t.path.startswith(xinyang.path)]
    trainees = []
    for n in range(60):
        if n < len(xinyang_townships):
            unit = xinyang_townships[n]
            position, rank = P.TOWNSHIP_SECRETARY, R.TOWNSHIP
            title = (
                f"{unit.name}党委书记"
                if not unit.name.endswith("街道")
                else f"{unit.name}党工委书记"
            )
        else:
            township = xinyang_townships[(n * 7) % len(xinyang_townships)]
            villages = [v for v in tree["villages"] if v.path.startswith(township.path)]
            unit = villages[n % len(villages)]
            if n % 4 == 0:
                position, rank, title = P.FIRST_SECRETARY, R.STAFF, f"{unit.name}驻村第一书记"
            else:
                position, rank, title = P.VILLAGE_SECRETARY, R.NONE, f"{unit.name}党支部书记"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        trainees.append(
            _person(
                f"1397600{n + 1:04d}",
                role=Role.TRAINEE,
                full_name=name,
                phone=f"1397600{n + 1:04d}",
                gender=rng.choice("MMMF"),
                org_unit=unit,
                position=position,
                rank=rank,
                job_title=title,
                # The last demo trainee shows the forced first password change.
                password_change=(n == 59),
            )
        )
    context["trainees"] = trainees
