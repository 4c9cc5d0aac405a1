"""The corpus is what it claims to be (a corpus that drifted into valid files tests nothing)."""

import io
import zipfile

import filetype
import pytest
from openpyxl import load_workbook

from tests.hostile import corpus

LYING = [
    "html_as_pdf",
    "exe_as_jpg",
    "elf_as_pdf",
    "svg_as_png",
    "png_as_pdf",
    "pdf_as_xlsx",
    "csv_as_xlsx",
    "double_extension",
]


@pytest.mark.parametrize("name", LYING)
def test_lying_uploads_do_not_match_their_claimed_type(name):
    filename, claimed, data = corpus.upload(name)
    guessed = filetype.guess_mime(data)
    assert guessed != claimed, f"{name}: content really is {claimed}"


@pytest.mark.parametrize("name", ["real_pdf", "real_png", "real_jpeg"])
def test_honest_uploads_match_their_claimed_type(name):
    _filename, claimed, data = corpus.upload(name)
    assert filetype.guess_mime(data) == claimed


def test_oversized_is_one_byte_over_and_still_starts_like_a_pdf():
    data = corpus.oversized(1000)
    assert len(data) == 1001 and data.startswith(b"%PDF")


def test_merged_cells_read_as_blanks():
    sheet = load_workbook(io.BytesIO(corpus.roster_merged_cells())).active
    assert sheet["D2"].value == "罗山县周党镇"
    assert sheet["D3"].value is None  # merged away: importers must cope


def test_formulas_stay_formulas():
    sheet = load_workbook(io.BytesIO(corpus.roster_formulas())).active
    assert str(sheet["A2"].value).startswith("=")


def test_ten_thousand_rows():
    sheet = load_workbook(io.BytesIO(corpus.roster_many_rows()), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 10_001


def test_hostile_names_survive_the_spreadsheet_round_trip():
    sheet = load_workbook(io.BytesIO(corpus.roster_hostile_names())).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == corpus.HOSTILE_NAMES


def test_zip_bomb_is_small_but_expands():
    data = corpus.zip_bomb(size=8 * 1024 * 1024)
    assert len(data) < 100_000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.infolist()[0].file_size == 8 * 1024 * 1024


def test_make_corpus_writes_every_file(hostile_files):
    assert set(hostile_files) == set(corpus.SPREADSHEETS) | set(corpus.UPLOADS)
    assert all(path.exists() for path in hostile_files.values())
    assert hostile_files["empty"].stat().st_size == 0
