"""The 公文 fonts: which this machine has, and what the PDF uses in place of the rest.

The Word template names the fonts GB/T 9704 asks for (方正小标宋简体 title, 仿宋_GB2312
body, 黑体 and 楷体_GB2312 headings, 宋体 tables and page numbers). Word and WPS on
a government PC have them; a Linux server usually has none, and LibreOffice then
prints with the faces ``pdf.soffice`` maps them to. That is fine for checking a
report, not for publishing it, so the PDF step says once which faces it used,
and ``govreport doctor`` lists the whole picture. fontconfig (``fc-list``,
``fc-match``) answers both; where it is missing (Windows, macOS) nothing is said.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import click

from ..console import say

#: The fonts the national template names, and what each is for.
OFFICIAL_FONTS: dict[str, str] = {
    "方正小标宋简体": "标题",
    "仿宋_GB2312": "正文",
    "黑体": "一级标题“一、”",
    "楷体_GB2312": "二级标题“（一）”",
    "宋体": "表格、页码",
    "Times New Roman": "数字和西文",
}
_TIMEOUT = 20


@dataclass(frozen=True)
class FontStatus:
    """One official font: installed, or the face the PDF will use instead."""

    name: str
    role: str
    installed: bool
    substitute: str | None  # the face fontconfig picks for the PDF; None: unknown

    def describe(self) -> str:
        if self.installed:
            return f"{self.name}（{self.role}）：已安装"
        instead = f"PDF 中用 {self.substitute} 代替" if self.substitute else "PDF 中的代替字体未知"
        return f"{self.name}（{self.role}）：未安装，{instead}"


def have_fontconfig() -> bool:
    return shutil.which("fc-list") is not None and shutil.which("fc-match") is not None


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.decode("utf-8", errors="replace")


def installed_families() -> set[str]:
    """Every family name fontconfig knows (each font's names in every language)."""
    names: set[str] = set()
    for line in _run(["fc-list", ":", "family"]).splitlines():
        names.update(part.strip() for part in line.split(",") if part.strip())
    return names


@cache
def font_report() -> tuple[FontStatus, ...]:
    """Each official font's status on this machine; empty without fontconfig."""
    if not have_fontconfig():
        return ()
    families = installed_families()
    # named after this process, so a run killed meanwhile leaves nothing the next keeps
    with tempfile.TemporaryDirectory(prefix=f"govreport-fonts-{os.getpid()}-") as work:
        env = soffice_environment(Path(work))
        statuses = []
        for name, role in OFFICIAL_FONTS.items():
            found = name in families
            picked = _run(["fc-match", "-f", "%{family[0]}", name], env).strip() or None
            statuses.append(FontStatus(name, role, found, None if found else picked))
    return tuple(statuses)


def substitutions() -> dict[str, str]:
    """Official font → the face the PDF uses instead, for the fonts this machine lacks."""
    return {s.name: s.substitute or "未知字体" for s in font_report() if not s.installed}


_warned = False
_warning = threading.Lock()  # a batch converts on several threads at once


def warn_substitutions_once() -> None:
    """Say once per process which faces stand in for missing 公文 fonts in the PDF."""
    global _warned
    with _warning:
        if _warned:
            return
        _warned = True
    missing = substitutions()
    if not missing:
        return
    pairs = "，".join(f"{name} → {face}" for name, face in missing.items())
    say(
        click.style("提示：", fg="yellow") + f"本机没有部分公文字体，PDF 中已用代替字体：{pairs}。"
        "Word 文件中的字体设置不变，在装有这些字体的电脑上用 Word/WPS 打开即为标准字体；"
        "运行 govreport doctor 查看详情",
        err=True,
    )


# What Word on a government PC uses, and what a Linux server most likely has in
# its place (fonts-noto-cjk, fonts-arphic-*, fonts-wqy-*). Without this,
# fontconfig picks the first CJK font it knows, often one with Japanese forms.
_FONT_SUBSTITUTES = {
    "仿宋_GB2312": ("FangSong", "仿宋", "Noto Serif CJK SC", "AR PL UMing CN"),
    "仿宋": ("FangSong", "Noto Serif CJK SC", "AR PL UMing CN"),
    "方正小标宋简体": ("FZXiaoBiaoSong-B05S", "SimSun", "Noto Serif CJK SC", "AR PL UMing CN"),
    "宋体": ("SimSun", "Noto Serif CJK SC", "AR PL UMing CN"),
    "楷体_GB2312": ("KaiTi", "楷体", "AR PL UKai CN", "Noto Serif CJK SC"),
    "楷体": ("KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    "黑体": ("SimHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei"),
    # digits: metric-compatible faces first; DejaVu's wide digits overflow table cells
    "Times New Roman": ("Liberation Serif", "Tinos", "Noto Serif CJK SC"),
}
_SYSTEM_FONTCONFIG = Path("/etc/fonts/fonts.conf")


def soffice_environment(work: Path) -> dict[str, str]:
    """LibreOffice's environment: on Linux, with the official fonts mapped to what is installed."""
    env = dict(os.environ)
    if os.name != "posix" or not _SYSTEM_FONTCONFIG.is_file():
        return env
    aliases = "".join(
        f'<alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{family}</family>" for family in prefer)
        + "</prefer></alias>"
        for name, prefer in _FONT_SUBSTITUTES.items()
    )
    config = work / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f'<include ignore_missing="yes">{_SYSTEM_FONTCONFIG}</include>{aliases}</fontconfig>',
        encoding="utf-8",
    )
    env["FONTCONFIG_FILE"] = str(config)
    return env
