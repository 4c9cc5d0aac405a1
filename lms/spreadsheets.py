"""The one way spreadsheets are written and read: exports and imports all go through here.

Writing: a text value that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
a formula to Excel, WPS and LibreOffice (CSV injection). A person can name herself
`=HYPERLINK("http://…"&D2,"x")` and it would run in the organiser's export. In XLSX such
text is written as a string cell (openpyxl otherwise stores a str starting with "=" as a
formula); in CSV it gets a leading apostrophe, which spreadsheet programs read as "text".
Numbers stay numbers: only str values are ever touched.

Reading: an uploaded workbook passes `lms.uploads.archive_check` before openpyxl sees it,
is opened read-only, and its first sheet is refused when its dimension or its rows
(blank ones included) pass the caller's limit.
"""

import io
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from lms.uploads import UploadRefused, archive_check, file_size_limit, read_upload

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMNS = 200
# The validator of every spreadsheet upload field.
spreadsheet_size = file_size_limit("SPREADSHEET_UPLOAD_MAX_SIZE")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


# --- CSV -----------------------------------------------------------------------------


def csv_field(value):
    """`value` with an apostrophe in front when a spreadsheet would run it as a formula."""
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Iterable) -> list:
    return [csv_field(v) for v in values]


# --- XLSX ----------------------------------------------------------------------------


def as_text(cell):
    """Make a cell holding formula-like text a plain string cell; returns the cell."""
    if is_formula_like(cell.value):
        cell.data_type = "s"
    return cell


def _text_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value) if isinstance(sheet, WriteOnlyWorksheet) else Cell(sheet)
    if not isinstance(sheet, WriteOnlyWorksheet):
        cell.value = value
    cell.data_type = "s"
    return cell


def append_row(sheet, values: Iterable) -> None:
    """`sheet.append(values)` for a normal or write-only worksheet, never a formula."""
    sheet.append([_text_cell(sheet, v) if is_formula_like(v) else v for v in values])


def set_cell(sheet, row: int, column: int, value):
    """`sheet.cell(row, column, value)`, never a formula; returns the cell."""
    return as_text(sheet.cell(row=row, column=column, value=value))


# --- reading uploads -----------------------------------------------------------------


class SheetTooLarge(UploadRefused):
    code = "sheet_too_large"
    message = _(
        "The sheet has far more rows or columns than an import can take; delete the empty "
        "rows and columns below and beside the data, or split the file."
    )


def open_workbook(upload, *, max_bytes: int | None = None):
    """A read-only, values-only workbook from an upload (or bytes), after the zip check.
    Raises `UploadRefused` subclasses; openpyxl's own errors for a broken file pass on."""
    limit = max_bytes or settings.SPREADSHEET_UPLOAD_MAX_SIZE
    content = read_upload(upload, limit=limit)
    archive_check(content, max_compressed=limit)
    return load_workbook(io.BytesIO(content), read_only=True, data_only=True)


def sheet_rows(sheet, *, max_rows: int, max_columns: int = MAX_COLUMNS) -> Iterator[tuple]:
    """The sheet's rows as value tuples, blank ones included, refusing the sheet when its
    declared dimension or the rows actually read pass the limits (a sheet of millions of
    blank rows compresses to almost nothing)."""
    if (sheet.max_row or 0) > max_rows or (sheet.max_column or 0) > max_columns:
        raise SheetTooLarge(f"dimension {sheet.max_row}×{sheet.max_column}")
    rows = sheet.iter_rows(
        values_only=True, max_row=max_rows + 1, max_col=sheet.max_column or max_columns
    )
    for number, row in enumerate(rows, start=1):
        if number > max_rows:
            raise SheetTooLarge(f"more than {max_rows} rows")
        yield row
