import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from declarations.services import declaration_submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def evidence(name="结业证书.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def declare(person, **fields):
    values = {
        "kind": "in_person",
        "title": "省委党校乡村振兴专题班",
        "organiser": "河南省委党校",
        "start_date": datetime.date(2026, 3, 2),
        "end_date": datetime.date(2026, 3, 6),
        "hours": Decimal("40"),
        "evidence": evidence(),
        "today": datetime.date(2026, 7, 1),
    }
    values.update(fields)
    declaration, _created = declaration_submit(actor=person, **values)
    return declaration
