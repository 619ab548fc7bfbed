"""Report PDFs made with Typst for the PDF layout tests: the layouts WPS and Word print
that LibreOffice from a template does not (a page starting with a heading and two short
paragraphs, a running header, table 三 drawn without ruling lines, a number set off
its column). Typst compiles one in a few tens of milliseconds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typst

from govreport import official as fmt

#: the text block is exactly this many characters of ``SIZE`` wide, so a paragraph
#: of the right length fills its last line to the margin
LINE_CHARS = 30
SIZE = 12
_FONT = "Noto Serif CJK SC"

#: table 三's rows as printed: (label, facts path or None for a group label)
TABLE_THREE: list[tuple[str, tuple[str, ...] | None]] = [
    (row.label, None if row.is_group else row.path) for row in fmt.REQUEST_ROWS
]


def _escape(text: str) -> str:
    return "".join(f"\\{c}" if c in "#*_[]$@<>`\\/=-+~\"'" else c for c in text)


def page_setup(header: str | None = None, width: int = LINE_CHARS) -> str:
    margin = 40
    head = f", header: align(center)[{_escape(header)}]" if header else ""
    return (
        f"#set page(width: {width * SIZE + 2 * margin}pt, height: 500pt, "
        f"margin: (x: {margin}pt, y: 50pt){head})\n"
        f'#set text(font: "{_FONT}", size: {SIZE}pt, lang: "zh")\n'
        "#set par(first-line-indent: (amount: 2em, all: true), justify: true, spacing: 0.65em)\n"
    )


def paragraphs(texts: Sequence[str]) -> str:
    return "".join(f"{_escape(text)}\n\n" for text in texts)


def filling(lines: int, mark: str = "文") -> str:
    """A paragraph that fills exactly ``lines`` lines: its last line ends at the margin."""
    return mark * (LINE_CHARS * lines - 3) + "。"


def table_three(
    cells: dict[int, list[str]],
    stroke: str = "none",
    shift: dict[int, float] | None = None,
    align: str = "center + horizon",
) -> str:
    """Table 三, its 7 value columns ``cells[row index]`` (``""``: blank), drawn with
    ``stroke`` and aligned by ``align``; ``shift`` moves a row's first number right by
    that many points."""
    columns = [c.label for c in fmt.REQUEST_COLUMNS]
    head = ", ".join(f"[{c}]" for c in ["", *columns])
    body = []
    for index, (label, path) in enumerate(TABLE_THREE):
        values = cells.get(index, [""] * len(columns)) if path else [""] * len(columns)
        shown = []
        for column, value in enumerate(values):
            text = _escape(value)
            if column == 0 and shift and index in shift:
                text = f"#move(dx: {shift[index]}pt)[{text}]"
            shown.append(f"[{text}]")
        body.append(f"[{_escape(label)}], " + ", ".join(shown))
    return (
        "#set text(size: 9pt)\n"
        f"#table(columns: (2.4fr, {', '.join(['1fr'] * len(columns))}), stroke: {stroke}, "
        f"align: {align}, inset: 4pt,\n  {head},\n  " + ",\n  ".join(body) + "\n)\n"
        f"#set text(size: {SIZE}pt)\n"
    )


def compile_pdf(source: str, path: Path) -> Path:
    path.write_bytes(typst.compile(source.encode()))
    return path
