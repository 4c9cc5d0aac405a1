"""Charts drawn on the server as inline SVG: no script, no CDN, text in the page's own font.

Horizontal bars keep Chinese labels upright and legible whatever their length; every chart
carries a <title> and an aria-label, and the page shows the same figures as a table.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = 'font-family="inherit"'
TEXT = "#24272a"
MUTED = "#5c6870"
GRID = "#e6e8eb"
COLOURS = {
    "present": "#2e7d32",
    "late": "#f9a825",
    "left_early": "#ef6c00",
    "on_leave": "#1e88e5",
    "absent": "#c62828",
    "bar": "#007d7e",
    "fail": "#c62828",
}


def _text_width(label: str, size: int) -> float:
    """A label's width: CJK glyphs are square, Latin ones about half as wide."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in label)


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    t = escape(title)
    return mark_safe(  # noqa: S308 - every label and value is escaped above
        f'<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{t}" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px;font-family:inherit" {FONT}>'
        f"<title>{t}</title>{''.join(body)}</svg>"
    )


def hbar_chart(
    items: list[tuple[str, float | None]],
    *,
    title: str,
    maximum: float | None = None,
    suffix: str = "",
    width: int = 640,
    empty: str = "",
) -> SafeString:
    """One horizontal bar per item: label on the left, value at the bar's end."""
    size, row = 14, 28
    if not items:
        return _empty(title, empty, width)
    label_w = min(max(_text_width(label, size) for label, _ in items) + 12, width * 0.4)
    top = maximum or max((v or 0) for _, v in items) or 1
    plot_w = width - label_w - 70
    body = []
    for i, (label, value) in enumerate(items):
        y = i * row + 6
        bar = 0 if value is None else max(plot_w * min(value, top) / top, 1)
        body.append(
            f'<text x="{label_w - 8:.0f}" y="{y + 15}" text-anchor="end" font-size="{size}" '
            f'fill="{TEXT}">{escape(label)}</text>'
            f'<rect x="{label_w:.0f}" y="{y}" width="{plot_w:.0f}" height="20" fill="{GRID}" />'
            f'<rect x="{label_w:.0f}" y="{y}" width="{bar:.1f}" height="20" '
            f'fill="{COLOURS["bar"]}" />'
            f'<text x="{label_w + bar + 6:.0f}" y="{y + 15}" font-size="13" fill="{MUTED}">'
            f"{'—' if value is None else escape(f'{value:g}{suffix}')}</text>"
        )
    return _svg(width, len(items) * row + 10, title, body)


def stacked_hbar_chart(
    rows: list[dict],
    *,
    series: list[tuple[str, str]],
    title: str,
    width: int = 640,
    empty: str = "",
) -> SafeString:
    """Horizontal stacked bars (one per row) with a legend: attendance by session.

    A row `{"heading": text}` is a group title across the chart (the class the sessions
    below it belong to), not a bar."""
    size, row = 13, 26
    bars = [r for r in rows if "heading" not in r]
    if not bars:
        return _empty(title, empty, width)
    label_w = min(max(_text_width(r["label"], size) for r in bars) + 12, width * 0.4)
    top = max(sum(r[k] for k, _ in series) for r in bars) or 1
    plot_w = width - label_w - 50
    legend_h = 28
    body = []
    x = 0.0
    for key, name in series:
        body.append(
            f'<rect x="{x:.0f}" y="4" width="14" height="14" fill="{COLOURS[key]}" />'
            f'<text x="{x + 18:.0f}" y="16" font-size="13" fill="{TEXT}">{escape(name)}</text>'
        )
        x += 18 + _text_width(str(name), 13) + 16
    for i, r in enumerate(rows):
        y = legend_h + i * row
        if "heading" in r:
            body.append(
                f'<text x="0" y="{y + 17}" font-size="{size}" font-weight="600" '
                f'fill="{TEXT}">{escape(_fit(r["heading"], size, width))}'
                f"<title>{escape(r['heading'])}</title></text>"
            )
            continue
        body.append(
            f'<text x="{label_w - 8:.0f}" y="{y + 14}" text-anchor="end" font-size="{size}" '
            f'fill="{TEXT}">{escape(r["label"])}</text>'
        )
        x = label_w
        total = 0
        for key, name in series:
            n = r[key]
            total += n
            w = plot_w * n / top
            if w:
                body.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" '
                    f'fill="{COLOURS[key]}"><title>{escape(name)} {n}</title></rect>'
                )
            x += w
        body.append(
            f'<text x="{x + 6:.0f}" y="{y + 14}" font-size="12" fill="{MUTED}">{total}</text>'
        )
    return _svg(width, legend_h + len(rows) * row + 6, title, body)


def _fit(text: str, size: int, width: float) -> str:
    """`text` cut with … to fit `width` at font `size` (a class name as a group title)."""
    if _text_width(text, size) <= width:
        return text
    while text and _text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def column_chart(
    items: list[dict], *, title: str, width: int = 640, height: int = 220, empty: str = ""
) -> SafeString:
    """Vertical columns with short labels underneath: the score distribution."""
    if not items or not any(i["n"] for i in items):
        return _empty(title, empty, width)
    top = max(i["n"] for i in items) or 1
    n = len(items)
    left, bottom, gap = 10, 40, 8
    col_w = (width - left * 2) / n
    plot_h = height - bottom - 20
    body = [
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" '
        f'stroke="{GRID}" />'
    ]
    for i, item in enumerate(items):
        h = plot_h * item["n"] / top
        x = left + i * col_w + gap / 2
        y = height - bottom - h
        colour = COLOURS["fail"] if item.get("fail") else COLOURS["bar"]
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w - gap:.1f}" height="{h:.1f}" '
            f'fill="{colour}" />'
            f'<text x="{x + (col_w - gap) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
            f'font-size="12" fill="{MUTED}">{item["n"]}</text>'
            f'<text x="{x + (col_w - gap) / 2:.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle" font-size="12" fill="{TEXT}">{escape(item["label"])}</text>'
        )
    return _svg(width, height, title, body)


def _empty(title: str, message: str, width: int) -> SafeString:
    return _svg(
        width,
        40,
        title,
        [f'<text x="0" y="24" font-size="14" fill="{MUTED}">{escape(message)}</text>'],
    )
