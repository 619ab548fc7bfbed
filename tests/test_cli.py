"""The check, init and schema commands: exit codes, text and JSON output, editor schema."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from tests_support import EXAMPLE_FILES, clean_facts_dict, dump_yaml, line_of, replace_once

from govreport import check
from govreport import official as fmt
from govreport.cli.main import EXIT_OK, EXIT_PROBLEMS, EXIT_UNREADABLE, main
from govreport.facts.jsonschema import json_schema
from govreport.facts.schema import allowed_keys

PROBLEM_KEYS = {"code", "severity", "path", "line", "column", "label", "message"}


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def run_json(*args: str) -> tuple[int, dict]:
    result = run("check", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout)


# --------------------------------------------------------------------------- check: exit codes


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_check_passes_every_example(path):
    result = run("check", path)
    assert result.exit_code == EXIT_OK == 0, result.output


@pytest.fixture
def clean_file(write) -> Path:
    """A facts file that passes every check."""
    return write(dump_yaml(clean_facts_dict()), "clean.yaml")


def test_check_clean_file_says_so(clean_file):
    result = run("check", clean_file)
    assert result.exit_code == 0
    assert "通过全部检查" in result.stdout


def test_check_errors_exit_1_with_file_and_line(write):
    text = "agency:\n  name: 某某局\nyear: 2023\npublished: 2023-06-01\n"
    path = write(text)
    result = run("check", path)
    assert result.exit_code == EXIT_PROBLEMS == 1
    assert f"{path}:{line_of(text, 'published')}" in result.stdout
    assert "D1" in result.stdout
    assert "1 处错误" in result.stdout


def test_warnings_alone_exit_0_and_strict_makes_them_fail(write):
    path = write("agency:\n  name: 某某局\nyear: 2023\n")  # no 落款 date: D3, a warning
    result = run("check", path)
    assert result.exit_code == 0
    assert "D3" in result.stdout
    assert "无错误" in result.stdout
    assert run("check", path, "--strict").exit_code == 1


def test_strict_on_a_clean_file_still_passes(clean_file):
    assert run("check", clean_file, "--strict").exit_code == 0


def test_colours_only_on_a_terminal_and_never_with_no_color(write, monkeypatch):
    """Problem lines and verdicts are coloured for a terminal; a log, a pipe or ``NO_COLOR``
    gets the same text without escape codes."""
    path = write("agency:\n  name: 某某局\nyear: 2023\npublished: 2023-06-01\n")
    coloured = CliRunner().invoke(main, ["check", str(path)], color=True)
    plain = CliRunner().invoke(main, ["check", str(path)])
    assert "\x1b[31m错误 D1\x1b[0m" in coloured.stdout
    assert "\x1b[31m✗\x1b[0m" in coloured.stdout
    assert "\x1b[" not in plain.stdout
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.stdout) == plain.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    assert CliRunner().invoke(main, ["check", str(path)], color=True).stdout == plain.stdout
    unreadable = CliRunner().invoke(main, ["check", str(path.with_name("none.yaml"))], color=True)
    assert unreadable.stderr.startswith("错误：")


def test_error_label_is_bold_red_on_a_terminal(tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path / "none.yaml")], color=True)
    assert result.exit_code == EXIT_UNREADABLE
    assert result.stderr.startswith("\x1b[31m\x1b[1m错误：\x1b[0m")


@pytest.mark.parametrize(
    "content",
    [None, "", "- a\n- b\n", "a: [1\n", "a: &x 1\nb: *x\n", "年份: 2023\n".encode("gbk")],
    ids=["missing", "empty", "list", "syntax", "alias", "gbk"],
)
def test_unreadable_files_exit_2(write, tmp_path, content):
    path = tmp_path / "missing.yaml" if content is None else write(content)
    result = run("check", path)
    assert result.exit_code == EXIT_UNREADABLE == 2
    assert "错误" in result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.output
    code, data = run_json(path)
    assert code == 2
    assert data["readable"] is False
    assert data["ok"] is False
    assert data["problems"] == []
    assert data["error"]


def test_previous_option(write, tmp_path):
    now = EXAMPLE_FILES[0].parent / "busy-2023.yaml"
    last = write(
        "agency:\n  name: 某市自然资源和规划局\nyear: 2022\npublished: 2023-01-20\n"
        "requests:\n  received: [11, 3, 1, 1, 2, 1]\n  carried_forward: [11, 3, 1, 1, 2, 1]\n",
        "last.yaml",
    )
    result = run("check", now, "--previous", last)
    assert result.exit_code == 0, result.output
    assert "R6" in result.stdout  # last year's 现行有效件数 were left at 0: a warning only
    assert "R5" not in result.stdout
    assert run("check", now, "--previous", tmp_path / "nope.yaml").exit_code == 2


# --------------------------------------------------------------------------- check: JSON


def test_json_output_lists_every_problem(write):
    text = (
        "agency:\n  name: 某某局\nyear: 2023\npublished: 2023-06-01\n"
        "requests:\n  received: [1, 0, 0, 0, 0, 0]\n"
    )
    path = write(text)
    code, data = run_json(path)
    assert code == 1
    assert data["file"] == str(path)
    assert data["ok"] is False
    assert data["readable"] is True
    assert data["errors"] == 2
    assert data["warnings"] == sum(p["severity"] == "warning" for p in data["problems"])
    problems = [p for p in data["problems"] if p["severity"] == "error"]
    assert [p["code"] for p in problems] == ["D1", "R1"]
    for problem in data["problems"]:
        assert set(problem) >= PROBLEM_KEYS
    for problem in problems:
        assert set(problem) >= PROBLEM_KEYS
        assert problem["severity"] == "error"
        assert problem["file"] == str(path)
    d1, r1 = problems
    assert d1["path"] == "published"
    assert d1["line"] == line_of(text, "published")
    assert d1["column"] == len("published: ") + 1
    assert d1["label"] == fmt.FIELD_LABELS[("published",)]
    assert r1["path"] == f"requests.received.{fmt.APPLICANT_COLUMNS[0].key}"
    assert r1["line"] == line_of(text, "received")
    assert r1["column"] == text.splitlines()[r1["line"] - 1].index("1") + 1
    assert r1["label"] == f"{fmt.APPLICANT_HEADER} · {fmt.APPLICANT_COLUMNS[0].label}"
    assert "相差 1" in r1["message"]


def test_json_output_of_a_clean_file(clean_file):
    code, data = run_json(clean_file)
    assert code == 0
    assert data["ok"] is True
    assert (data["errors"], data["warnings"], data["problems"]) == (0, 0, [])


def test_json_warnings_and_strict(write):
    path = write("agency:\n  name: 某某局\nyear: 2023\n")
    code, data = run_json(path)
    assert code == 0
    assert data["ok"] is True
    assert data["warnings"] >= 1
    assert "D3" in [p["code"] for p in data["problems"]]
    d3 = next(p for p in data["problems"] if p["code"] == "D3")
    assert d3["line"] is None
    assert d3["severity"] == "warning"
    assert run("check", path, "--format", "json", "--strict").exit_code == 1


# --------------------------------------------------------------------------- done means


def _published_line(text: str) -> str | None:
    match = re.search(r"^published: (\d{4})-\d\d-\d\d.*$", text, re.MULTILINE)
    return match.group(0) if match else None


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_mistyped_key_in_an_example(write, path):
    text = replace_once(path.read_text(encoding="utf-8"), "  short_name:", "  shortname:")
    broken = write(text)
    code, data = run_json(broken)
    assert code == 1
    (problem,) = [p for p in data["problems"] if p["severity"] == "error"]
    assert problem["code"] == "F1"
    assert problem["path"] == "agency.shortname"
    assert problem["line"] == line_of(text, "shortname:")
    assert "是否应为“short_name”" in problem["message"]


@pytest.mark.parametrize(
    "path",
    [p for p in EXAMPLE_FILES if _published_line(p.read_text("utf-8"))],
    ids=lambda p: p.stem,
)
def test_bad_date_in_an_example(write, path):
    original = path.read_text(encoding="utf-8")
    line = _published_line(original)
    year = line[len("published: ") :][:4]
    text = replace_once(original, line, f"published: {year}-02-30")
    code, data = run_json(write(text))
    assert code == 1
    (problem,) = data["problems"]
    assert problem["code"] == "F2"
    assert problem["path"] == "published"
    assert problem["line"] == line_of(text, "published:")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_date_before_year_end_in_an_example(write, path):
    original = path.read_text(encoding="utf-8")
    year = check(path).facts.year
    line = _published_line(original)
    if line is None:
        text = original + f"published: {year}-12-01\n"
    else:
        text = replace_once(original, line, f"published: {year}-12-01")
    code, data = run_json(write(text))
    assert code == 1
    (problem,) = [p for p in data["problems"] if p["severity"] == "error"]
    assert problem["code"] == "D1"
    assert problem["line"] == line_of(text, f"published: {year}-12-01")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_broken_identity_in_an_example(write, path):
    original = path.read_text(encoding="utf-8")
    match = re.search(r"^  received: .*$", original, re.MULTILINE)
    if match:  # bump the first number of 一、本年新收 (自然人)
        line = match.group(0)
        bumped = re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1), line, count=1)
        text = replace_once(original, line, bumped)
    else:  # the tables are all 0: write one received request with no result
        text = original + "requests:\n  received: [1, 0, 0, 0, 0, 0]\n"
    code, data = run_json(write(text))
    assert code == 1
    errors = [p for p in data["problems"] if p["severity"] == "error"]
    assert [p["code"] for p in errors] == ["R1"]
    (problem,) = errors
    assert problem["line"] == line_of(text, "  received:")
    assert problem["label"] == f"{fmt.APPLICANT_HEADER} · {fmt.APPLICANT_COLUMNS[0].label}"
    assert "相差 1" in problem["message"]


# --------------------------------------------------------------------------- init


def test_init_output_passes_check(tmp_path):
    out = tmp_path / "facts.yaml"
    result = run("init", "-o", out, "--name", "某市发展和改革委员会", "--year", "2023")
    assert result.exit_code == 0, result.output
    assert out.exists()
    checked = check(out)
    assert checked.errors == []
    assert "D1" not in checked.codes() and "D2" not in checked.codes()
    assert run("check", out).exit_code == 0
    facts = checked.facts
    assert facts.agency.name == "某市发展和改革委员会"
    assert facts.agency.self_reference == "我委"
    assert facts.year == 2023
    assert facts.published is None  # a made-up 落款 date would pass check: commented out
    assert "D3" in checked.codes()
    assert "# published: 2024-" in out.read_text(encoding="utf-8")
    assert "落款日期" in result.stderr


def test_init_defaults_to_last_year_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init")
    assert result.exit_code == 0, result.output
    facts = check(tmp_path / "facts.yaml").facts
    assert facts.year == dt.date.today().year - 1
    assert facts.agency.name == "某某局"


def test_init_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "facts.yaml"
    out.write_text("keep me\n", encoding="utf-8")
    result = run("init", "-o", out)
    assert result.exit_code == 1
    assert "已存在" in result.stderr
    assert "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep me\n"
    result = run("init", "-o", out, "--force", "--year", "2022")
    assert result.exit_code == 0
    assert check(out).facts.year == 2022


@pytest.mark.parametrize("name", ['某"引号"局', "某局: 分局 # 不是注释", "某市人民政府"])
def test_init_quotes_awkward_names(tmp_path, name):
    out = tmp_path / "facts.yaml"
    assert run("init", "-o", out, "--name", name).exit_code == 0
    facts = check(out).facts
    assert facts.agency.name == name
    assert facts.agency.self_reference == fmt.self_reference_for(name)


def _keys(data: dict, path: tuple = ()) -> set[tuple]:
    found = set()
    for key, value in data.items():
        found.add((*path, key))
        if isinstance(value, dict):
            found |= _keys(value, (*path, key))
    return found


def _schema_keys(path: tuple = ()) -> set[tuple]:
    found = set()
    for key in allowed_keys(path):
        found.add((*path, key))
        found |= _schema_keys((*path, key))
    return found


def test_init_writes_every_key_the_schema_accepts(tmp_path):
    out = tmp_path / "facts.yaml"
    run("init", "-o", out)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    written = _keys(data)
    # Totals are computed, a template is chosen automatically; rows are written as lists;
    # the 落款 date is written commented out (filled in when the report is final).
    assert re.search(r"^# published: \d{4}-\d\d-\d\d", out.read_text(encoding="utf-8"), re.M)
    written.add(("published",))
    row_columns = {
        ("requests", *row.path, column.key)
        for row in fmt.REQUEST_ROWS
        for column in fmt.REQUEST_COLUMNS
    }
    expected = {
        p
        for p in _schema_keys()
        if p[-1] != "total" and p != ("template",) and p not in row_columns
    }
    assert written == expected
    for row in fmt.REQUEST_ROWS:
        if not row.computed:
            node = data["requests"]
            for key in row.path:
                node = node[key]
            assert node == [0] * len(fmt.APPLICANT_COLUMNS)


def test_init_comments_carry_the_official_labels(tmp_path):
    out = tmp_path / "facts.yaml"
    run("init", "-o", out)
    text = out.read_text(encoding="utf-8")
    for row in fmt.REQUEST_ROWS:
        assert row.label in text
    for block in fmt.PROACTIVE_BLOCKS:
        assert block.article in text
    for block in fmt.REVIEW_BLOCKS:
        assert block.full_label in text


# --------------------------------------------------------------------------- schema


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema == json_schema()
    return jsonschema.Draft202012Validator(schema)


def _example(name: str) -> dict:
    text = (EXAMPLE_FILES[0].parent / f"{name}.yaml").read_text(encoding="utf-8")
    return _jsonable(yaml.safe_load(text))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_schema_accepts_every_example(validator, path):
    data = _jsonable(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = list(validator.iter_errors(data))
    assert errors == []


def test_schema_accepts_init_output_and_empty_sections(validator, tmp_path):
    out = tmp_path / "facts.yaml"
    run("init", "-o", out)
    assert list(validator.iter_errors(_jsonable(yaml.safe_load(out.read_text("utf-8"))))) == []
    data = _example("busy-2023")
    data["proactive"] = None
    data["requests"]["results"]["withheld"] = None
    data["requests"]["received"] = None
    assert list(validator.iter_errors(data)) == []


def _broken(path: tuple, value) -> dict:
    data = _example("busy-2023")
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("requests", "recieved"), [0] * 6),
        (("agency", "nmae"), "x"),
        (("reviews", "reconsideration", "uphold"), 1),
        (("proactive", "licensing"), -1),
        (("requests", "received"), [1, 2, 3, 4, 5]),
        (("requests", "received"), [1, 2, 3, 4, 5, 6, 7]),
        (("requests", "results", "disclosed"), [1, 2, -3, 4, 5, 6]),
        (("requests", "received", "natural_person"), -1),
        (("proactive", "fees"), -1),
        (("proactive", "fees"), "十二万"),
        (("agency", "level"), "city"),
        (("year",), 1999),
        (("year",), "2023"),
        (("published",), "明天"),
        (("format",), "2019"),
        (("agency",), None),
    ],
)
def test_schema_rejects_broken_facts(validator, path, value):
    data = _broken(path, value)
    assert list(validator.iter_errors(data)), f"{path}={value!r} was accepted"


def test_schema_requires_agency_and_year(validator):
    data = _example("busy-2023")
    del data["year"]
    assert list(validator.iter_errors(data))
    data = _example("busy-2023")
    del data["agency"]["name"]
    assert list(validator.iter_errors(data))


def test_schema_describes_fields_with_official_labels():
    schema = json_schema()
    requests = schema["properties"]["requests"]["properties"]
    assert requests["received"]["description"] == fmt.REQUEST_ROW_BY_PATH[("received",)].full_label
    fees = schema["properties"]["proactive"]["properties"]["fees"]
    cell = next(c for c in fmt.PROACTIVE_CELLS if c.decimal)
    assert fees["description"] == cell.full_label


def test_schema_to_a_file(tmp_path):
    out = tmp_path / "facts.schema.json"
    result = run("schema", "-o", out)
    assert result.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json_schema()


# --------------------------------------------------------------------------- the real command


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("govreport")
    if script.exists():
        return [str(script)]
    found = shutil.which("govreport")
    if found:
        return [found]
    pytest.skip("the govreport console script is not installed")


def test_console_script_check_json(tmp_path, clean_file):
    command = _console_script()
    done = subprocess.run(
        [*command, "check", str(clean_file), "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True

    missing = tmp_path / "missing.yaml"
    done = subprocess.run(
        [*command, "check", str(missing)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert "文件不存在" in done.stderr
    assert "Traceback" not in done.stderr


def test_console_script_init_then_check(tmp_path):
    command = _console_script()
    out = tmp_path / "facts.yaml"
    done = subprocess.run(
        [*command, "init", "-o", str(out), "--year", "2023"], capture_output=True, timeout=60
    )
    assert done.returncode == 0
    done = subprocess.run([*command, "check", str(out)], capture_output=True, timeout=60)
    assert done.returncode == 0
