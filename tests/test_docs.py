"""Every ``govreport`` command in the README and the docs runs, on shipped files.

A doctest-like runner: it reads the fenced code blocks of ``README.md`` and
``docs/*.md``, takes each ``govreport …`` command (after a ``$`` prompt in a block
that shows output, or on its own line in a block of commands), and runs it in a
fresh folder holding the files it names. Each command must end with status 0 or
the status its page documents (``EXPECTED``). The files are the shipped examples
(``examples/``, ``docs/examples/``, ``tests/data/``) or made from them the way a
user would (``SEEDS``); a file a page's earlier command writes is made the same way,
so every command runs on its own and a page's examples need not form one script.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from tests_support import EXAMPLES_DIR, ROOT

from govreport import load, render
from govreport.cli.main import main
from govreport.facts.skeleton import skeleton
from govreport.workbook import write_workbook

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOC_EXAMPLES = ROOT / "docs" / "examples"
FENCE = re.compile(r"^(?P<indent> *)```[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.S | re.M)
DEPARTMENTS = ("busy-2023", "dingcheng-gongxin-2023", "taishan-gongxin-2023")

#: Commands a page shows failing because what they write is there already (a file, or a
#: file where a folder should be).
OVERWRITES = {
    ("commands.md", "govreport init -o 2024.yaml"),
    ("commands.md", "govreport render busy-2023.yaml -o afile/x.docx"),
}
#: (page, command) → the exit status the page documents for it; 0 when not listed.
EXPECTED: dict[tuple[str, str], int] = {
    (
        "README.md",
        "govreport check 2024.yaml --previous 2023.yaml",
    ): 1,  # all-zero 2024 vs busy 2023: R5
    ("checks.md", "govreport check 2024.yaml --previous 2023.yaml"): 1,
    ("checks.md", "govreport check tb.yaml"): 3,
    ("checks.md", "govreport check dingcheng-gongxin-2023.yaml --strict"): 1,
    ("commands.md", "govreport init -o 2024.yaml"): 1,  # 已存在，未覆盖
    ("commands.md", "govreport import missing-row.html"): 1,
    ("commands.md", "govreport init --year 99999"): 2,  # 年度超出范围
    ("commands.md", "govreport render busy-2023.yaml --to docx,xls"): 1,  # 不支持的格式
    # last year's reports here are this year's relabelled: their 结转 disagrees (R5)
    ("audit.md", "govreport audit 各区县2023年报/ --previous-year 各区县2022年报/"): 1,
    ("commands.md", "govreport import scan.pdf"): 2,  # 扫描版，没有文字层
    ("commands.md", "govreport import 年报/"): 2,  # 文件夹，不是报告文件
    ("commands.md", "govreport import notice.txt"): 2,
    ("commands.md", "govreport next bad-2023.yaml"): 1,
    ("commands.md", "govreport check busy-2023.yaml --previous prev-2022.yaml"): 1,
    ("commands.md", "govreport check nothere.yaml"): 2,
    ("commands.md", "govreport check county/"): 1,  # the page's county/ has 县卫健局 (D1)
    ("commands.md", "govreport check many/"): 2,  # a file cannot be read: 2 wins over 1
    ("commands.md", "govreport render broken2.yaml"): 1,
    ("commands.md", "govreport render busy-2023.yaml --template shandong2"): 3,
    ("commands.md", "govreport render busy-2023.yaml -o afile/x.docx"): 5,
    ("commands.md", "govreport templates check bare1"): 1,
    ("guide.md", "govreport check 2024.yaml --previous 2023.yaml"): 1,
    ("workflows.md", "govreport check busy-2024.yaml --previous busy-2023.yaml"): 1,
}


# --------------------------------------------------------------------------- commands


def page_commands(page: Path) -> list[str]:
    """The ``govreport`` commands of a page's code blocks, in order."""
    commands = []
    for block in FENCE.finditer(page.read_text(encoding="utf-8")):
        lines = [line.strip() for line in block.group("body").splitlines()]
        prompted = any(line.startswith("$ ") for line in lines)
        for line in lines:
            if prompted:
                if not line.startswith("$ govreport"):
                    continue
                line = line[2:]
            elif "&& govreport " in line and line.startswith("pip install"):
                line = line[line.index("govreport ") :]  # pip install . && govreport …
            elif not line.startswith("govreport "):
                continue
            commands.append(_clean(line))
    return commands


def _clean(line: str) -> str:
    """Drop a trailing ``# comment`` and shell redirections (``> log.txt 2>&1``)."""
    line = re.sub(r"\s+#\s.*$", "", line)
    line = re.sub(r"\s+\d?>.*$", "", line)
    return line.strip()


# --------------------------------------------------------------------------- the files the pages name


