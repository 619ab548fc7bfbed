"""Table 三 (收到和处理政府信息公开申请情况): rows by label, seven numbers each."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import Any

from ... import official as fmt
from ..base import (
    CODE_BLANK,
    CODE_MISSING,
    CODE_NOT_FOUND,
    CODE_NOT_IMPORTED,
    CODE_SPLIT,
    CODE_TRIAL,
    Cell,
    error,
    warning,
)
from ..labels import LabelIndex, Match, canon, norm, split_number
from ..runs import is_run, split_runs
from . import (
    TableRead,
    Value,
    blank_warning,
    drift,
    is_value,
    match_at,
    set_path,
    trimmed,
    values_after,
    whole,
)
from .readings import (
    Reading,
    Unsettled,
    agreed,
    hold,
    numbers_of,
    readings,
    shown,
    split_reading,
    split_unless_doubted,
)


@cache
def _request_index() -> LabelIndex:
    return LabelIndex([(row.label, row) for row in fmt.walk()])


_MAX_CANDIDATES = 50
_MAX_COMBINATIONS = 10_000
_COLUMN_TITLES = {canon(c.label) for c in fmt.REQUEST_COLUMNS}


def _single_other(text: str, row: fmt.RequestRow) -> bool:
    """``（六）其他`` written as one row: the 2019 trial layout's （六）其他处理, not the row
    （六）3.其他 (whose numbering is 3.)."""
    group = fmt.REQUEST_ROW_BY_PATH[fmt.TRIAL_OTHER_PROCESSING[:-1]]
    number, _ = split_number(norm(text))
    return (
        row.path == fmt.TRIAL_OTHER_PROCESSING
        and number is not None
        and number == split_number(norm(group.label))[0]
    )


def read_requests(cells: Sequence[Cell]) -> TableRead:
    """Table 三 (25 rows × 6 applicant columns, 总计 per row)."""
    reader = _RequestReader(cells)
    reader.read()
    return reader.result


class _RequestReader:
    def __init__(self, cells: Sequence[Cell]):
        self.cells = cells
        self.result = TableRead()
        self.header: dict[int, str] = {}
        self.rows: dict[tuple[str, ...], dict[str, int]] = {}
        self.stated: dict[tuple[str, ...], int] = {}
        self.started = False
        self.trial_other: tuple[fmt.RequestRow, list[Value]] | None = None
        # rows the row alone cannot settle: their readings, for R1 and R3 to try
        self.ambiguous: dict[tuple[str, ...], Unsettled] = {}
        self.unread: set[tuple[str, ...]] = set()  # rows found and not read: never taken as 0
        self.bare: set[tuple[str, ...]] = set()  # labels met without a number after them

    def read(self) -> None:
        i = 0
        while i < len(self.cells):
            cell = self.cells[i]
            if is_value(cell):
                i += 1
                continue
            match, used = match_at(_request_index(), self.cells, i, self._acceptable)
            if match is not None and self._repeated_header(i, used):
                match = None
            if match is None:
                self._header_cell(cell)
                i += 1
                continue
            self.started = True
            row: fmt.RequestRow = match.target  # type: ignore[assignment]
            text = "".join(c.text for c in self.cells[i : i + used])
            if _single_other(text, row):  # （六）其他 as one row: the 2019 layout of （六）
                row = fmt.REQUEST_ROW_BY_PATH.get(fmt.TRIAL_OTHER_PROCESSING[:-1], row)
            elif match.drift:
                self.result.problems.append(drift(match, text, ("requests", *row.path)))
            values, i = values_after(self.cells, i + used, cell.row)
            self._row(row, values)
        self._finish()

    def _repeated_header(self, i: int, used: int) -> bool:
        """A bare 其他 or 总计 with no number after it: the column header again (a table
        printed over two pages repeats its header), not the row （六）3.其他 or （七）总计."""
        text = "".join(c.text for c in self.cells[i : i + used])
        if canon(text) not in _COLUMN_TITLES:
            return False
        row = self.cells[i].row
        for following in self.cells[i + used :]:
            if row is not None and following.row is not None and following.row != row:
                return True  # its row ends without a number
            if not is_value(following):
                return True
            if following.text.strip():
                return False  # a number follows: the row 其他 or 总计 written bare
        return True

    def _acceptable(self, match: Match) -> bool:
        """Before the first row, 其他 and 总计 are column headers, not rows."""
        row: fmt.RequestRow = match.target  # type: ignore[assignment]
        return self.started or canon(row.title) not in _COLUMN_TITLES

    def _header_cell(self, cell: Cell) -> None:
        if self.started or cell.column is None:
            return
        for column in fmt.REQUEST_COLUMNS:
            if canon(cell.text) == canon(column.label):
                self.header[cell.column] = column.key

    def _row(self, row: fmt.RequestRow, values: list[Value]) -> None:
        path = row.path
        if row.is_group:
            if path == fmt.TRIAL_OTHER_PROCESSING[:-1] and values:
                self.trial_other = (row, values)
            elif any(v.number for v in values):
                self.result.problems.append(
                    warning(
                        CODE_NOT_IMPORTED,
                        f"“{row.label}”行的数字未导入：它是各小项之和，由程序计算",
                        ("requests", *path),
                    )
                )
            return
        if not values:  # a label alone: the row may come again with its numbers
            self.bare.add(path)
            return
        numbers, stated = self._numbers(path, values)
        self.rows[path] = numbers
        if stated is not None:
            self.stated[path] = stated

    def _trial_other(self) -> None:
        """The 2019 trial format's single （六）其他处理 row, unless the 2021 sub-rows are there."""
        if self.trial_other is None:
            return
        row, values = self.trial_other
        target = fmt.REQUEST_ROW_BY_PATH[fmt.TRIAL_OTHER_PROCESSING]
        if any(path[: len(row.path)] == row.path for path in self.rows):
            if any(v.number for v in values):
                self.result.problems.append(
                    warning(
                        CODE_NOT_IMPORTED,
                        f"“{row.label}”行的数字未导入：它是各小项之和，由程序计算",
                        ("requests", *row.path),
                    )
                )
            return
        self.result.trial = True
        self.result.problems.append(
            warning(
                CODE_TRIAL,
                f"“{row.label}”只有一行数字（{fmt.TRIAL_FORMAT_SOURCE}试行格式），"
                f"已按“{target.full_label}”读入",
                ("requests", *target.path),
            )
        )
        self._row(target, values)

    def _numbers(
        self, path: tuple[str, ...], values: list[Value]
    ) -> tuple[dict[str, int], int | None]:
        placed = self._placed(path, values)
        if placed is None:
            if path not in self.ambiguous:
                self.unread.add(path)
            return {}, None
        return self._store(("requests", *path), *placed)

    def _store(
        self, where: tuple[str, ...], cells: Sequence[Value | None], unsure: list[int]
    ) -> tuple[dict[str, int], int | None]:
        """A row's cells as read (``None``: blank, vanished from the text) into numbers;
        ``unsure`` columns are those where a 0 was printed or a blank vanished, no telling which."""
        numbers: dict[str, int] = {}
        blanks: list[str] = []
        for index, (column, value) in enumerate(zip(fmt.REQUEST_COLUMNS, cells, strict=True)):
            if index in unsure:
                continue
            if value is None:  # vanished from the text: printed blank
                self.result.keep((*where, column.key), Value(Cell(""), None))
            else:
                self.result.keep((*where, column.key), value)
            if value is None or value.number is None:
                blanks.append(column.label)
                continue
            numbers[column.key] = whole(value, (*where, column.key), self.result.problems)
        if blanks:
            self.result.problems.append(blank_warning(where, blanks))
        if unsure:
            labels = [fmt.REQUEST_COLUMNS[i].label for i in unsure]
            self.result.problems.append(
                warning(
                    CODE_BLANK,
                    f"本行有空白格在文字中消失，不能确定是{'、'.join(labels)}中的哪一格"
                    "（这几格的数字都是 0），按 0 读入（表格每格都应填写数字，R9）",
                    where,
                )
            )
        stated = numbers.pop("total", None)
        return numbers, stated

    def _placed(
        self, path: tuple[str, ...], values: list[Value]
    ) -> tuple[list[Value | None], list[int]] | None:
        """The row's cell in each column, where the row itself makes it certain; ``None``
        when it does not (reported, or left to ``_settle`` to try R1 and R3)."""
        where = ("requests", *path)
        keys = [c.key for c in fmt.REQUEST_COLUMNS]
        if len(set(self.header.values())) == len(keys) and all(
            v.cell.column in self.header for v in values
        ):
            by_key = {self.header[v.cell.column]: v for v in values}  # type: ignore[index]
            return [by_key.get(k) for k in keys], []
        values = trimmed(values, len(keys))
        if len(values) == len(keys):
            return list(values), []
        texts = [norm(v.cell.text) for v in values]
        whole = any(v.cell.whole for v in values)  # numbers seen apart: no run to split
        if is_run(texts) and sum(len(t) for t in texts) >= len(keys) and not whole:
            answers = split_runs(texts, [len(keys)], True, limit=_MAX_CANDIDATES)
            if len(answers) > 1:  # settled, if at all, by the other rows (R1, R3)
                options = [split_reading(values, a) for a in answers]
                self.ambiguous[path] = Unsettled(options, " ".join(texts))
                return None
            split = split_unless_doubted(values, [len(keys)], where, self.result.problems)
            if split:
                return list(split), []
        if len(values) < len(keys) and values[0].cell.row is None:
            # text that lost its rows also loses blank cells; a source that kept rows
            # keeps them, so a short row there was cut off: its cells are unknown
            options = readings(values, len(keys))
            printed_total = any(o[-1] is not None for o in options)
            if len({numbers_of(o) for o in options}) == 1 and printed_total:
                return agreed(options)
            self.ambiguous[path] = Unsettled(options, None, len(values))
            return None
        self.result.problems.append(
            error(
                CODE_MISSING,
                f"读到 {len(values)} 个数，应为 7 个（六类申请人和总计），无法确定各栏，按 0 填入",
                where,
            )
        )
        return None

    def _finish(self) -> None:
        self._trial_other()
        for path in sorted(self.bare - set(self.rows)):  # the label never came with numbers
            self.rows[path] = {}
            self.unread.add(path)
            self.result.problems.append(
                error(
                    CODE_MISSING,
                    "这一行的标签后面没有读到数字，按 0 填入，请对照原报告",
                    ("requests", *path),
                )
            )
        self._settle()
        self.result.found = bool(self.rows)
        if not self.rows:
            self.result.problems.append(
                error(
                    CODE_NOT_FOUND, "没有找到表三（收到和处理政府信息公开申请情况）", ("requests",)
                )
            )
            return
        data: dict[str, Any] = {}
        for row in fmt.REQUEST_ROWS:
            if row.computed:
                continue
            numbers = self.rows.get(row.path)
            if numbers is None:
                if not (self.result.trial and row.path[:2] == fmt.TRIAL_OTHER_PROCESSING[:2]):
                    self.result.problems.append(
                        error(
                            CODE_MISSING,
                            "表三中没有找到这一行，按 0 填入",
                            ("requests", *row.path),
                        )
                    )
                numbers = {}
            set_path(data, row.path, self._row_value(row.path, numbers))
        self._results_total(data)
        self.result.data = data

    def _settle(self) -> None:
        """Rows that can be read several ways (digits that split several ways under their
        own totals, or cells that vanished): the readings that, taken together, also make
        勾稽关系 R1 and R3 hold with the other rows. A row is read when every such
        combination agrees on its numbers; otherwise it is unreadable."""
        paths = list(self.ambiguous)
        choices = [self.ambiguous[p].options for p in paths]
        fitting: list[tuple[Reading, ...]] = []
        if math.prod(len(c) for c in choices) <= _MAX_COMBINATIONS and all(
            len(c) < _MAX_CANDIDATES for c in choices
        ):
            fitting = [
                c
                for c in itertools.product(*choices)
                if self._hold({p: numbers_of(r) for p, r in zip(paths, c, strict=True)})
            ]
        for index, path in enumerate(paths):
            unsettled = self.ambiguous[path]
            where = ("requests", *path)
            settled = {numbers_of(combination[index]) for combination in fitting}
            if len(settled) != 1:
                self.result.problems.append(unsettled.unreadable(where))
                continue
            numbers = settled.pop()
            options = [o for o in unsettled.options if numbers_of(o) == numbers]
            cells, unsure = agreed(options)
            self.rows[path], stated = self._store(where, cells, unsure)
            if stated is not None:
                self.stated[path] = stated
            self.result.problems.append(
                warning(
                    CODE_SPLIT,
                    f"{unsettled.what()}有 {len(unsettled.options)} 种读法，"
                    f"按表内勾稽关系（R1、R3）只有一种：{shown(cells)}，请核对",
                    where,
                )
            )

    def _hold(self, chosen: dict[tuple[str, ...], tuple[Decimal, ...]]) -> bool:
        return hold(self.rows, self.unread, chosen)

    def _row_value(self, path: tuple[str, ...], numbers: dict[str, int]) -> Any:
        applicants = [numbers.get(c.key, 0) for c in fmt.APPLICANT_COLUMNS]
        stated = self.stated.get(path)
        if stated is None or stated == sum(applicants):
            return applicants
        value: dict[str, int] = {
            c.key: n for c, n in zip(fmt.APPLICANT_COLUMNS, applicants, strict=True)
        }
        value["total"] = stated
        return value

    def _results_total(self, data: dict[str, Any]) -> None:
        """（七）总计 as the report states it, kept only where it breaks R3."""
        path = fmt.RESULT_TOTAL_PATH
        numbers = self.rows.get(path)
        if numbers is None:
            return
        sums = [0] * len(fmt.APPLICANT_COLUMNS)
        for row in fmt.result_rows():
            found = self.rows.get(row.path, {})
            sums = [
                s + found.get(c.key, 0) for s, c in zip(sums, fmt.APPLICANT_COLUMNS, strict=True)
            ]
        stated = [numbers.get(c.key, 0) for c in fmt.APPLICANT_COLUMNS]
        total = self.stated.get(path)
        if stated != sums or (total is not None and total != sum(sums)):
            value = {c.key: n for c, n in zip(fmt.APPLICANT_COLUMNS, stated, strict=True)}
            if total is not None:
                value["total"] = total
            set_path(data, path, value)
