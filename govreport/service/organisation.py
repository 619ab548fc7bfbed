"""Agencies and rounds: the list a 政务公开办 already keeps, and the yearly round.

The list is an .xlsx or .csv with the columns 名称, 简称, 层级 (部门 / 政府, or
the facts file's ``department`` / ``government``) and 上级 (the parent's name,
empty at the top). Opening round N creates one report per agency, 未开始.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import official as fmt
from ..errors import InputError
from .models import Agency, Report, Round

MAX_LIST_BYTES = 5 * 1024 * 1024
MAX_AGENCIES = 20_000
COLUMNS = {
    "名称": "name",
    "机关名称": "name",
    "简称": "short_name",
    "层级": "level",
    "上级": "parent",
}
LEVEL_WORDS = {
    "部门": "department",
    "政府": "government",
    **{key: key for key in fmt.LEVELS},
    **{label: key for key, label in fmt.LEVELS.items()},
}


def level_of(text: str, name: str) -> str:
    text = text.strip()
    if not text:
        return fmt.level_for(name)
    if text not in LEVEL_WORDS:
        raise InputError(f"机关“{name}”的层级“{text}”无法识别，应为“部门”或“政府”")
    return LEVEL_WORDS[text]


def read_rows(data: bytes, suffix: str) -> list[dict[str, str]]:
    """The list's rows by column (名称, 简称, 层级, 上级); a header row names the columns."""
    if len(data) > MAX_LIST_BYTES:
        raise InputError("机关名单文件过大（不能超过 5 MB）")
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
        rows: Iterable[list[str]] = csv.reader(io.StringIO(text))
    elif suffix == ".xlsx":
        rows = _xlsx_rows(data)
    else:
        raise InputError("机关名单应是 .xlsx 或 .csv 文件")
    return list(_by_header(rows))


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        raise InputError("无法读取机关名单：不是有效的 .xlsx 文件") from None
    sheet = book.worksheets[0]
    for count, row in enumerate(sheet.iter_rows(values_only=True)):
        if count > MAX_AGENCIES:
            raise InputError(f"机关名单超过 {MAX_AGENCIES} 行")
        yield ["" if v is None else str(v) for v in row]
    book.close()


def _by_header(rows: Iterable[list[str]]) -> Iterator[dict[str, str]]:
    header: list[str | None] | None = None
    for number, row in enumerate(rows, 1):
        if header is None:
            header = [COLUMNS.get(cell.strip()) for cell in row]
            if "name" not in header:
                raise InputError(
                    "机关名单第 1 行应是表头，至少有“名称”一列（可选：简称、层级、上级）"
                )
            continue
        found = {key: (cell or "").strip() for key, cell in zip(header, row, strict=False) if key}
        if found.get("name"):
            found["line"] = str(number)
            yield found


def import_agencies(session: Session, rows: list[dict[str, str]]) -> tuple[int, int]:
    """Create or update the agencies listed; (created, updated). Parents may come later
    in the list; a parent that is neither listed nor known is an error naming the line."""
    known = {a.name: a for a in session.scalars(select(Agency))}
    created = updated = 0
    for row in rows:
        name = row["name"]
        level = level_of(row.get("level", ""), name)
        agency = known.get(name)
        if agency is None:
            agency = Agency(name=name, short_name=row.get("short_name", ""), level=level)
            session.add(agency)
            known[name] = agency
            created += 1
        else:
            agency.level = level
            agency.short_name = row.get("short_name", "") or agency.short_name
            updated += 1
    session.flush()
    for row in rows:
        parent = row.get("parent", "")
        if parent and parent not in known:
            raise InputError(f"第 {row['line']} 行：上级“{parent}”不在名单中，也不是已有的机关")
        known[row["name"]].parent_id = known[parent].id if parent else None
    return created, updated


def deadlines(year: int) -> tuple[dt.date, dt.date]:
    """(departments, governments): 31 January and 31 March of the year after (条例 第四十九条)."""
    (dm, dd), (gm, gd) = fmt.DEADLINES["department"], fmt.DEADLINES["government"]
    return dt.date(year + 1, dm, dd), dt.date(year + 1, gm, gd)


def open_round(session: Session, year: int) -> tuple[Round, int]:
    """Round ``year`` with a report 未开始 for every agency (added ones get theirs too)."""
    if not fmt.MIN_YEAR <= year <= fmt.MAX_YEAR:
        raise InputError(f"年度应在 {fmt.MIN_YEAR}—{fmt.MAX_YEAR} 之间")
    found = session.scalar(select(Round).where(Round.year == year))
    if found is None:
        departments, governments = deadlines(year)
        found = Round(year=year, department_deadline=departments, government_deadline=governments)
        session.add(found)
        session.flush()
    have = set(session.scalars(select(Report.agency_id).where(Report.round_id == found.id)))
    added = 0
    for agency_id in session.scalars(select(Agency.id)):
        if agency_id not in have:
            session.add(Report(agency_id=agency_id, round_id=found.id))
            added += 1
    return found, added


def deadline_for(round_: Round, level: str) -> dt.date:
    return round_.government_deadline if level == "government" else round_.department_deadline