def _copy(source: Path) -> Callable[[Path], None]:
    return lambda target: shutil.copyfile(source, target)


def _departments(folder: Path) -> None:
    folder.mkdir(parents=True)
    for name in DEPARTMENTS:
        shutil.copyfile(EXAMPLES_DIR / f"{name}.yaml", folder / f"{name}.yaml")


def _government(target: Path, folder: Path | None = None) -> None:
    """The government's facts: its departments' tables added up (``aggregate``)."""
    folder = folder or target.parent / "各部门2023"
    if not folder.exists():
        _departments(folder)
    args = ["aggregate", str(folder), "-o", str(target), "--name", "某县人民政府"]
    assert CliRunner().invoke(main, args).exit_code == 0


def _county(folder: Path) -> None:
    """county/: departments in depts/ and the government's file."""
    _departments(folder / "depts")
    _government(folder / "县政府2023.yaml", folder / "depts")


def _county_with_an_error(folder: Path) -> None:
    """county/ where one department dated its 落款 before the year's end (D1)."""
    _county(folder)
    broken = (EXAMPLES_DIR / "busy-2023.yaml").read_text(encoding="utf-8")
    broken = broken.replace("published: 2024-01-20", "published: 2023-12-20")
    (folder / "depts" / "县卫健局2023.yaml").write_text(broken, encoding="utf-8")


def _many(folder: Path) -> None:
    _departments(folder)
    (folder / "facts-0020.yaml").write_text("只有一行字\n", encoding="utf-8")


def _rendered(example: str) -> Callable[[Path], None]:
    def build(target: Path) -> None:
        render(EXAMPLES_DIR / f"{example}.yaml", target)

    return build


def _missing_row(target: Path) -> None:
    """An HTML report whose table 三 lacks the row （五）2.重复申请."""
    page = target.with_suffix(".full.html")
    render(EXAMPLES_DIR / "busy-2023.yaml", page, to="html")
    html = page.read_text(encoding="utf-8")
    row = re.search(r"<tr[^>]*>(?:(?!</tr>).)*2\.重复申请.*?</tr>", html, re.S)
    assert row is not None
    target.write_text(html.replace(row.group(0), ""), encoding="utf-8")
    page.unlink()


def _edited(example: str, old: str, new: str) -> Callable[[Path], None]:
    def build(target: Path) -> None:
        text = (EXAMPLES_DIR / f"{example}.yaml").read_text(encoding="utf-8")
        assert old in text
        target.write_text(text.replace(old, new, 1), encoding="utf-8")

    return build


