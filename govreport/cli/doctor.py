"""``govreport doctor``: what this machine has for printing a report, in plain words.

A user whose PDF "looks wrong" needs to know whether the 公文 fonts, Typst,
LibreOffice and pandoc are there, and what the PDF looks like without them. Always
exit 0: this is a report, not a check that fails.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import click
from rich.markup import escape

from ..console import out
from ..errors import ConversionError
from ..pdf.fonts import OFFICIAL_FONTS, font_report, have_fontconfig
from ..pdf.soffice import have_libreoffice
from ..pdf.typst_fonts import ROLES, font_plan
from ..rendering.formats import INSTALL_PANDOC, MIN_PANDOC, pandoc_version
from .options import font_path_option

_OK, _MISSING = "[green]✓[/]", "[yellow]✗[/]"


@click.command("doctor")
@font_path_option
def doctor_command(font_paths: tuple[Path, ...]) -> None:
    """检查本机的公文字体、Typst、LibreOffice 和 pandoc，说明缺少时 PDF 会是什么样子。"""
    out.print("[bold]PDF 的字体[/]（Typst 直接排版 PDF，用本机的字体和 --font-path 中的字体）")
    _typst_fonts(font_paths)
    out.print("[bold]公文字体[/]（Word 模板指定的字体；LibreOffice 生成的 PDF 按本机字体排版）")
    _fonts()
    out.print(
        "[bold]LibreOffice[/]（可选：--pdf-engine libreoffice，或模板只有自己的 report.docx 时生成 PDF）"
    )
    _libreoffice()
    out.print("[bold]pandoc[/]（生成 ODT、RTF；可选）")
    _pandoc()


def _typst_fonts(font_paths: tuple[Path, ...]) -> None:
    try:
        plan = font_plan(font_paths)
    except ImportError:
        out.print(f"  {_MISSING} 未安装 typst：请重新安装 govreport（pip install govreport）")
        return
    missing = plan.substitutions()
    for role in ROLES:
        face = plan.chosen[role.key]
        if role.official not in missing:
            out.print(f"  {_OK} {escape(role.official)}（{role.use}）：已安装")
        else:
            instead = f"PDF 中用 {face} 代替" if face else "本机没有可代替的字体"
            out.print(
                f"  {_MISSING} {escape(role.official)}（{role.use}）：未安装，{escape(instead)}"
            )
    if not missing:
        out.print("  PDF 使用全部标准公文字体。")
    elif plan.chosen["body"] is None:
        out.print(
            "  本机没有中文字体：PDF 中的汉字无法显示，请安装中文字体或用 --font-path 指定字体文件夹。"
        )
    else:
        out.print(
            f"  缺少 {len(missing)} 种公文字体：PDF 的版式、表格和页码照常，字形与标准公文不同。"
            "把公文字体文件（如 仿宋_GB2312.ttf）放到一个文件夹，生成时用 --font-path 指定，或安装到系统中。"
        )


def _fonts() -> None:
    if not have_fontconfig():
        out.print(
            f"  {_MISSING} 无法检查：本机没有 fontconfig（fc-list、fc-match）。"
            f"Windows、macOS 上请在系统字体中查找：{'、'.join(OFFICIAL_FONTS)}"
        )
        return
    statuses = font_report()
    for status in statuses:
        out.print(f"  {_OK if status.installed else _MISSING} {escape(status.describe())}")
    missing = [s for s in statuses if not s.installed]
    if not missing:
        out.print("  PDF 使用全部标准公文字体。")
        return
    out.print(
        f"  缺少 {len(missing)} 种公文字体：PDF 的版式、表格和页码照常，但字形与标准公文不同"
        "（例如正文是宋体风格而不是仿宋），适合核对内容，正式印发前请在装有公文字体的电脑上"
        "用 Word 或 WPS 打开 Word 文件另存为 PDF，或把字体文件安装到本机（放入 ~/.fonts 后运行 fc-cache）。"
    )


def _libreoffice() -> None:
    soffice = have_libreoffice()
    if soffice is None:
        out.print(
            f"  {_MISSING} 未找到：--to pdf 会报错（退出状态 4），其他格式照常。"
            "安装：sudo apt-get update && sudo apt-get install libreoffice-writer-nogui；"
            "Windows/macOS 从 libreoffice.org 安装，或用环境变量 GOVREPORT_SOFFICE 指定程序位置"
        )
        return
    version = _soffice_version(soffice)
    out.print(
        f"  {_OK} {escape(soffice)}{f'（{escape(version)}）' if version else ''}：可以生成 PDF"
    )


def _soffice_version(soffice: str) -> str:
    try:
        done = subprocess.run([soffice, "--version"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    match = re.search(r"LibreOffice [\d.]+", done.stdout.decode("utf-8", errors="replace"))
    return match.group(0) if match else ""


def _pandoc() -> None:
    try:
        import pypandoc  # noqa: F401  (only whether it is there)
    except ImportError:
        out.print(
            f"  {_MISSING} 未安装：--to odt、--to rtf 会报错（退出状态 4），其他格式照常。"
            f"需要 ODT、RTF 时安装：{escape(INSTALL_PANDOC)}"
        )
        return
    try:
        version = pandoc_version()
    except ConversionError as exc:
        out.print(f"  {_MISSING} {escape(exc.format_message())}")
        return
    shown = ".".join(map(str, version))
    if version < MIN_PANDOC:
        out.print(f"  {_MISSING} pandoc {shown} 过低（需要 3.1 或更高），请升级 pypandoc-binary")
    else:
        out.print(f"  {_OK} pandoc {shown}（随 pypandoc-binary 安装）：可以生成 ODT、RTF")
