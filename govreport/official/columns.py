"""A table column: the facts-file key and the official label, and the 总计 every table shares."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a table: the facts-file key and the official label."""

    key: str
    label: str


TOTAL = Column("total", "总计")
