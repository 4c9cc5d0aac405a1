from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import DateColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.admin_columns import YesNoColumn
from lms.admin_scope import CHOOSE, ScopedPolicy, ScopedSnippetViewSet
from people.roles import Role, has_role
from training.models import TrainingClass

from . import admin_urls
from .forms import CertificateTemplateAdminForm
from .home_panel import CertificatesToIssuePanel
from .models import Certificate, CertificateTemplate, CompletionRecord
from .selectors import (
    certificate_template_list_editable,
    certificate_template_list_usable,
    class_history_for_person,
)


class CertificateTemplatePolicy(ScopedPolicy):
    """Model permissions as granted to organisers; rows by owning unit (selectors.py):
    a parent unit's template can be chosen for a class but not changed."""

    def user_has_permission(self, user, action):
        if action == CHOOSE:
            return user.is_active and (user.is_superuser or has_role(user, Role.ORGANISER))
        return super().user_has_permission(user, action)

    def scope(self, user, action):
        if action == CHOOSE:
            return certificate_template_list_usable(viewer=user)
        return certificate_template_list_editable(viewer=user)


register_permission_policy(CertificateTemplate, CertificateTemplatePolicy(CertificateTemplate))


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    register = actions.register_action
    register("certificates.class_close", _("Close class"), _("Class closed"))
    register("certificates.rule_update", _("Change completion rule"), _("Completion rule changed"))
    register("certificates.appraisal", _("Write appraisal"), _("Completion appraisal written"))
    register(
        "certificates.override",
        _("Make an exception to the completion rules"),
        _("Completion decided by the organiser"),
    )
    register("certificates.issue", _("Issue certificate"), _("Certificate issued"))
    register("certificates.revoke", _("Revoke certificate"), _("Certificate revoked"))
    register("certificates.reissue", _("Reissue certificate"), _("Certificate reissued"))
    register("certificates.batch_retry", _("Retry certificates"), _("Certificate issue retried"))


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [path("certificates/", include(admin_urls, namespace="certificates_admin"))]


class OrganiserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or has_role(request.user, Role.ORGANISER)


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return OrganiserMenuItem(
        _("Completion and certificates"),
        reverse("certificates_admin:index"),
        icon_name="success",
        order=610,
    )


class CertificateTemplateViewSet(ScopedSnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = [
        "name",
        "title",
        "org_unit",
        "provider_name",
        "number_prefix",
        YesNoColumn("is_default", CertificateTemplate),
        DateColumn("updated_at", label=_("last changed")),
    ]
    # Beside 结业与证书 (order 610), not inside Wagtail's generic 片段 menu.
    add_to_admin_menu = True
    menu_order = 611

    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in (
                "name",
                "org_unit",
                "title",
                "body",
                "provider_name",
                "number_prefix",
                "seal",
                "signatory",
                "extra_css",
                "is_default",
            )
        ],
        base_form_class=CertificateTemplateAdminForm,
    )


register_snippet(CertificateTemplateViewSet)


@hooks.register("training_record_sections")
def training_record_classes(person):
    """The classes section of the 一人一档 PDF (ledger/pdf.py)."""
    rows = class_history_for_person(person=person)
    return {"template": "certificates/pdf/record_classes.html", "rows": rows}


@hooks.register("training_class_page_sections")
def training_class_outcome(request, klass, enrolment):
    """On the trainee's class page, once the class is closed: their outcome, the rules
    they missed or the exceptions made, the 学时 posted and the certificate."""

    viewer = request.user
    if enrolment is None or klass.status != TrainingClass.Status.CLOSED:
        return None
    record = (
        CompletionRecord.objects.filter(training_class=klass, trainee=viewer)
        .exclude(outcome="")
        .select_related("override_by")
        .first()
    )
    if record is None:
        return None
    certificate = Certificate.objects.filter(
        training_class=klass, trainee=viewer, revoked_at__isnull=True
    ).first()
    return {
        "template": "certificates/class_outcome.html",
        "top": True,  # the first thing a trainee reads once the class is closed
        "record": record,
        "certificate": certificate,
    }


@hooks.register("construct_homepage_panels")
def add_certificates_panel(request, panels):
    if request.user.is_superuser or has_role(request.user, Role.ORGANISER):
        panels.append(CertificatesToIssuePanel(request.user))
