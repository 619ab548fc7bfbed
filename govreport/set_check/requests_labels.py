"""Table 三's labels in the Word template against the official format in ``official``.

The labels are typed into the template by hand, so a retyped one drifts (情况 for
情形) and the published table no longer matches the official format.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from .. import official as fmt
from ..rendering.word import Cell, body_tables
from .problem import TemplateProblem, excerpt
from .tags import ANY_TAG


def official_request_labels() -> list[str]:
    """Every label of table 三 as the official format prints it, top left to bottom right."""
    return [
        fmt.REQUESTS_CORNER,
        fmt.APPLICANT_HEADER,
        fmt.LEGAL_PERSON_HEADER,
        *(c.label for c in fmt.APPLICANT_COLUMNS),
        fmt.TOTAL.label,
        *(row.label for row in fmt.walk()),
    ]


def _plain(text: str) -> str:
    """A label without its spaces and line breaks, which Word layout adds freely."""
    return re.sub(r"\s+", "", text)


def table_problems(path: Path, label: str) -> list[TemplateProblem]:
    """Table 三's labels against ``official``: retyped labels drift (情况 for 情形)."""
    table = next((t for t in body_tables(path) if _is_requests_table(t)), None)
    if table is None:
        return [TemplateProblem(label, "", "找不到表三（收到和处理政府信息公开申请情况）")]
    expected = {_plain(text): text for text in official_request_labels()}
    found = [c for c in table if _plain(c.text) and not ANY_TAG.search(c.text)]
    seen = {_plain(c.text) for c in found}
    missing = [text for key, text in expected.items() if key not in seen]
    unknown = [c for c in found if _plain(c.text) not in expected]
    problems = _drifted(unknown, missing, label)
    problems += [
        TemplateProblem(label, f"正文表格 {table[0].table}", f"表三缺少官方标签“{text}”")
        for text in missing
    ]
    return problems


def _drifted(cells: list[Cell], missing: list[str], label: str) -> list[TemplateProblem]:
    """Each unofficial label, with the missing official one it most resembles; that one is
    taken off ``missing``, so it is not also reported as absent."""
    problems = []
    for cell in cells:
        close = difflib.get_close_matches(cell.text.strip(), missing, n=1, cutoff=0.5)
        hint = f"，官方表述为“{close[0]}”" if close else ""
        problems.append(
            TemplateProblem(
                label,
                f"正文{cell.where}",
                f"表三的标签“{excerpt(cell.text.strip())}”与官方格式不一致{hint}",
            )
        )
        if close:
            missing.remove(close[0])
    return problems


def _is_requests_table(cells: list[Cell]) -> bool:
    """Table 三 is found by its placeholders or by its corner and applicant headers."""
    texts = [c.text for c in cells]
    return any("requests." in t for t in texts) or any(
        _plain(t) in (_plain(fmt.REQUESTS_CORNER), fmt.APPLICANT_HEADER) for t in texts
    )
