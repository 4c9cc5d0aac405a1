"""The app server's master loads templates, catalogues and content types before forking."""

from lms.warmup import _template_names, warm_up


def test_every_project_template_compiles_and_is_counted(db):
    names = _template_names()
    assert "base.html" in names and "attendance/checkin_result.html" in names
    # Libraries' own templates compile lazily; only our overrides of them are warmed.
    from django.conf import settings

    overrides = {name for name in names if name.startswith("wagtailadmin/")}
    ours = settings.BASE_DIR / "templates"
    assert overrides == {str(p.relative_to(ours)) for p in (ours / "wagtailadmin").rglob("*.html")}
    loaded = warm_up()
    assert loaded["templates"] == len(names)
    assert loaded["content_types"] > 50


def test_connections_are_closed_before_the_fork(db, monkeypatch):
    # (SQLite's in-memory test database ignores close(), so watch the call instead.)
    from lms import warmup

    closed = []
    monkeypatch.setattr(warmup.connections, "close_all", lambda: closed.append(True))
    warm_up()
    assert closed == [True]
