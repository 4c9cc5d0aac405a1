"""Streamed exports: CSV row by row, XLSX through openpyxl's write-only mode.

Neither holds the rows in memory: CSV lines go to the client as they are produced; the
XLSX workbook is written row by row to a temporary file (openpyxl write-only mode keeps
no cell objects) that is then streamed with FileResponse and removed.
"""

import csv
import datetime
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import BadFormat

FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


class _Echo:
    def write(self, value):
        return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_response(filename: str, columns: list[Column], rows: Iterable) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow([str(c.header) for c in columns])
        for row in rows:
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _xlsx_value(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_xlsx(path: str, title: str, columns: list[Column], rows: Iterable) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    centre = Alignment(horizontal="center", vertical="center")
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=str(column.header))
        cell.font, cell.fill, cell.alignment = bold, fill, centre
        header.append(cell)
    ws.append(header)
    # Plain values, no per-cell styles: openpyxl gives dates a date format by itself, and a
    # styled cell per value costs more than everything else together.
    convert = _xlsx_value
    count = 0
    for row in rows:
        ws.append([convert(v) for v in row])
        count += 1
    wb.save(path)
    return count


def xlsx_response(filename: str, title: str, columns: list[Column], rows: Iterable):
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="report-")
    os.close(fd)
    try:
        write_xlsx(path, title, columns, rows)
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    finally:
        # Unlinked at once: the open handle keeps the data until the response is sent.
        os.unlink(path)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
