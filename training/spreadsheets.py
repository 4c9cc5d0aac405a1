"""Reading and writing the XLSX files organisers exchange (花名册, 课程表).

Headers are matched by their Chinese text, in any order, so a sheet typed by hand
with an extra column or a different order still imports.
"""

import datetime
import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from lms.errors import DomainError
from lms.spreadsheets import append_row, open_workbook, sheet_rows
from lms.uploads import NotAnArchive, UploadRefused

MAX_ROWS = 2000
# Rows read, blank ones included, before a sheet is refused: room for a sheet formatted
# far below its data, none for millions of empty rows.
MAX_SHEET_ROWS = 10 * MAX_ROWS


class UnreadableFile(DomainError):
    code = "unreadable_file"
    message = _("The file could not be read as an Excel workbook (.xlsx).")


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


def clean(value) -> str:
    """Cell text without stray spaces. Text is kept as typed (a title's full-width colon
    stays); the fields that need it (phones, dates, units) normalise it themselves."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value).strip()


def read_rows(upload, columns: list[Column]) -> list[tuple[int, dict[str, str]]]:
    """[(row number as Excel shows it, {header: text})], skipping blank rows."""
    try:
        wb = open_workbook(upload)
    except NotAnArchive as exc:
        raise UnreadableFile(str(exc)) from exc
    except UploadRefused:  # too large, a zip bomb: refused with its own code
        raise
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise UnreadableFile(str(exc)) from exc
    ws = wb.worksheets[0]
    rows = sheet_rows(ws, max_rows=MAX_SHEET_ROWS)
    header_row = next(rows, None) or ()
    headers = [clean(h) for h in header_row]
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
    for number, values in enumerate(rows, start=2):
        record = {
            c.header: clean(values[index[c.header]])
            if c.header in index and index[c.header] < len(values)
            else ""
            for c in columns
        }
        if not any(record.values()):
            continue
        out.append((number, record))
        if len(out) > MAX_ROWS:
            raise TooManyRows(str(len(out)))
    wb.close()
    return out


def write_book(sheets: list[tuple[str, list[Column], list[list]]]) -> bytes:
    """A workbook with bold, frozen Chinese headers and sensible column widths."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, rows in sheets:
        ws = wb.create_sheet(title=title[:31])
        append_row(ws, [c.header for c in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="F2DCDB")
            cell.alignment = Alignment(horizontal="center", vertical="center")
        for row in rows:
            append_row(ws, row)
        for i, col in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = col.width
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
