"""``govreport init``: a complete facts file with every key, zeros and Chinese comments.

Written from ``_format`` so that the comments carry the official labels and the
skeleton always has exactly the keys the schema accepts.
"""

from __future__ import annotations

import json

from . import _format as fmt

_ZERO_ROW = "[" + ", ".join("0" for _ in fmt.APPLICANT_COLUMNS) + "]"


def _q(text: str) -> str:
    """A YAML-safe double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def skeleton(name: str = "某某局", year: int = 2023) -> str:
    """The text of a ready-to-edit facts file for ``name`` and ``year``."""
    lines = [
        f"# {name}{year}年政府信息公开工作年度报告 · 事实文件",
        f"# 格式：{fmt.FORMAT_SOURCE}。表格中没有的数字保持 0，不要留空、不要写“/”。",
        "# 填好后运行：govreport check 本文件.yaml",
        "",
        f"format: {_q(fmt.FORMAT_VERSION)}",
        "agency:",
        f"  name: {_q(name)}              # 机关全称（标题、落款用）",
        f"  short_name: {_q(name)}        # 简称（正文用）",
        f"  self_reference: {_q(fmt.self_reference_for(name))}        # 自称：我局 / 我委 / 本机关",
        "  level: department           # department（部门，1月31日前公布）或 government（人民政府，3月31日前）",
        '  province: ""                # 所在省份，如 山东省（用于选择省级模板）',
        '  region: ""                  # 所在地区，如 泰安市泰山区',
        "  contact:                    # 联系方式（报告末尾，均可留空）",
    ]
    lines += [
        f'    {t.key}: ""' + " " * max(1, 14 - len(t.key)) + f"# {t.title}"
        for t in fmt.CONTACT_FIELDS
    ]
    lines += [
        f"year: {year}                  # 报告年度",
        f"published: {year + 1}-01-20      # 落款日期（报告年度结束后、公布期限前）",
        "",
        f"overview:                     # {fmt.SECTION_HEADINGS['overview']}（留空的项目由程序生成规范表述）",
        '  summary: ""                 # 开头的总体概述',
    ]
    lines += [
        f'  {t.key}: ""' + " " * max(1, 16 - len(t.key)) + f"# {t.title}"
        for t in fmt.OVERVIEW_TOPICS
    ]
    lines += ["", f"proactive:                    # 表二 {fmt.SECTION_HEADINGS['proactive']}"]
    lines += _proactive_lines()
    lines += [
        "",
        f"requests:                     # 表三 {fmt.SECTION_HEADINGS['requests']}",
        "  # 每行 6 个数依次为："
        + "、".join(c.label for c in fmt.APPLICANT_COLUMNS)
        + "；总计由程序计算",
    ]
    lines += _request_lines(fmt.REQUEST_TREE, 1)
    lines += [
        "",
        f"reviews:                      # 表四 {fmt.SECTION_HEADINGS['reviews']}（总计由程序计算）",
    ]
    for block in fmt.REVIEW_BLOCKS:
        counts = ", ".join(f"{c.key}: 0" for c in fmt.REVIEW_OUTCOMES)
        lines.append(f"  {block.key}: {{{counts}}}   # {block.full_label}")
    lines.append("  # upheld 结果维持 / corrected 结果纠正 / other 其他结果 / pending 尚未审结")
    lines += [
        "",
        f"problems:                     # {fmt.SECTION_HEADINGS['problems']}",
    ]
    lines += [
        f'  {t.key}: ""' + " " * max(1, 16 - len(t.key)) + f"# {t.title}"
        for t in fmt.PROBLEM_TOPICS
    ]
    lines += ["", f"other_matters:                # {fmt.SECTION_HEADINGS['other_matters']}"]
    lines += [
        f'  {t.key}: ""' + " " * max(1, 18 - len(t.key)) + f"# {t.title}"
        for t in fmt.OTHER_MATTER_TOPICS
    ]
    return "\n".join(lines) + "\n"


def _proactive_lines() -> list[str]:
    lines = []
    for block in fmt.PROACTIVE_BLOCKS:
        for row in block.rows:
            comment = f"# {block.article} {row.label}"
            if len(block.columns) > 1:
                cols = ", ".join(f"{c.key}: 0" for c in block.columns)
                names = " / ".join(f"{c.key} {c.label}" for c in block.columns)
                lines.append(f"  {row.key}: {{{cols}}}   {comment}（{names}）")
            else:
                lines.append(
                    f"  {row.key}: 0"
                    + " " * max(1, 22 - len(row.key))
                    + f"{comment} · {block.columns[0].label}"
                )
    return lines


def _request_lines(rows: tuple[fmt.RequestRow, ...], depth: int) -> list[str]:
    lines = []
    indent = "  " * depth
    for row in rows:
        if row.computed:
            lines.append(f"{indent}# {row.label}：由程序计算")
        elif row.is_group:
            lines.append(
                f"{indent}{row.key}:" + " " * max(1, 26 - len(indent + row.key)) + f"# {row.label}"
            )
            lines += _request_lines(row.children, depth + 1)
        else:
            lines.append(
                f"{indent}{row.key}: {_ZERO_ROW}"
                + " " * max(1, 8 - len(row.key))
                + f"# {row.label}"
            )
    return lines