def _published(folder: Path, year: int) -> None:
    """A region's published reports: the departments' reports of ``year``, as Word files."""
    folder.mkdir(parents=True)
    for name in DEPARTMENTS:
        data = yaml.safe_load((EXAMPLES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        if data["year"] != year:
            data["year"], data["published"] = year, f"{year + 1}-01-20"
        render(data, folder / f"{name}.docx")


#: A PDF with a page and no text on it, as a scanner writes one.
SCANNED_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _previous_year(target: Path) -> None:
    data = yaml.safe_load(skeleton("某市自然资源和规划局", 2022, None))
    data["requests"]["carried_forward"] = [12, 3, 1, 1, 2, 1]
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _bad_template(folder: Path) -> None:
    folder.mkdir()
    (folder / "set.yaml").write_text(
        "name: bare1\nextends: national\nwording:\n  headings:\n    reveiws: 四、行政复议\n",
        encoding="utf-8",
    )
    text = folder / "text" / "overview"
    text.mkdir(parents=True)
    (text / "platforms.j2").write_text(
        "{{ me }}依托{{ agency.nmae }}门户网站发布信息{% if year %}。\n", encoding="utf-8"
    )


def _next_year(example: str) -> Callable[[Path], None]:
    def build(target: Path) -> None:
        source = target.parent / f"{example}.yaml"
        shutil.copyfile(EXAMPLES_DIR / f"{example}.yaml", source)
        assert CliRunner().invoke(main, ["next", str(source), "-o", str(target)]).exit_code == 0

    return build


def _new_set(folder: Path) -> None:
    args = ["templates", "new", str(folder), "--from", "national"]
    assert CliRunner().invoke(main, args).exit_code == 0


SEEDS: dict[str, Callable[[Path], None]] = {
    "2023.yaml": _copy(EXAMPLES_DIR / "busy-2023.yaml"),
    "2024.yaml": lambda t: t.write_text(skeleton("某市自然资源和规划局", 2024, None), "utf-8"),
    "2023年报告.docx": _rendered("busy-2023"),
    "台儿庄区科学技术局2022年政府信息公开工作年度报告.docx": _rendered("taierzhuang-keji-2022"),
    "trial-2019.html": _copy(ROOT / "tests" / "data" / "trial-2019.html"),
    "missing-row.html": _missing_row,
    "report.pdf": lambda t: t.write_bytes(b"%PDF-1.4\n"),
    "scan.pdf": lambda t: t.write_bytes(SCANNED_PDF),
    "年报": lambda t: t.mkdir(),
    "各区县2023年报": lambda t: _published(t, 2023),
    "各区县2022年报": lambda t: _published(t, 2022),
    "某局2023年报.docx": _rendered("busy-2023"),
    "某局2023年报.pdf": lambda t: render(EXAMPLES_DIR / "busy-2023.yaml", t, to="pdf"),
    "notice.txt": lambda t: t.write_text("关于做好春节期间值班工作的通知\n各科室：……\n", "utf-8"),
    "bad-2023.yaml": _edited("busy-2023", "  licensing:", "  licencing:"),
    "prev-2022.yaml": _previous_year,
    "busy-2024.yaml": _edited("busy-2023", "year: 2023", "year: 2024"),
    "tb.yaml": _edited("busy-2023", "year: 2023", "template: shandong2\nyear: 2023"),
    "afile": lambda t: t.write_text("一个文件，不是文件夹\n", "utf-8"),
    "各部门": _departments,
    "各部门2023": _departments,
    "各单位2023": _departments,
    "county": _county,
    "many": _many,
    "县政府2023.yaml": _government,
    "区政府.yaml": _government,
    "bare1": _bad_template,
    "taierzhuang-keji-2023.yaml": _next_year("taierzhuang-keji-2022"),
    "我市模板": _new_set,
    "我省模板": _new_set,
    "表格.xlsx": lambda t: write_workbook(load(EXAMPLES_DIR / "busy-2023.yaml"), t),
    **{path.name: _copy(path) for path in EXAMPLES_DIR.glob("*.yaml")},
    **{path.name: _copy(path) for path in DOC_EXAMPLES.iterdir()},
}


#: Files made differently for one command, to show what its page shows.
COMMAND_SEEDS: dict[tuple[str, str], dict[str, Callable[[Path], None]]] = {
    ("commands.md", "govreport check county/"): {"county": _county_with_an_error},
}


def workspace(tmp: Path) -> Path:
    """A folder with the shipped examples under examples/."""
    tmp.mkdir()
    shutil.copytree(EXAMPLES_DIR, tmp / "examples")
    return tmp


def seed(folder: Path, command: str, *, outputs: bool = False) -> None:
    """Make the files a command reads (and, with ``outputs``, those it writes)."""
    words = shlex.split(command)
    for before, word in zip(["", *words], words, strict=False):
        if before in ("-o", "--output", "--out", "new") and not outputs:
            continue  # what the command writes, not what it reads
        name = word.rstrip("/").split("/")[0]
        if name in SEEDS and not (folder / name).exists():
            SEEDS[name](folder / name)


# --------------------------------------------------------------------------- the tests


def run(folder: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Run ``command`` in ``folder``; the editor (``edit``) goes as far as serving: its
    socket is bound and its app built, then it returns instead of serving until Ctrl+C."""
    monkeypatch.chdir(folder)
    served: list[object] = []
    monkeypatch.setattr("govreport.web.server.run", lambda app, sock: served.append(app))
    monkeypatch.setattr("webbrowser.open", lambda url: True)
    result = CliRunner().invoke(main, shlex.split(command)[1:])
    if shlex.split(command)[1] == "edit" and result.exit_code == 0:
        assert served, f"{command}：编辑器没有启动"
    return result.exit_code, result.output


@pytest.mark.pdf
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_command_runs(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pdf_tools: object
) -> None:
    for number, command in enumerate(page_commands(page)):
        folder = workspace(tmp_path / str(number))
        for name, build in COMMAND_SEEDS.get((page.name, command), {}).items():
            build(folder / name)
        seed(folder, command, outputs=(page.name, command) in OVERWRITES)
        status, output = run(folder, command, monkeypatch)
        expected = EXPECTED.get((page.name, command), 0)
        assert status == expected, f"{page.name}：{command} → {status}（应为 {expected}）\n{output}"


def test_expected_statuses_name_real_commands() -> None:
    """Every documented status belongs to a command that is still on its page."""
    on_pages = {(page.name, command) for page in PAGES for command in page_commands(page)}
    assert set(EXPECTED) | OVERWRITES <= on_pages, (set(EXPECTED) | OVERWRITES) - on_pages


def test_the_runner_finds_the_commands() -> None:
    readme = page_commands(ROOT / "README.md")
    assert readme[0] == "govreport render examples/busy-2023.yaml -o out/"  # after pip install
    assert "govreport check 2024.yaml" in readme
    assert "govreport render 2024.yaml --to docx,html,md,pdf" in readme
    assert sum(len(page_commands(page)) for page in PAGES) >= 70
