"""Who reports: the two levels, their deadlines (条例 第四十九条), how an agency names itself."""

from __future__ import annotations

import datetime as dt

LEVELS: dict[str, str] = {
    "department": "县级以上人民政府部门",
    "government": "县级以上地方人民政府",
}
#: (month, day) of the following year by which each level must publish (条例 第四十九条).
DEADLINES: dict[str, tuple[int, int]] = {"department": (1, 31), "government": (3, 31)}

#: How an agency refers to itself, by the ending of its name; first match wins.
SELF_REFERENCES: tuple[tuple[str, str], ...] = (
    ("人民政府办公室", "本机关"),
    ("人民政府", "本机关"),
    ("委员会", "我委"),
    ("办公室", "我办"),
    ("管理局", "我局"),
    ("局", "我局"),
    ("厅", "我厅"),
    ("委", "我委"),
    ("办", "我办"),
    ("中心", "我中心"),
    ("院", "我院"),
    ("署", "我署"),
    ("处", "我处"),
)
DEFAULT_SELF_REFERENCE = "本机关"


def suggested_publication(year: int, level: str) -> dt.date:
    """A 落款 date comfortably before the deadline (1月20日 / 3月20日), for new files."""
    month, day = DEADLINES[level]
    return dt.date(year + 1, month, day - 11)


def level_for(name: str) -> str:
    """``government`` for a people's government (and its 办公室 reports as a department)."""
    return "government" if name.endswith("人民政府") else "department"


def self_reference_for(name: str) -> str:
    """The customary 我局/我委/本机关 for an agency name."""
    for ending, reference in SELF_REFERENCES:
        if name.endswith(ending):
            return reference
    return DEFAULT_SELF_REFERENCE
