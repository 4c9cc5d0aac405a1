"""The site's home page, replacing Wagtail's default welcome page."""

from wagtail.models import Page, Site

from portal.models import HomePage

ORDER = 20


def seed(context):
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="干部教育培训平台",
            slug="index",
            intro=(
                "<p>面向乡镇（街道）党（工）委书记、村党组织书记和驻村第一书记的在线学习与"
                "培训管理平台：课程与案例、扫码签到、请假销假、测验考试、结业证书和学时档案。</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name="干部教育培训平台"
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = "干部教育培训平台"
        site.save()
        if old_root.specific_class is Page and not old_root.get_children().exists():
            old_root.delete()
    context["home"] = home
