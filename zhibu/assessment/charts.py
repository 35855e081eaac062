"""Server-drawn SVG charts for the district dashboard (no script, no CDN, no inline CSS: colours are
SVG presentation attributes, which the Content-Security-Policy allows). They scale to the page width
through the viewBox, so they read on a phone as on a desk."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

RED, GREY, GREEN, AMBER, INK = "#b71c1c", "#c9c9c9", "#2e7d32", "#f9a825", "#333"
FONT = 'font-family="sans-serif" font-size="12"'


def _text(x: float, y: float, text: str, *, anchor: str = "middle", fill: str = INK, size: int = 12) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-family="sans-serif" '
        f'font-size="{size}">{escape(text)}</text>'
    )


def monthly_chart(series: list[tuple[int, int, int]], *, title: str = "各月应开展与已开展的会议期次") -> SafeString:
    """Grouped bars per month: periods required (grey) and held (red), across the district."""
    width, height, left, bottom, top = 640, 260, 40, 36, 30
    plot_h = height - bottom - top
    peak = max([r for _m, r, _h in series] + [h for _m, _r, h in series] + [1])
    step = (width - left - 10) / 12
    bar = step * 0.36
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        _text(left, 16, title, anchor="start", size=13),
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        f'stroke="{INK}" stroke-width="1"/>',
        _text(left - 6, top + 4, str(peak), anchor="end", size=10),
        _text(left - 6, top + plot_h, "0", anchor="end", size=10),
    ]
    for month, required, held in series:
        x = left + (month - 1) * step + step * 0.12
        for i, (value, colour, name) in enumerate(((required, GREY, "应开展"), (held, RED, "已开展"))):
            h = plot_h * value / peak
            parts.append(
                f'<rect class="bar-{"required" if i == 0 else "held"}" '
                f'x="{x + i * bar:.1f}" y="{top + plot_h - h:.1f}" '
                f'width="{bar:.1f}" height="{h:.1f}" fill="{colour}"><title>{month}月{name} {value}</title></rect>'
            )
        parts.append(_text(x + bar, top + plot_h + 16, f"{month}月", size=11))
    lx = width - 170
    parts += [
        f'<rect x="{lx}" y="6" width="12" height="12" fill="{GREY}"/>',
        _text(lx + 16, 16, "应开展", anchor="start", size=11),
        f'<rect x="{lx + 70}" y="6" width="12" height="12" fill="{RED}"/>',
        _text(lx + 86, 16, "已开展", anchor="start", size=11),
        "</svg>",
    ]
    return mark_safe("".join(parts))


def tiers_chart(counts: list[tuple[str, int]], *, title: str = "考核档次分布") -> SafeString:
    """Horizontal bars: the number of branches in each tier (先进/中间/后进)."""
    colours = [GREEN, AMBER, RED]
    width, row, left = 640, 34, 60
    height = 30 + row * len(counts)
    peak = max([n for _l, n in counts] + [1])
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        _text(0, 16, title, anchor="start", size=13),
    ]
    for i, (label, n) in enumerate(counts):
        y = 26 + i * row
        w = (width - left - 60) * n / peak
        parts.append(_text(left - 8, y + 17, label, anchor="end"))
        parts.append(
            f'<rect class="tier-bar" x="{left}" y="{y}" width="{w:.1f}" height="{row - 10}" '
            f'fill="{colours[i % len(colours)]}"><title>{escape(label)} {n}</title></rect>'
        )
        parts.append(_text(left + w + 6, y + 17, f"{n}个", anchor="start"))
    parts.append("</svg>")
    return mark_safe("".join(parts))
