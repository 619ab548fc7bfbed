"""Import reads what a person sees of a web page (issue 20): a hidden copy of table 二 is
not read but named at the cell; a table shown twice is read once, and where its copies
differ the cell is marked unreadable; a huge table is refused for what it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_import_hostile import refused
from tests_support import EXAMPLES_DIR

from govreport import import_report, render
from govreport.auditing.sources import read_published

LICENSING = ("proactive", "licensing")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> str:
    """The busy example as the web page govreport renders (行政许可 1268)."""
    folder = tmp_path_factory.mktemp("html")
    html = render(EXAMPLES_DIR / "busy-2023.yaml", folder / "busy", to="html").outputs["html"]
    return html.read_text(encoding="utf-8")


def _table_two(page: str) -> str:
    table = re.findall(r"<table.*?</table>", page, re.DOTALL)[0]
    assert ">1268<" in table
    return table


def _with(page: str, tmp_path: Path, replace) -> Path:
    table = _table_two(page)
    source = tmp_path / "report.html"
    source.write_text(page.replace(table, replace(table, table.replace(">1268<", ">9999<"))))
    return source


HIDINGS = {
    "inline display:none": lambda t: f'<div style="color:red; display: none">{t}</div>',
    "hidden attribute": lambda t: f"<section hidden>{t}</section>",
    "visibility:hidden": lambda t: f'<div style="visibility:hidden">{t}</div>',
    "aria-hidden with display none": lambda t: f'<div aria-hidden="true" style="display:none">{t}</div>',
    "class in the style sheet": lambda t: f'<style>p{{color:black}} .old , .x {{ display:none }}</style><div class="box old">{t}</div>',
    "id in the style sheet": lambda t: f"<style>/* copy */ div#copy{{visibility: hidden}}</style><div id=copy>{t}</div>",
}  # fmt: skip


@pytest.mark.parametrize("hide", HIDINGS.values(), ids=list(HIDINGS))
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_hidden_copy_of_table_two_is_not_read_but_named_at_the_cell(page, tmp_path, hide, where):
    def hidden_copy(table: str, changed: str) -> str:
        return hide(changed) + table if where == "before" else table + hide(changed)

    result = import_report(_with(page, tmp_path, hidden_copy))
    assert result.facts.proactive.licensing == 1268
    notes = [p for p in result.problems if tuple(p.path) == LICENSING]
    assert [(p.code, p.severity) for p in notes] == [("I4", "warning")]
    assert "隐藏（不显示）" in notes[0].message and "9999" in notes[0].message
    assert "1268" in notes[0].message and "行政许可" in notes[0].label
    assert all("两次" not in p.message for p in result.problems)


def test_a_print_only_rule_does_not_hide_what_the_screen_shows(page, tmp_path):
    def print_only(table: str, changed: str) -> str:
        style = "<style>@media print { .copy { display: none } }</style>"
        return f'{style}{table}<div class="copy">{changed}</div>'

    result = import_report(_with(page, tmp_path, print_only))
    assert any("出现两次" in p.message for p in result.problems)  # both copies are seen


def test_table_two_shown_twice_with_different_numbers_is_unreadable_at_the_cell(page, tmp_path):
    result = import_report(_with(page, tmp_path, lambda table, changed: table + changed))
    assert result.facts.proactive.licensing == 1268  # the first copy, marked
    cell = [p for p in result.problems if tuple(p.path) == LICENSING]
    assert [(p.code, p.severity) for p in cell] == [("I5", "error")]
    assert "出现两次" in cell[0].message and "1268" in cell[0].message and "9999" in cell[0].message
    table = [p for p in result.problems if tuple(p.path) == ("proactive",)]
    assert table and "只读入第一份" in table[0].message
    assert not result.complete


def test_table_two_shown_twice_alike_is_read_once_with_a_note(page, tmp_path):
    result = import_report(_with(page, tmp_path, lambda table, changed: table + table))
    assert result.facts.proactive.licensing == 1268
    assert result.complete
    notes = [p for p in result.problems if "出现两次" in p.message]
    assert [(p.code, tuple(p.path)) for p in notes] == [("I4", ("proactive",))]


def test_a_hidden_row_and_a_hidden_cell_are_not_read(page, tmp_path):
    def hidden_parts(table: str, changed: str) -> str:
        row = re.search(r"<tr><td[^>]*>行政许可</td>.*?</tr>", table, re.DOTALL).group(0)
        shifted = row.replace("<td colspan", '<td style="display:none">9999</td><td colspan')
        hidden_row = row.replace(">1268<", ">7777<").replace("<tr>", "<tr hidden>")
        return table.replace(row, hidden_row + shifted)

    result = import_report(_with(page, tmp_path, hidden_parts))
    assert result.facts.proactive.licensing == 1268
    at_the_cell = [p.message for p in result.problems if tuple(p.path) == LICENSING]
    assert len(at_the_cell) == 1 and "7777" in at_the_cell[0]  # the hidden row, named
    assert any("9999" in p.message and "隐藏" in p.message for p in result.problems)


def test_hidden_text_with_numbers_is_not_read_and_is_quoted(page, tmp_path):
    source = tmp_path / "report.html"
    secret = "全年公开行政许可决定9999件"
    source.write_text(page.replace("</h1>", f'</h1><p style="display:none">{secret}</p>', 1))
    assert secret in source.read_text()
    result = import_report(source)
    assert secret not in str(result.data)
    assert any(secret in p.message and p.code == "I4" for p in result.problems)


def test_the_audit_reads_the_shown_table_and_names_the_hidden_cell(page, tmp_path):
    source = _with(
        page, tmp_path, lambda table, changed: f'<div style="display:none">{changed}</div>{table}'
    )
    published = read_published(source)
    assert published.facts.proactive.licensing == 1268
    assert any("9999" in p.message and tuple(p.path) == LICENSING for p in published.problems)


def test_a_huge_table_without_merged_cells_is_refused_for_its_size(tmp_path, capsys):
    rows = "<tr><td>行政许可</td><td>1</td><td>2</td></tr>" * 100_000
    source = tmp_path / "big.html"
    source.write_text(f"<html><body><p>一、总体情况</p><table>{rows}</table></body></html>")
    message = refused(source, capsys, tmp_path)
    assert "100000 行" in message and "300000 个单元格" in message
    assert "合并单元格" not in message
