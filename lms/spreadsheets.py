"""The one way spreadsheets are written and read: every export and every import goes here.

Writing (`Book`): XlsxWriter in `constant_memory` mode, into an anonymous temporary file
that the response then streams, so a 50,000-row report costs a row of memory, not a
workbook. Strings are always written as strings (`write_string`, with the workbook's
`strings_to_formulas`, `strings_to_urls` and `strings_to_numbers` off as a second lock):
a person can name herself `=HYPERLINK("http://…"&D2,"x")` and no export will run it.
Numbers and dates are real cells, so a sum or a sort works in Excel. Every sheet has a
bold, tinted, frozen header; a column without a set width is fitted to its text, a
Chinese character counting two.

CSV exports (reports) put an apostrophe in front of formula-like text (`csv_field`).

Reading (`read_table`): an XLSX upload passes `lms.uploads.archive_check` (the zip-bomb
guard) before openpyxl opens it read-only; a CSV upload is UTF-8 (with or without a byte
order mark) or else GB18030, which is what Excel and WPS save on a Chinese Windows. Either
way the caller gets the first sheet as rows of text, blank rows kept so row numbers are
the ones the organiser sees, or a `DomainError` in the user's language; nothing is read
past the caller's row and column limits.
"""

import contextlib
import csv
import datetime
import io
import os
import re
import tempfile
from collections.abc import Iterable
from decimal import Decimal

import xlsxwriter
from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

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


# --- writing XLSX --------------------------------------------------------------------

WRITER_OPTIONS = {
    # Each row goes to disk when the next one starts: memory stays flat however long the
    # sheet. Rows must come in order, which is how every export writes them anyway.
    "constant_memory": True,
    # Text is text: never a formula, a link or a number, whatever it starts with.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    # A NaN or infinity (a ratio of nothing) becomes #NUM! instead of an exception.
    "nan_inf_to_errors": True,
}
HEADER_FILL = "#F2DCDB"
# Control characters XML 1.0 does not allow: dropped (XlsxWriter would write them as
# `_x0001_`, which only Excel reads back). Only looked for in text that is not printable.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MIN_WIDTH, MAX_WIDTH = 6, 60
_SHEET_NAME_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")


def text_width(text: str) -> int:
    """Columns a text needs in Excel: a CJK character (3 bytes in UTF-8) counts two,
    an ASCII one one. Computed in C, so it costs next to nothing per cell."""
    return (len(text.encode()) + len(text)) // 2


class Column:
    """A column of an export: its header and, optionally, a fixed width in Excel's
    character units (without one the column is fitted to its header and its text)."""

    __slots__ = ("header", "width")

    def __init__(self, header, width: float | None = None):
        self.header = header
        self.width = width

    def __repr__(self) -> str:
        return f"Column({self.header!r}, {self.width!r})"


