from django.db import IntegrityError, transaction

from ..models import CertificateTemplate


def certificate_template_default() -> CertificateTemplate:
    """The template classes use unless they choose one; made on first use."""
    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template:
        return template
    try:
        with transaction.atomic():
            template = CertificateTemplate(name="结业证书（默认）", is_default=True)
            template.full_clean()
            template.save()
    except IntegrityError:  # made by a concurrent first use
        template = CertificateTemplate.objects.get(is_default=True)
    return template
