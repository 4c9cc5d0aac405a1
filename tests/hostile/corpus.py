"""Hostile and broken input, as values and as file bytes, for every app's tests.

    from tests.hostile import corpus

    corpus.HOSTILE_NAMES                      # names that must be stored intact, shown escaped
    corpus.PHONES_ACCEPTED / PHONES_REJECTED  # {typed: canonical} / [typed, …]
    corpus.roster_xlsx(rows)                  # any roster; the named variants below
    corpus.roster_merged_cells()              # bytes of an .xlsx
    corpus.upload("html_as_pdf")              # (filename, content_type, bytes) for uploads

Everything is generated in memory (openpyxl, Pillow), so nothing binary is committed;
`make_corpus.py` writes the lot to a directory to try them by hand in the browser.
The roster and question headers follow training/services/roster.py and
assessments/services/questions.py; pass `headers=` if those change.
"""

import datetime
import io
import zipfile

from openpyxl import Workbook

# ---------------------------------------------------------------------------------------
# Values

SCRIPT = "<script>alert('xss')</script>"
IMG_ONERROR = '"><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE people_user;--"
SQL_OR = "' OR '1'='1"
TEMPLATE = "{{ request.user.password }}{% debug %}"
RARE = "𠮷〇䶮堃"  # outside the BMP (𠮷), the ideographic zero, rare name characters
EMOJI = "张三👨‍👩‍👧🇨🇳"
RTL_OVERRIDE = "李\u202egnp.exe"  # right-to-left override: renders reversed
ZERO_WIDTH = "王\u200b五\u200d"
FULLWIDTH_NAME = "ＡＢＣ刘"
LONG_NAME = "欧阳" * 200  # 400 characters: longer than any sensible column

HOSTILE_NAMES = [
    SCRIPT,
    IMG_ONERROR,
    SQL,
    SQL_OR,
    TEMPLATE,
    "周" + RARE,
    EMOJI,
    RTL_OVERRIDE,
    ZERO_WIDTH,
    FULLWIDTH_NAME,
    "阿卜杜·热合曼",  # middle dot in Uyghur names written in Chinese
    "O'Brien & <Sons>",
]

# Free-text answers (essays, fill-ins, leave reasons, correction reasons).
HOSTILE_ANSWERS = [
    SCRIPT,
    IMG_ONERROR,
    SQL,
    TEMPLATE,
    "答案：" + RARE + EMOJI,
    "  \t\n  ",  # only whitespace
    "\x00NUL in the middle\x00",
    "行一\r\n行二\n行三\r",
    "很长的回答。" * 5000,  # 30,000 characters
    '=HYPERLINK("http://evil.example","点我")',  # becomes a formula in an export
    "+1+1",
    "@SUM(A1:A2)",
]

# Typed phone → the canonical number people/phones.py must produce.
PHONES_ACCEPTED = {
    "13976000060": "13976000060",
    "139 7600 0060": "13976000060",
    "139-7600-0060": "13976000060",
    "+86 139 7600 0060": "13976000060",
    "+86-13976000060": "13976000060",
    "008613976000060": "13976000060",
    "8613976000060": "13976000060",
    "１３９７６００００６０": "13976000060",  # full-width digits (Chinese IME)
    "１３９　７６００　００６０": "13976000060",  # with ideographic spaces
    "＋８６ １３９７６００００６０": "13976000060",
    " 13976000060 ": "13976000060",
    "(139)7600-0060": "13976000060",
    "139\u00a07600\u00a00060": "13976000060",  # no-break spaces pasted from Word
}
PHONES_REJECTED = [
    "",
    "   ",
    "1397600006",  # ten digits
    "139760000600",  # twelve
    "12976000060",  # no mobile prefix 12
    "03763456789",  # landline
    "139７600006O",  # letter O for zero
    "13976000060" + SQL_OR,
    SCRIPT,
    "一三九七六〇〇〇〇六〇",  # Chinese numerals
    "1.3976e10",  # what Excel shows for a number in a text column
    "😀13976000060",
]

# Dates as people type them in a text cell.
DATES_AS_TEXT = [
    "2026年3月9日",
    "2026.3.9",
    "2026/03/09",
    "3/9/2026",
    "2026-3-9",
    "二〇二六年三月九日",
]

# ---------------------------------------------------------------------------------------
# Spreadsheets

ROSTER_HEADERS = ["姓名", "性别", "手机号", "单位", "职务", "职级", "组别"]
QUESTION_HEADERS = (
    ["分类", "题型", "题干"]
    + [f"选项{letter}" for letter in "ABCDEFGH"]
    + ["正确答案", "分值", "多选计分", "解析", "标签"]
)