class Sheet:
    """One worksheet being written; rows go in with `row()`, in order."""

    def __init__(self, book: "Book", worksheet, columns, *, title, subtitle, boxed):
        self._book = book
        self._ws = worksheet
        self._boxed = boxed
        self._columns = [c if hasattr(c, "header") else Column(c) for c in columns]
        self._fitted = {
            i: text_width(str(c.header)) for i, c in enumerate(self._columns) if not c.width
        }
        formats = book._formats
        self._text = formats["boxed"] if boxed else None
        self._date = formats["boxed_date" if boxed else "date"]
        self._datetime = formats["boxed_datetime" if boxed else "datetime"]
        self._time = formats["boxed_time" if boxed else "time"]
        self._next = 0
        last = max(len(self._columns) - 1, 0)
        if title is not None:
            worksheet.merge_range(0, 0, 0, last, str(title), formats["title"])
            self._next = 1
            if subtitle is not None:
                worksheet.merge_range(1, 0, 1, last, str(subtitle), formats["subtitle"])
                self._next = 2
        self.header_row = self._next
        header_format = formats["boxed_header" if boxed else "header"]
        for col, column in enumerate(self._columns):
            worksheet.write_string(self._next, col, str(column.header), header_format)
        self._next += 1
        worksheet.freeze_panes(self._next, 0)
        if boxed:
            # Printed: the header on every page, one page wide.
            worksheet.repeat_rows(self.header_row)
            worksheet.set_portrait()
            worksheet.fit_to_pages(1, 0)
        self.rows = 0

    def row(self, values: Iterable) -> None:
        r = self._next
        ws = self._ws
        fitted = self._fitted
        text_format = self._text
        for c, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if not value.isprintable():
                    value = _ILLEGAL.sub("", value)
                if value:
                    ws.write_string(r, c, value, text_format)
                    if c in fitted:
                        width = text_width(value)
                        if width > fitted[c]:
                            fitted[c] = width
                elif text_format is not None:
                    ws.write_blank(r, c, None, text_format)
            elif value is None:
                if text_format is not None:
                    ws.write_blank(r, c, None, text_format)
            elif kind is bool:
                ws.write_string(r, c, "是" if value else "否", text_format)
            elif kind is int or kind is float or kind is Decimal:
                ws.write_number(r, c, value, text_format)
            elif kind is datetime.datetime:
                if value.tzinfo is not None:
                    value = timezone.localtime(value).replace(tzinfo=None)
                ws.write_datetime(r, c, value, self._datetime)
                if c in fitted and fitted[c] < 16:
                    fitted[c] = 16
            elif kind is datetime.date:
                ws.write_datetime(r, c, value, self._date)
                if c in fitted and fitted[c] < 10:
                    fitted[c] = 10
            elif kind is datetime.time:
                ws.write_datetime(r, c, value, self._time)
            elif isinstance(value, int | float | Decimal):
                ws.write_number(r, c, value, text_format)
            else:  # anything else (a UUID, a lazy translation) as its text
                ws.write_string(r, c, _ILLEGAL.sub("", str(value)), text_format)
        if self._boxed:
            ws.set_row(r, 24)
        self._next += 1
        self.rows += 1

    def rows_from(self, rows: Iterable[Iterable]) -> int:
        for values in rows:
            self.row(values)
        return self.rows

    def _finish(self) -> None:
        for col, column in enumerate(self._columns):
            width = column.width or min(max(self._fitted[col] + 2, MIN_WIDTH), MAX_WIDTH)
            self._ws.set_column(col, col, width)


class Book:
    """An XLSX workbook written by XlsxWriter to an anonymous temporary file.

    Used as `with Book() as book:` so that a build that fails half-way leaves no
    temporary file behind; `sheet()` adds a sheet; `response()` closes the workbook and
    streams the file; `getvalue()` gives the bytes of a small one."""

    def __init__(self):
        # Anonymous: gone from the disk the moment it is closed, whatever happens.
        self._file = tempfile.TemporaryFile(prefix="export-", suffix=".xlsx")  # noqa: SIM115
        self._book = xlsxwriter.Workbook(self._file, WRITER_OPTIONS)
        self._sheets: list[Sheet] = []
        self._closed = False
        self._content = None
        add = self._book.add_format
        thin = {"border": 1, "border_color": "#999999"}
        header = {"bold": True, "bg_color": HEADER_FILL, "align": "center", "valign": "vcenter"}
        boxed = {**thin, "valign": "vcenter", "text_wrap": True}
        self._formats = {
            "header": add(header),
            "boxed_header": add({**header, **thin, "text_wrap": True}),
            "title": add({"bold": True, "font_size": 14, "align": "center"}),
            "subtitle": add({"align": "center"}),
            "date": add({"num_format": "yyyy-mm-dd"}),
            "datetime": add({"num_format": "yyyy-mm-dd hh:mm"}),
            "time": add({"num_format": "hh:mm"}),
            "boxed": add(boxed),
            "boxed_date": add({**boxed, "num_format": "yyyy-mm-dd"}),
            "boxed_datetime": add({**boxed, "num_format": "yyyy-mm-dd hh:mm"}),
            "boxed_time": add({**boxed, "num_format": "hh:mm"}),
        }

    def __enter__(self) -> "Book":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()

    def discard(self) -> None:
        """Drop a half-written workbook: XlsxWriter's per-sheet row files included."""
        for worksheet in self._book.worksheets():
            handle = getattr(worksheet, "row_data_fh", None)
            if handle is not None and not handle.closed:
                handle.close()
                with contextlib.suppress(OSError):
                    os.unlink(worksheet.row_data_filename)
        self._closed = True
        self._file.close()

    def sheet(self, name, columns, *, title=None, subtitle=None, boxed=False) -> Sheet:
        """A new sheet with its header row. `title`/`subtitle`: merged lines above the
        header (a printed sign-in sheet); `boxed`: every cell bordered and wrapped, rows
        tall enough to sign in, printed one page wide."""
        safe = str(name).translate(_SHEET_NAME_FORBIDDEN).strip("'")[:31] or None
        sheet = Sheet(
            self,
            self._book.add_worksheet(safe),
            columns,
            title=title,
            subtitle=subtitle,
            boxed=boxed,
        )
        self._sheets.append(sheet)
        return sheet

    def close(self) -> "Book":
        if not self._closed:
            for sheet in self._sheets:
                sheet._finish()
            self._book.close()
            self._file.seek(0)
            self._closed = True
        return self

    def getvalue(self) -> bytes:
        """The whole file (for small sheets embedded in a page, and for tests)."""
        if self._content is None:
            self.close()
            self._content = self._file.read()
            self._file.close()
        return self._content

    def response(self, filename: str) -> FileResponse:
        """The file as a download; FileResponse streams it in blocks and closes it."""
        self.close()
        return FileResponse(
            self._file, as_attachment=True, filename=filename, content_type=XLSX_MIME
        )


