"""Every certificates URL. class_a (罗山县) is closed, trainee_a completed it and holds
certificate `cert`; the organiser of 息县 and staff of other classes must not reach it.
The verification page is public by design.
"""

from django.core.files.base import ContentFile

from tests.permissions.harness import (
    ADMIN_DENIED,
    DENIED,
    LOGIN,
    OK,
    REDIRECT,
    Rule,
    everyone_signed_in,
)


def setup(world):
    from certificates.models import IssueBatch
    from certificates.services import certificate_issue, certificate_template_default
    from tests.training.factories import class_for_world
    from training.models import Enrolment, TrainingClass

    klass = class_for_world(world)
    klass.status = TrainingClass.Status.CLOSED
    klass.save()
    klass.enrolments.update(status=Enrolment.Status.COMPLETED)
    cert, _ = certificate_issue(
        actor=world.organiser, training_class=klass, trainee=world.trainee_a
    )
    cert.pdf.save(f"{cert.number}.pdf", ContentFile(b"%PDF-1.7 test"))
    open_class = world.extra["class_b"]  # 息县, still running
    return {
        "klass": klass,
        "cert": cert,
        "batch": IssueBatch.objects.create(training_class=klass),
        "template": certificate_template_default(),
        "open_class": open_class,
    }


def k(**names):
    return lambda world, ctx: {key: ctx[value].pk for key, value in names.items()}


def admin_screen(organiser=OK):
    """A screen of class_a in the Wagtail admin: its organiser only."""
    return {
        "anonymous": LOGIN,
        "trainee_a": LOGIN,  # Wagtail sends people without admin access to its login
        "trainee_b": LOGIN,
        "instructor_other": DENIED,
        "adviser_other": DENIED,
        "organiser_other": DENIED,
        "organiser": organiser,
    }


ORGANISERS_ONLY = {
    "anonymous": LOGIN,
    "trainee_a": LOGIN,
    "trainee_b": LOGIN,
    "instructor_other": ADMIN_DENIED,
    "adviser_other": ADMIN_DENIED,
    "organiser_other": OK,
    "organiser": OK,
}

PUBLIC = dict.fromkeys(everyone_signed_in(), OK)

RULES = {
    "certificates:my_certificates": Rule(expect=everyone_signed_in()),
    "certificates:download": Rule(
        kwargs=k(pk="cert"),
        expect={**everyone_signed_in(DENIED), "trainee_a": OK},
    ),
    "certificates:verify_lookup": Rule(expect=PUBLIC),
    "certificates:verify": Rule(
        kwargs=lambda world, ctx: {"code": ctx["cert"].verification_code}, expect=PUBLIC
    ),
    "certificates_admin:index": Rule(expect=ORGANISERS_ONLY),
    "certificates_admin:class_detail": Rule(kwargs=k(pk="klass"), expect=admin_screen()),
    "certificates_admin:class_rule": Rule(kwargs=k(pk="klass"), expect=admin_screen()),
    "certificates_admin:appraisals_save": Rule(
        kwargs=k(pk="klass"), method="post", expect=admin_screen(REDIRECT)
    ),
    # The class is closed: its organiser is sent back to the class (no more exceptions).
    "certificates_admin:completion_override": Rule(
        kwargs=lambda world, ctx: {"pk": ctx["klass"].pk, "trainee_pk": world.trainee_a.pk},
        expect=admin_screen(REDIRECT),
    ),
    "certificates_admin:class_close": Rule(
        kwargs=k(pk="klass"),
        method="post",
        data=lambda world, ctx: {"confirm": "yes"},
        expect=admin_screen(REDIRECT),
    ),
    "certificates_admin:batch_retry": Rule(
        kwargs=k(pk="klass"), method="post", expect=admin_screen(REDIRECT)
    ),
    "certificates_admin:class_zip": Rule(kwargs=k(pk="klass"), expect=admin_screen()),
    "certificates_admin:batch_progress": Rule(kwargs=k(pk="batch"), expect=admin_screen()),
    "certificates_admin:certificate_pdf": Rule(kwargs=k(pk="cert"), expect=admin_screen()),
    "certificates_admin:certificate_revoke": Rule(kwargs=k(pk="cert"), expect=admin_screen()),
    "certificates_admin:certificate_reissue": Rule(kwargs=k(pk="cert"), expect=admin_screen()),
    "certificates_admin:template_preview": Rule(kwargs=k(pk="template"), expect=ORGANISERS_ONLY),
}
