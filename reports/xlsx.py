"""A streaming XLSX writer for large report exports.

openpyxl's write-only mode builds a cell object and an XML element per value: about a
thousand rows a second for a 13-column list on this machine, four minutes for 50,000
people. A report sheet needs little of what it offers (one sheet, a styled header row,
column widths, a frozen header, dates as dates), so the sheet XML is written here as
text straight into the zip member, a thousand rows per write: memory stays flat and
50,000 rows take a couple of seconds. openpyxl, Excel, WPS and LibreOffice open the
result (the tests read it back with openpyxl).

Strings are inline (`t="inlineStr"`): no shared-string table to hold in memory, and no
string is ever a formula (there is no `<f>` element here), so a name like
`=HYPERLINK(…)` stays text, as `lms.spreadsheets` requires of every export. Measured
again on 4 Dec 2026 (20,000 rows of 13 columns, this machine): 0.32 s here against
2.52 s for openpyxl's write-only mode, same process peak (~130 MB); the writer stays.
"""

import datetime
import re
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone
from openpyxl.utils import get_column_letter

# Characters XML 1.0 does not allow (openpyxl refuses them too); they are dropped.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What makes a string need more than wrapping: markup, illegal characters, edge spaces.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|^\\s|\\s$")
_EPOCH = datetime.datetime(1899, 12, 30)
_ROWS_PER_WRITE = 1000

# Style indexes into cellXfs below.
STYLE_DATE, STYLE_DATETIME, STYLE_HEADER = 1, 2, 3

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Application>Microsoft Excel</Application></Properties>'
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
    "</cp:coreProperties>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>'
    '<numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill></fill>'
    "</fills>"
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" '
    'applyFill="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    "</sheetView></sheetViews>"
    '<sheetFormatPr defaultRowHeight="15"/>'
    "<cols>{cols}</cols><sheetData>"
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _text(value: str) -> str:
    if _SPECIAL.search(value) is None:  # the common case: nothing to escape
        return f"<is><t>{value}</t></is>"
    value = escape(_ILLEGAL.sub("", value))
    if value[:1].isspace() or value[-1:].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def _serial(value: datetime.datetime) -> str:
    delta = value - _EPOCH
    return repr(delta.days + delta.seconds / 86400)


def _cell(ref: str, value) -> str:
    """One <c> element. Booleans are written 是/否; aware datetimes in local time."""
    kind = type(value)
    if kind is str:
        if not value:
            return ""
        return f'<c r="{ref}" t="inlineStr">{_text(value)}</c>'
    if value is None:
        return ""
    if kind is bool:
        return f'<c r="{ref}" t="inlineStr"><is><t>{"是" if value else "否"}</t></is></c>'
    if kind is int or kind is float:
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if kind is Decimal:
        return f'<c r="{ref}"><v>{value}</v></c>'
    if kind is datetime.date:
        return f'<c r="{ref}" s="{STYLE_DATE}"><v>{(value - _EPOCH.date()).days}</v></c>'
    if kind is datetime.datetime:
        if value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        return f'<c r="{ref}" s="{STYLE_DATETIME}"><v>{_serial(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return _cell(ref, str(value))


def write_sheet(
    path, *, title: str, headers: list[str], widths: list[float], rows: Iterable
) -> int:
    """Write a one-sheet workbook to `path`: values may be str, int, float, Decimal, bool,
    date, datetime or None (an empty cell). Returns the number of data rows."""
    # An attribute value (and dc:title): quotes escaped too, or a person named `"…"`
    # makes the workbook unreadable.
    name = escape(
        _ILLEGAL.sub("", title).translate(str.maketrans("", "", "[]:*?/\\"))[:31],
        {'"': "&quot;"},
    )
    letters = [get_column_letter(i) for i in range(1, len(headers) + 1)]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    count = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("docProps/app.xml", _APP)
        zf.writestr("docProps/core.xml", _CORE.format(title=name, now=now))
        zf.writestr("xl/workbook.xml", _WORKBOOK.format(name=name or "Sheet1"))
        zf.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        zf.writestr("xl/styles.xml", _STYLES)
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            header = "".join(
                f'<c r="{col}1" t="inlineStr" s="{STYLE_HEADER}">{_text(str(h))}</c>'
                for col, h in zip(letters, headers, strict=True)
            )
            sheet.write((_SHEET_HEAD.format(cols=cols) + f'<row r="1">{header}</row>').encode())
            buffer = []
            number = 1
            cell = _cell
            for row in rows:
                number += 1
                cells = "".join(
                    [cell(f"{col}{number}", v) for col, v in zip(letters, row, strict=False)]
                )
                buffer.append(f'<row r="{number}">{cells}</row>')
                if len(buffer) >= _ROWS_PER_WRITE:
                    sheet.write("".join(buffer).encode())
                    buffer = []
            sheet.write(("".join(buffer) + _SHEET_TAIL).encode())
            count = number - 1
    return count
