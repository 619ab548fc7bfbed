"""Table 二 (主动公开政府信息情况): four blocks of 第二十条, each with its own columns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .columns import Column


@dataclass(frozen=True)
class ProactiveCell:
    """One number of table 二."""

    path: tuple[str, ...]
    block: str
    row_label: str
    column_label: str
    decimal: bool = False

    @property
    def full_label(self) -> str:
        return f"二、{self.block} {self.row_label} · {self.column_label}"


@dataclass(frozen=True)
class ProactiveBlock:
    """A block of table 二: 第二十条第（X）项 with its column headers and rows."""

    article: str
    columns: tuple[Column, ...]
    rows: tuple[Column, ...]
    decimal: bool = False

    def cells(self) -> Iterator[ProactiveCell]:
        for row in self.rows:
            if len(self.columns) == 1:
                yield ProactiveCell(
                    ("proactive", row.key),
                    self.article,
                    row.label,
                    self.columns[0].label,
                    self.decimal,
                )
            else:
                for col in self.columns:
                    yield ProactiveCell(
                        ("proactive", row.key, col.key),
                        self.article,
                        row.label,
                        col.label,
                        self.decimal,
                    )


PROACTIVE_ITEM_HEADER = "信息内容"
DOCUMENT_COLUMNS: tuple[Column, ...] = (
    Column("issued", "本年制发件数"),
    Column("repealed", "本年废止件数"),
    Column("in_force", "现行有效件数"),
)
DECISIONS = (Column("count", "本年处理决定数量"),)
PROACTIVE_BLOCKS: tuple[ProactiveBlock, ...] = (
    ProactiveBlock(
        "第二十条第（一）项",
        DOCUMENT_COLUMNS,
        (Column("regulations", "规章"), Column("normative_documents", "行政规范性文件")),
    ),
    ProactiveBlock("第二十条第（五）项", DECISIONS, (Column("licensing", "行政许可"),)),
    ProactiveBlock(
        "第二十条第（六）项",
        DECISIONS,
        (Column("punishment", "行政处罚"), Column("coercion", "行政强制")),
    ),
    ProactiveBlock(
        "第二十条第（八）项",
        (Column("amount", "本年收费金额（单位：万元）"),),
        (Column("fees", "行政事业性收费"),),
        decimal=True,
    ),
)
PROACTIVE_CELLS: tuple[ProactiveCell, ...] = tuple(
    cell for block in PROACTIVE_BLOCKS for cell in block.cells()
)
