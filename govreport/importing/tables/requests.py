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
    CODE_MISSING,
    CODE_NOT_FOUND,
    CODE_NOT_IMPORTED,
    CODE_SPLIT,
    CODE_TRIAL,
    Cell,
    error,
    warning,
)
from ..labels import LabelIndex, Match, canon, norm
from ..runs import is_run, split_runs
from . import (
    PrintedCell,
    TableRead,
    Value,
    ambiguous_split,
    blank_warning,
    drift,
    is_value,
    match_at,
    set_path,
    split_values,
    values_after,
    whole,
)


@cache
def _request_index() -> LabelIndex:
    return LabelIndex([(row.label, row) for row in fmt.walk()])


_MAX_CANDIDATES = 50
_MAX_COMBINATIONS = 10_000
_COLUMN_TITLES = {canon(c.label) for c in fmt.REQUEST_COLUMNS}


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
        self.trial_other: tuple[fmt.RequestRow, list[Value], bool] | None = None
        # rows whose digits split more than one way: the splits, and the digits as printed
        self.ambiguous: dict[tuple[str, ...], tuple[list[tuple[int, ...]], str]] = {}

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
            if match.drift:
                self.result.problems.append(drift(match, text, ("requests", *row.path)))
            values, i = values_after(self.cells, i + used, cell.row)
            self._row(row, values, explicit=cell.row is not None)
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

    def _row(self, row: fmt.RequestRow, values: list[Value], explicit: bool) -> None:
        path = row.path
        if row.is_group:
            if path == fmt.TRIAL_OTHER_PROCESSING[:-1] and values:
                self.trial_other = (row, values, explicit)
            elif any(v.number for v in values):
                self.result.problems.append(
                    warning(
                        CODE_NOT_IMPORTED,
                        f"“{row.label}”行的数字未导入：它是各小项之和，由程序计算",
                        ("requests", *path),
                    )
                )
            return
        if not values and path in self.rows:
            return  # the label again, without numbers: the row read before stands
        numbers, stated = self._numbers(path, values, explicit)
        self.rows[path] = numbers
        if stated is not None:
            self.stated[path] = stated

    def _trial_other(self) -> None:
        """The 2019 trial format's single （六）其他处理 row, unless the 2021 sub-rows are there."""
        if self.trial_other is None:
            return
        row, values, explicit = self.trial_other
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
        self._row(target, values, explicit)

    def _numbers(
        self, path: tuple[str, ...], values: list[Value], explicit: bool
    ) -> tuple[dict[str, int], int | None]:
        where = ("requests", *path)
        if not values:  # the label stands alone: its numbers are elsewhere or lost
            self.result.problems.append(
                error(CODE_MISSING, "这一行的标签后面没有读到数字，按 0 填入，请对照原报告", where)
            )
            return {}, None
        by_key = self._by_column(values, explicit, where)
        numbers: dict[str, int] = {}
        blanks: list[str] = []
        for column in fmt.REQUEST_COLUMNS:
            value = by_key.get(column.key)
            if value is not None:
                self.result.keep((*where, column.key), value)
            if value is None or value.number is None:
                blanks.append(column.label)
                continue
            numbers[column.key] = whole(value, (*where, column.key), self.result.problems)
        if blanks and by_key:
            self.result.problems.append(blank_warning(where, blanks))
        stated = numbers.pop("total", None)
        return numbers, stated

    def _by_column(self, values: list[Value], explicit: bool, where: tuple) -> dict[str, Value]:
        keys = [c.key for c in fmt.REQUEST_COLUMNS]
        if len(set(self.header.values())) == len(keys) and all(
            v.cell.column in self.header for v in values
        ):
            return {self.header[v.cell.column]: v for v in values}  # type: ignore[index]
        texts = [norm(v.cell.text) for v in values]
        if len(values) != len(keys) and is_run(texts):
            answers = split_runs(texts, [len(keys)], True, limit=_MAX_CANDIDATES)
            if len(answers) > 1:  # settled, if at all, by the other rows (R1, R3)
                self.ambiguous[where[1:]] = (answers, " ".join(texts))
                return {}
        if len(values) != len(keys):
            split = split_values(values, [len(keys)], True, where, self.result.problems)
            if split is not None:
                return dict(zip(keys, split, strict=False))
        if len(values) in (len(keys), len(keys) - 1):
            return dict(zip(keys, values, strict=False))
        if not explicit and len(values) == 1:
            return {"total": values[0]}  # the applicant cells were blank and fell away
        if explicit and all(v.number is None for v in values):
            return {"total": values[0]}
        self.result.problems.append(
            error(
                CODE_MISSING,
                f"读到 {len(values)} 个数，应为 7 个（六类申请人和总计），无法确定各栏，按 0 填入",
                where,
            )
        )
        return {}

    def _finish(self) -> None:
        self._trial_other()
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
        """Rows whose digits split several ways under their own totals: the splits that,
        taken together, also make 勾稽关系 R1 and R3 hold with the other rows. A row is
        read when every such combination agrees on it; otherwise it is unreadable."""
        paths = list(self.ambiguous)
        choices = [self.ambiguous[p][0] for p in paths]
        fitting: list[tuple[tuple[int, ...], ...]] = []
        if math.prod(len(c) for c in choices) <= _MAX_COMBINATIONS and all(
            len(c) < _MAX_CANDIDATES for c in choices
        ):
            fitting = [
                c
                for c in itertools.product(*choices)
                if self._hold(dict(zip(paths, c, strict=True)))
            ]
        for index, path in enumerate(paths):
            answers, shown = self.ambiguous[path]
            where = ("requests", *path)
            settled = {combination[index] for combination in fitting}
            if len(settled) != 1:
                self.result.problems.append(ambiguous_split(shown, answers, True, where))
                continue
            numbers = settled.pop()
            for column, number in zip(fmt.REQUEST_COLUMNS, numbers, strict=True):
                cell_path = (*where, column.key)
                self.result.printed[cell_path] = PrintedCell(str(number), Decimal(number))
            self.rows[path] = dict(
                zip((c.key for c in fmt.APPLICANT_COLUMNS), numbers, strict=False)
            )
            self.stated[path] = numbers[-1]
            self.result.problems.append(
                warning(
                    CODE_SPLIT,
                    f"“{shown}”的数字连在一起，按本行总计有 {len(answers)} 种拆法，"
                    f"按表内勾稽关系（R1、R3）只有一种：{'、'.join(map(str, numbers))}，请核对",
                    where,
                )
            )

    def _hold(self, chosen: dict[tuple[str, ...], tuple[int, ...]]) -> bool:
        """Whether R1 and R3 hold with the rows ``chosen``, each of them checked at least once."""
        rows = {p: [n.get(c.key, 0) for c in fmt.APPLICANT_COLUMNS] for p, n in self.rows.items()}
        rows.update({p: list(numbers[:-1]) for p, numbers in chosen.items()})
        leaves = [r.path for r in fmt.result_rows()]
        identities: list[tuple[list[tuple[str, ...]], list[tuple[str, ...]]]] = [
            ([fmt.RESULT_TOTAL_PATH], leaves),
            (list(fmt.R1_LEFT), list(fmt.R1_RIGHT)),
        ]
        unchecked = set(chosen)
        for left, right in identities:
            involved = set(left) | set(right)
            if not involved <= set(rows) or not involved & set(chosen):
                continue
            unchecked -= involved
            for column in range(len(fmt.APPLICANT_COLUMNS)):
                if sum(rows[p][column] for p in left) != sum(rows[p][column] for p in right):
                    return False
        return not unchecked

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
