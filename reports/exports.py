"""Streamed exports: CSV row by row, XLSX through `lms.spreadsheets.Book`.

Text that a spreadsheet would run as a formula goes out as text (`lms.spreadsheets`): in
CSV with a leading apostrophe; in XLSX every string is a string cell, never a formula.

Neither holds the rows in memory: CSV lines go to the client as they are produced; the
XLSX workbook is written row by row (XlsxWriter's constant-memory mode) to an anonymous
temporary file that is then streamed with FileResponse.
"""

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from lms.spreadsheets import CSV_MIME, Book, csv_field, csv_row

from .errors import BadFormat

FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12  # in Excel character units; a CJK character counts about two
    kind: str = "text"  # text | date | number | percent


def export_format(raw: str | None) -> str | None:
    if raw in (None, ""):
        return None
    if raw not in FORMATS:
        raise BadFormat(raw)
    return raw


def export_response(fmt: str, *, filename: str, title: str, columns: list[Column], rows: Iterable):
    stamp = timezone.localdate().strftime("%Y%m%d")
    name = f"{filename}-{stamp}.{fmt}"
    if fmt == "csv":
        return csv_response(name, columns, rows)
    return xlsx_response(name, title, columns, rows)


def _csv_value(value):
    kind = type(value)
    if kind is str:
        return csv_field(value)
    if value is None:
        return ""
    if kind is bool:
        return "是" if value else "否"
    if kind is datetime.datetime:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if kind is datetime.date:
        return value.isoformat()
    return str(value)


CSV_ROWS_PER_CHUNK = 500


def csv_response(filename: str, columns: list[Column], rows: Iterable) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly. Rows go
    out in chunks of a few hundred: one write per row costs more than the row itself."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def chunks():
        writer.writerow(csv_row(str(c.header) for c in columns))
        yield ("\ufeff" + buffer.getvalue()).encode()
        buffer.seek(0)
        buffer.truncate()
        convert = _csv_value
        n = 0
        for row in rows:
            writer.writerow([convert(v) for v in row])
            n += 1
            if n >= CSV_ROWS_PER_CHUNK:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
                n = 0
        yield buffer.getvalue().encode()

    response = StreamingHttpResponse(chunks(), content_type=CSV_MIME)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def write_xlsx(book: Book, title: str, columns: list[Column], rows: Iterable) -> int:
    """One sheet: the header row in bold on a tint, frozen; the layout's column widths;
    numbers and dates as real cells. Returns the number of data rows."""
    return book.sheet(title, columns).rows_from(rows)


def xlsx_response(filename: str, title: str, columns: list[Column], rows: Iterable):
    with Book() as book:
        write_xlsx(book, title, columns, rows)
    return book.response(filename)