def xlsx(rows: list[list], *, headers: list | None = None, title: str = "Sheet1") -> bytes:
    """A one-sheet workbook: headers (if given) then rows, as bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    if headers is not None:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roster_row(n: int, *, phone: str | None = None, name: str | None = None) -> list:
    return [
        name or f"学员{n:05d}",
        "男" if n % 2 else "女",
        phone or f"139{n:08d}",
        "罗山县周党镇",
        "党委书记",
        "乡科级",
        f"第{n % 6 + 1}组",
    ]


def roster_xlsx(rows: list[list] | None = None, *, headers=ROSTER_HEADERS) -> bytes:
    return xlsx(rows if rows is not None else [roster_row(n) for n in range(1, 6)], headers=headers)


def roster_good(count: int = 5) -> bytes:
    return roster_xlsx([roster_row(n) for n in range(1, count + 1)])


def roster_wrong_headers() -> bytes:
    """Near-miss headers (名字 for 姓名, 单位名称 for 单位) and no phone column."""
    return xlsx([["王五", "罗山县", "书记"]], headers=["名字", "单位名称", "职务"])


def roster_no_header_row() -> bytes:
    return xlsx([roster_row(n) for n in range(1, 4)])


def roster_empty_rows() -> bytes:
    """Blank rows between people, a row of spaces, and a row with only a group."""
    rows = [roster_row(1), [], [None] * 7, roster_row(2), ["  ", " ", "", None, "", "", ""]]
    rows += [["", "", "", "", "", "", "第1组"], roster_row(3), [], []]
    return roster_xlsx(rows)


def roster_merged_cells() -> bytes:
    """Unit cells merged down several rows, as people lay out rosters in Excel: openpyxl
    reads the merged-away cells as None."""
    book = Workbook()
    sheet = book.active
    sheet.append(ROSTER_HEADERS)
    for n in range(1, 5):
        sheet.append(roster_row(n))
    sheet.merge_cells("D2:D5")  # one unit for four people
    sheet.merge_cells("A7:G7")  # a banner row in the middle
    sheet["A7"] = "以下为驻村第一书记"
    sheet.append([])
    sheet.append(roster_row(5))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def roster_formulas() -> bytes:
    """Formulas where text belongs; openpyxl returns the formula text, not a value."""
    rows = [
        ['=CONCATENATE("张","三")', "男", "=13900000000+1", "罗山县", "书记", "", ""],
        ["李四", "女", "13900000002", '=HYPERLINK("http://evil.example","罗山县")', "", "", ""],
        ["=1+1", "男", "13900000003", "罗山县", "=cmd|' /C calc'!A0", "", ""],
    ]
    return roster_xlsx(rows)


def roster_dates_as_text() -> bytes:
    """Dates typed as text and real dates, in a column that should hold text (and a
    phone stored as a number, which Excel does to 11-digit numbers)."""
    rows = [
        ["赵六", "男", 13900000011, "罗山县", "书记", "", DATES_AS_TEXT[0]],
        ["钱七", "女", "13900000012", datetime.date(2026, 3, 9), "书记", "", ""],
        ["孙八", "男", 1.3900000013e10, "罗山县", datetime.datetime(2026, 3, 9, 8, 30), "", ""],
    ]
    return roster_xlsx(rows)


def roster_many_rows(count: int = 10_000) -> bytes:
    return roster_xlsx([roster_row(n) for n in range(1, count + 1)])


def roster_duplicate_phones() -> bytes:
    """The same person twice, and two people sharing a number typed differently."""
    rows = [
        roster_row(1, phone="13900000001"),
        roster_row(2, phone="13900000002"),
        roster_row(1, phone="13900000001"),
        roster_row(3, phone="139 0000 0002"),
        roster_row(4, phone="１３９００００００２"),
    ]
    return roster_xlsx(rows)


def roster_fullwidth_digits() -> bytes:
    rows = [roster_row(n, phone=typed) for n, typed in enumerate(PHONES_ACCEPTED, start=1)]
    return roster_xlsx(rows)


def roster_hostile_names() -> bytes:
    rows = [
        roster_row(n, name=name, phone=f"1390000{n:04d}")
        for n, name in enumerate(HOSTILE_NAMES, start=1)
    ]
    return roster_xlsx(rows)


def roster_bad_phones() -> bytes:
    rows = [roster_row(n, phone=typed or " ") for n, typed in enumerate(PHONES_REJECTED, 1)]
    return roster_xlsx(rows)


def questions_xlsx(rows: list[list], *, headers=QUESTION_HEADERS) -> bytes:
    return xlsx(rows, headers=headers)


def _question(category, kind, stem, options=(), answer="", score=2, explanation="") -> list:
    opts = list(options) + [""] * (8 - len(options))
    return [category, kind, stem, *opts, answer, score, "", explanation, ""]


def questions_hostile() -> bytes:
    """Script tags, SQL and rare characters in stems, options and explanations."""
    return questions_xlsx(
        [
            _question("党史", "单选", SCRIPT + "哪一年？", ["1921", IMG_ONERROR, SQL], "A"),
            _question("党史", "多选", RARE + EMOJI, ["甲", "乙", TEMPLATE], "AB"),
            _question("党史", "判断", SQL_OR, answer="对", explanation=SCRIPT),
            _question("党史", "填空", "填写：____", answer=RARE),
        ]
    )


def questions_broken() -> bytes:
    """Unknown type, answer letter with no option, negative score, empty stem, text score."""
    return questions_xlsx(
        [
            _question("党史", "连线题", "不支持的题型", ["A", "B"], "A"),
            _question("党史", "单选", "答案不存在", ["甲", "乙"], "E"),
            _question("党史", "单选", "负分", ["甲", "乙"], "A", score=-5),
            _question("党史", "单选", "", ["甲", "乙"], "A"),
            _question("党史", "单选", "分值是文字", ["甲", "乙"], "A", score="两分"),
            _question("党史", "单选", "没有选项", [], "A"),
        ]
    )


# ---------------------------------------------------------------------------------------
# Uploads

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
    b"0000000101 00000 n \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n170\n%%EOF\n"
)
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(2)</script><rect width='10' height='10'/></svg>"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 57


def png(width: int = 8, height: int = 8) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (183, 28, 28)).save(out, format="PNG")
    return out.getvalue()


def jpeg(width: int = 8, height: int = 8) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (183, 28, 28)).save(out, format="JPEG")
    return out.getvalue()


def decompression_bomb_png() -> bytes:
    """A small file that decodes to 20000×20000 pixels (Pillow warns above 89 Mpx)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def zip_bomb(size: int = 200 * 1024 * 1024) -> bytes:
    """A tiny .zip (and so a tiny 'xlsx') that expands to `size` bytes."""
    out = io.BytesIO()
    chunk = b"\x00" * (1024 * 1024)
    with (
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return out.getvalue()


def truncated_xlsx() -> bytes:
    data = roster_good()
    return data[: len(data) // 2]


def oversized(limit_bytes: int, *, head: bytes = TINY_PDF) -> bytes:
    """One byte over `limit_bytes`, starting like a real file of its kind."""
    return head + b"\n%" + b"0" * (limit_bytes + 1 - len(head) - 2)


def csv_gbk() -> bytes:
    """A roster saved as CSV by Chinese Excel: GBK, not UTF-8."""
    text = ",".join(ROSTER_HEADERS) + "\r\n" + ",".join(roster_row(1)) + "\r\n"
    return text.encode("gbk")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# name → (filename, the content type a browser would claim, bytes)
UPLOADS = {
    "real_pdf": ("请假条.pdf", "application/pdf", lambda: TINY_PDF),
    "real_png": ("证明.png", "image/png", png),
    "real_jpeg": ("诊断书.jpg", "image/jpeg", jpeg),
    "html_as_pdf": ("请假条.pdf", "application/pdf", lambda: HTML),
    "exe_as_jpg": ("照片.jpg", "image/jpeg", lambda: EXE),
    "elf_as_pdf": ("说明.pdf", "application/pdf", lambda: ELF),
    "svg_with_script": ("图.svg", "image/svg+xml", lambda: SVG_WITH_SCRIPT),
    "svg_as_png": ("图.png", "image/png", lambda: SVG_WITH_SCRIPT),
    "png_as_pdf": ("证明.pdf", "application/pdf", png),
    "pdf_as_xlsx": ("花名册.xlsx", XLSX_TYPE, lambda: TINY_PDF),
    "csv_as_xlsx": ("花名册.xlsx", XLSX_TYPE, csv_gbk),
    "truncated_xlsx": ("花名册.xlsx", XLSX_TYPE, truncated_xlsx),
    "empty": ("空文件.pdf", "application/pdf", lambda: b""),
    "double_extension": ("证明.pdf.exe", "application/pdf", lambda: EXE),
    "path_traversal_name": ("../../etc/passwd.pdf", "application/pdf", lambda: TINY_PDF),
    "script_in_filename": (SCRIPT + ".pdf", "application/pdf", lambda: TINY_PDF),
    "nul_in_filename": ("证明\x00.pdf", "application/pdf", lambda: TINY_PDF),
    "long_filename": ("很长" * 200 + ".pdf", "application/pdf", lambda: TINY_PDF),
}


def upload(name: str):
    """(filename, claimed content type, bytes) for one of UPLOADS."""
    filename, content_type, make = UPLOADS[name]
    return filename, content_type, make()


def uploaded_file(name: str):
    """The same as a Django SimpleUploadedFile, ready for a form or a test client post."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    filename, content_type, data = upload(name)
    return SimpleUploadedFile(filename, data, content_type=content_type)


# Spreadsheets by name, for make_corpus.py and parametrised tests.
SPREADSHEETS = {
    "roster_good": roster_good,
    "roster_wrong_headers": roster_wrong_headers,
    "roster_no_header_row": roster_no_header_row,
    "roster_empty_rows": roster_empty_rows,
    "roster_merged_cells": roster_merged_cells,
    "roster_formulas": roster_formulas,
    "roster_dates_as_text": roster_dates_as_text,
    "roster_10000_rows": roster_many_rows,
    "roster_duplicate_phones": roster_duplicate_phones,
    "roster_fullwidth_digits": roster_fullwidth_digits,
    "roster_hostile_names": roster_hostile_names,
    "roster_bad_phones": roster_bad_phones,
    "questions_hostile": questions_hostile,
    "questions_broken": questions_broken,
}