def book(sheets: Iterable[tuple[str, list, Iterable[Iterable]]]) -> Book:
    """A closed workbook of plain sheets: [(name, columns, rows)]."""
    with Book() as out:
        for name, columns, rows in sheets:
            out.sheet(name, columns).rows_from(rows)
    return out


# --- reading uploads -----------------------------------------------------------------


class SheetTooLarge(UploadRefused):
    code = "sheet_too_large"
    message = _(
        "The sheet has far more rows or columns than an import can take; delete the empty "
        "rows and columns below and beside the data, or split the file."
    )


class UnreadableSpreadsheet(UploadRefused):
    code = "unreadable_file"
    message = _("The file could not be read as an Excel workbook (.xlsx).")


class UnreadableCsv(UnreadableSpreadsheet):
    message = _(
        "The CSV file is neither UTF-8 nor GB18030 (GBK) text, or is not a table; save it "
        "again from Excel or WPS as CSV."
    )


def cell_text(value) -> str:
    """A cell as the text an organiser typed: 13800001001 typed as a number stays
    13800001001 (not 13800001001.0), dates are ISO, stray spaces go."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def read_table(
    upload,
    *,
    file_name: str = "",
    max_rows: int,
    max_columns: int = MAX_COLUMNS,
    max_bytes: int | None = None,
) -> list[list[str]]:
    """The first sheet of an XLSX (or the rows of a CSV, by the file name's extension)
    as rows of text, blank rows included. Raises `UploadRefused` subclasses: too large,
    a zip bomb, more than `max_rows` rows or `max_columns` columns, or unreadable."""
    limit = max_bytes or settings.SPREADSHEET_UPLOAD_MAX_SIZE
    content = read_upload(upload, limit=limit)
    if file_name.lower().endswith(".csv"):
        return _csv_table(content, max_rows=max_rows, max_columns=max_columns)
    return _xlsx_table(content, limit=limit, max_rows=max_rows, max_columns=max_columns)


def _csv_table(content: bytes, *, max_rows: int, max_columns: int) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableCsv("not UTF-8 or GB18030")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if len(rows) >= max_rows:
                raise SheetTooLarge(f"more than {max_rows} rows")
            if len(row) > max_columns:
                raise SheetTooLarge(f"{len(row)} columns")
            rows.append([cell_text(v) for v in row])
    except csv.Error as exc:
        raise UnreadableCsv(str(exc)) from exc
    return rows


def _xlsx_table(content: bytes, *, limit: int, max_rows: int, max_columns: int):
    try:
        archive_check(content, max_compressed=limit)
    except UploadRefused as exc:
        if exc.code == "not_an_archive":  # not a zip at all: not a workbook either
            raise UnreadableSpreadsheet(str(exc)) from exc
        raise
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise UnreadableSpreadsheet(str(exc)) from exc
    try:
        if not workbook.worksheets:
            raise UnreadableSpreadsheet("no worksheet")
        sheet = workbook.worksheets[0]
        if (sheet.max_row or 0) > max_rows or (sheet.max_column or 0) > max_columns:
            # A sheet of millions of blank rows compresses to almost nothing.
            raise SheetTooLarge(f"dimension {sheet.max_row}×{sheet.max_column}")
        rows = []
        for row in sheet.iter_rows(
            values_only=True, max_row=max_rows + 1, max_col=sheet.max_column or max_columns
        ):
            if len(rows) >= max_rows:
                raise SheetTooLarge(f"more than {max_rows} rows")
            rows.append([cell_text(v) for v in row])
    except UploadRefused:
        raise
    except Exception as exc:  # a broken part found while reading
        raise UnreadableSpreadsheet(str(exc)) from exc
    finally:
        workbook.close()
    return rows
