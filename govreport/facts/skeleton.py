"""``govreport init``: a complete facts file with every key, zeros and Chinese comments.

The 落款 date is left commented out, as ``next`` leaves it: a date the user never
chose must not pass ``check`` (D3 reminds them to fill it in).

It is ``dump_facts`` of empty facts with ``every_key``: the same writer as
``import`` and ``next`` use, so a new file looks like every other facts file.
"""

from __future__ import annotations

from .. import official as fmt
from .loading import load
from .writer import dump_facts


def skeleton(name: str = "某某局", year: int = 2023, level: str | None = None) -> str:
    """The text of a ready-to-edit facts file for ``name`` and ``year``."""
    level = level or fmt.level_for(name)
    # No 落款 date: a made-up one would pass check; the writer comments a suggestion out.
    facts = load({"agency": {"name": name, "level": level}, "year": year})
    header = [
        f"格式：{fmt.FORMAT_SOURCE}。表格单元格不要留空、不要写“/”。",
        "正文留空的项目，生成报告时使用通用表述（govreport check 会提醒）。",
        "落款日期（published）已注释掉：定稿后去掉行首的“# ”并填写实际日期。",
    ]
    return dump_facts(facts, header=header, every_key=True)
