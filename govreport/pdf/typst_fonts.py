"""The 公文 fonts for the Typst PDF: which face prints each role on this machine.

GB/T 9704 names 方正小标宋简体 (title), 黑体 (一、 headings), 楷体_GB2312 ((一) headings),
仿宋_GB2312 (body) and 宋体 (tables, page numbers); Word on a government PC has them.
Elsewhere a near face stands in, in this order: the same font under its other name,
Windows' FangSong / SimHei / KaiTi / SimSun, the 方正 …_GBK faces of 信创 machines
(UOS, 麒麟), macOS's STFangsong / STHeiti / STKaiti / Songti SC, then Noto CJK on Linux.

Typst finds fonts itself (system folders on every OS, plus ``--font-path`` folders or
``GOVREPORT_FONT_PATH``), so this works without fontconfig, on Windows too. The plan
(:func:`font_plan`) says which face each role gets; the template receives those
families in order, the PDF step says once which substitutions were made and
``govreport doctor`` lists them.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

#: Folders of extra fonts for the Typst PDF, separated like PATH (``--font-path`` sets it).
FONT_PATH_VARIABLE = "GOVREPORT_FONT_PATH"


@dataclass(frozen=True)
class FontRole:
    """One role in the report: the official font's names, then its stand-ins in order."""

    key: str
    official: str
    use: str
    aliases: tuple[str, ...]  # the official font under other names
    fallbacks: tuple[str, ...]

    @property
    def chain(self) -> tuple[str, ...]:
        return (self.official, *self.aliases, *self.fallbacks)


_SERIF_CJK = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN")
_SONG = ("宋体", "SimSun", "方正书宋_GBK", "FZShuSong-Z01S", "STSong", "Songti SC", *_SERIF_CJK)

ROLES: tuple[FontRole, ...] = (
    FontRole(
        "title",
        "方正小标宋简体",
        "标题",
        ("FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05", "小标宋"),
        _SONG,
    ),
    FontRole(
        "heading",
        "黑体",
        "一级标题“一、”",
        ("SimHei",),
        (
            "方正黑体_GBK",
            "FZHei-B01S",
            "STHeiti",
            "Heiti SC",
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "WenQuanYi Zen Hei",
        ),
    ),
    FontRole(
        "item",
        "楷体_GB2312",
        "二级标题“（一）”",
        ("KaiTi_GB2312",),
        (
            "楷体",
            "KaiTi",
            "方正楷体_GBK",
            "FZKai-Z03S",
            "STKaiti",
            "Kaiti SC",
            "AR PL UKai CN",
            *_SERIF_CJK,
        ),
    ),
    FontRole(
        "body",
        "仿宋_GB2312",
        "正文",
        ("FangSong_GB2312",),
        ("仿宋", "FangSong", "方正仿宋_GBK", "FZFangSong-Z02S", "STFangsong", *_SERIF_CJK),
    ),
    FontRole("table", "宋体", "表格、页码", ("SimSun",), _SONG[2:]),
    FontRole(
        "latin",
        "Times New Roman",
        "数字和西文",
        ("TimesNewRoman",),
        ("Liberation Serif", "Tinos", "TeX Gyre Termes", "Nimbus Roman", "Times"),
    ),
)
FONT_ROLES = tuple(role.key for role in ROLES)
_BY_KEY = {role.key: role for role in ROLES}


def font_paths(extra: Iterable[str | os.PathLike[str]] = ()) -> tuple[str, ...]:
    """The extra font folders: those given, then ``GOVREPORT_FONT_PATH``'s; existing only."""
    listed = [str(p) for p in extra]
    listed += [p for p in os.environ.get(FONT_PATH_VARIABLE, "").split(os.pathsep) if p]
    return tuple(dict.fromkeys(os.path.abspath(p) for p in listed if os.path.isdir(p)))


@dataclass(frozen=True)
class FontPlan:
    """Which installed face prints each role; what Typst is given, in order."""

    chosen: dict[str, str | None]  # role → the first installed face of its chain
    available: dict[str, tuple[str, ...]]  # role → every installed face of its chain
    body_has_bold: bool

    def families(self, role: str) -> tuple[str, ...]:
        """The faces to name for ``role``: the installed ones of its chain, or (none
        installed) the whole chain, and Typst takes whatever has the glyphs."""
        return self.available[role] or _BY_KEY[role].chain

    def substitutions(self) -> dict[str, str]:
        """Official font → the face printing it instead, for each one not installed."""
        found = {}
        for role in ROLES:
            face = self.chosen[role.key]
            names = {n.casefold() for n in (role.official, *role.aliases)}
            if face is None or face.casefold() not in names:
                found[role.official] = face or "无（本机没有中文字体）"
        return found


@cache
def _installed(paths: tuple[str, ...]) -> tuple[dict[str, str], frozenset[str]]:
    """Every family Typst can use (case-folded → as named) and those with a bold face."""
    import typst

    fonts = typst.Fonts(
        include_system_fonts=True, include_embedded_fonts=True, font_paths=list(paths)
    )
    infos = fonts.fonts()
    families = {info.family.casefold(): info.family for info in infos}
    bold = frozenset(info.family.casefold() for info in infos if info.weight >= 600)
    return families, bold


def font_plan(extra: Iterable[str | os.PathLike[str]] = ()) -> FontPlan:
    """The plan for this machine with the extra font folders (looked up once a process)."""
    families, bold = _installed(font_paths(extra))
    available = {
        role.key: tuple(
            dict.fromkeys(families[n.casefold()] for n in role.chain if n.casefold() in families)
        )
        for role in ROLES
    }
    chosen = {key: (faces[0] if faces else None) for key, faces in available.items()}
    body = chosen["body"]
    return FontPlan(chosen, available, body is not None and body.casefold() in bold)


_said = False
_saying = threading.Lock()


def substitutions_to_say(extra: Iterable[str | os.PathLike[str]] = ()) -> str | None:
    """The substitutions in one Chinese sentence, the first time a process asks; else ``None``."""
    global _said
    with _saying:
        if _said:
            return None
        _said = True
    missing = font_plan(extra).substitutions()
    if not missing:
        return None
    pairs = "，".join(f"{name} → {face}" for name, face in missing.items())
    return (
        f"本机没有部分公文字体，PDF 中已用代替字体：{pairs}。"
        "把公文字体文件放到一个文件夹后用 --font-path 指定，或安装到系统中；"
        "运行 govreport doctor 查看详情"
    )
