"""Reading and writing the XLSX files organisers exchange (花名册, 课程表).

Headers are matched by their Chinese text, in any order, so a sheet typed by hand
with an extra column or a different order still imports.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lms import spreadsheets
from lms.errors import DomainError

MAX_ROWS = 2000
# Rows read, blank ones included, before a sheet is refused: room for a sheet formatted
# far below its data, none for millions of empty rows.
MAX_SHEET_ROWS = 10 * MAX_ROWS

# A file that is not a workbook (or a CSV that is not text): `lms.spreadsheets` says so.
UnreadableFile = spreadsheets.UnreadableSpreadsheet


class MissingColumns(DomainError):
    code = "missing_columns"
    message = _("The sheet lacks required columns; download the template and compare.")


class TooManyRows(DomainError):
    code = "too_many_rows"
    message = _("The sheet has more than 2000 rows; split it into several files.")


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    required: bool = False
    aliases: tuple[str, ...] = ()


def read_rows(upload, columns: list[Column], *, file_name: str = ""):
    """[(row number as Excel shows it, {header: text})], skipping blank rows. An XLSX, or
    a CSV when the file name says so (`lms.spreadsheets.read_table`)."""
    table = spreadsheets.read_table(upload, file_name=file_name, max_rows=MAX_SHEET_ROWS)
    headers = table[0] if table else []
    index: dict[str, int] = {}
    for col in columns:
        for name in (col.header, *col.aliases):
            if name in headers:
                index[col.header] = headers.index(name)
                break
    missing = [c.header for c in columns if c.required and c.header not in index]
    if missing:
        raise MissingColumns("、".join(missing))
    out = []
    for number, values in enumerate(table[1:], start=2):
        record = {
            c.header: values[index[c.header]]
            if c.header in index and index[c.header] < len(values)
            else ""
            for c in columns
        }
        if not any(record.values()):
            continue
        out.append((number, record))
        if len(out) > MAX_ROWS:
            raise TooManyRows(str(len(out)))
    return out


def write_book(sheets: list[tuple[str, list[Column], list[list]]]) -> spreadsheets.Book:
    """A workbook with bold, frozen Chinese headers and the columns' widths."""
    return spreadsheets.book(
        (title, [spreadsheets.Column(c.header, c.width) for c in columns], rows)
        for title, columns, rows in sheets
    )
