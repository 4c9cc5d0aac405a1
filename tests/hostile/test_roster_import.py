"""Every roster in the corpus against the training app's import: a clear error with a
code, or a preview whose problems block the import; never half-written data."""

import io

import pytest

from lms.errors import DomainError
from people.models import User
from tests.hostile import corpus
from tests.training.factories import class_for_world
from training.models import Enrolment, ImportBatch
from training.services import ImportInvalid, roster_import_confirm
from training.services.roster import roster_import_preview

REFUSED_AT_READ = {
    "roster_wrong_headers": "missing_columns",
    "roster_no_header_row": "missing_columns",
    "roster_10000_rows": "too_many_rows",
}
UNREADABLE = ["pdf_as_xlsx", "csv_as_xlsx", "truncated_xlsx", "empty"]
ROSTERS = [name for name in corpus.SPREADSHEETS if name.startswith("roster_")]


def _counts():
    return User.objects.count(), Enrolment.objects.count()


def _preview(world, klass, data: bytes):
    return roster_import_preview(
        actor=world.organiser, training_class=klass, upload=io.BytesIO(data), filename="x.xlsx"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "code"), REFUSED_AT_READ.items())
def test_unusable_sheets_are_refused_with_a_code(world, name, code):
    klass = class_for_world(world)
    batches = ImportBatch.objects.count()
    with pytest.raises(DomainError) as caught:
        _preview(world, klass, corpus.SPREADSHEETS[name]())
    assert caught.value.code == code
    assert ImportBatch.objects.count() == batches


@pytest.mark.django_db
@pytest.mark.parametrize("name", UNREADABLE)
def test_files_that_are_not_workbooks_are_refused(world, name):
    klass = class_for_world(world)
    _filename, _type, data = corpus.upload(name)
    with pytest.raises(DomainError) as caught:
        _preview(world, klass, data)
    assert caught.value.code == "unreadable_file"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(set(ROSTERS) - set(REFUSED_AT_READ)))
def test_every_roster_imports_whole_or_not_at_all(world, name):
    klass = class_for_world(world)
    before = _counts()
    batch, check = _preview(world, klass, corpus.SPREADSHEETS[name]())
    assert _counts() == before  # a preview writes nothing but the batch
    if check.is_valid:
        result = roster_import_confirm(actor=world.organiser, batch=batch)
        assert User.objects.count() == before[0] + len(result.created)
        assert Enrolment.objects.count() == before[1] + result.enrolled
    else:
        assert all(r.messages for r in check.rows if r.errors)  # each problem is explained
        with pytest.raises(ImportInvalid) as caught:
            roster_import_confirm(actor=world.organiser, batch=batch)
        assert caught.value.code == "import_invalid"
        assert _counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["roster_duplicate_phones", "roster_bad_phones", "roster_fullwidth_digits"]
)
def test_phone_problems_block_the_import(world, name):
    klass = class_for_world(world)
    _batch, check = _preview(world, klass, corpus.SPREADSHEETS[name]())
    assert not check.is_valid


@pytest.mark.django_db
def test_hostile_names_are_imported_intact(world):
    klass = class_for_world(world)
    batch, check = _preview(world, klass, corpus.roster_hostile_names())
    assert check.is_valid, [(r.row, r.problems) for r in check.rows if r.errors]
    roster_import_confirm(actor=world.organiser, batch=batch)
    stored = set(
        Enrolment.objects.filter(training_class=klass).values_list("trainee__full_name", flat=True)
    )
    assert {name.strip() for name in corpus.HOSTILE_NAMES} <= stored
