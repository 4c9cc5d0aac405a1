"""Our copies of Wagtail's admin templates (templates/wagtailadmin/) stay copies of the
Wagtail we run: each differs from upstream in one small way (a string translated, a
"None" not written), and an upgrade that changes the upstream template fails here, so the
copy is made again from the new one rather than silently hiding its changes."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Our copy → sha256 of the upstream template it was made from (Wagtail 8.0.1).
COPIED_FROM = {
    "wagtailadmin/home.html": "7eb3ee7b5a9d1355b79a97fdc4c6a9c8612821bb1cdccf24efdd7a36c827c17d",
    "wagtailadmin/shared/headers/_actions.html": (
        "facea723b6b917627f718d47a945c79fabcb1cbc516983c66cb6801b6a9a1557"
    ),
    "wagtailadmin/shared/side_panel_toggle.html": (
        "445a7f032ba7705a1b0576398d1581bd40623559a434fdc735d865e98f0faf4d"
    ),
    "wagtailadmin/tables/boolean_cell.html": (
        "f52d1f7945b2b176e1921c5014774ceddd883008e0be68a4e3e964cb73e52619"
    ),
    "wagtailadmin/shared/user_avatar.html": (
        "10cbd09a2e9434e569d2ccc518298adbeb8cb9f3263fd31aa61ff049e6cc771a"
    ),
}


def _upstream(name: str) -> Path:
    import wagtail

    return Path(wagtail.__file__).parent / "admin" / "templates" / name


@pytest.mark.parametrize("name", COPIED_FROM)
def test_upstream_template_is_the_one_we_copied(name):
    digest = hashlib.sha256(_upstream(name).read_bytes()).hexdigest()
    assert digest == COPIED_FROM[name], (
        f"Wagtail changed {name}: copy it again into templates/{name}, redo our change "
        "(see the comment at its top) and record the new hash here"
    )


def test_every_copy_is_listed():
    copies = {
        str(path.relative_to(ROOT / "templates"))
        for path in (ROOT / "templates" / "wagtailadmin").rglob("*.html")
        if _upstream(str(path.relative_to(ROOT / "templates"))).exists()
    }
    assert copies == set(COPIED_FROM)
