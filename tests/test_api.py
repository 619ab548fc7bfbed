"""The public API: an explicit ``__all__``, the error types, ``load`` and ``check``."""

from __future__ import annotations

import importlib.metadata
import types

import pytest

import govreport
from govreport import (
    CheckResult,
    ConversionError,
    Facts,
    FactsError,
    GovReportError,
    InputError,
    TemplateError,
    check,
    load,
)

#: Dunder names that are public on purpose.
PUBLIC_DUNDERS = ["__version__"]
#: The stages: each public name is defined in one of them and re-exported at the top.
STAGES = {
    "errors",
    "diagnostics",
    "facts",
    "checks",
    "rendering",
    "batch",
    "importing",
    "auditing",
}


def test_every_name_in_all_exists():
    for name in govreport.__all__:
        assert hasattr(govreport, name), name


def test_all_lists_exactly_the_public_names():
    for name in govreport.__all__:  # names are imported on first use (PEP 562)
        getattr(govreport, name)
    public = [
        name
        for name, value in vars(govreport).items()
        if (not name.startswith("_") or name in PUBLIC_DUNDERS)
        and not isinstance(value, types.ModuleType)
    ]
    assert govreport.__all__ == sorted(public)
    assert len(set(govreport.__all__)) == len(govreport.__all__)


def test_public_objects_say_they_belong_to_their_stage():
    """Everything public is defined in the module of its stage and re-exported once."""
    for name in govreport.__all__:
        if name in PUBLIC_DUNDERS:
            continue
        module = getattr(govreport, name).__module__
        assert module.split(".")[1] in STAGES, (
            name,
            module,
        )


def test_version_matches_the_installed_distribution():
    assert govreport.__version__ == importlib.metadata.version("govreport")


@pytest.mark.parametrize(
    ("error", "code"),
    [(InputError, 2), (FactsError, 1), (TemplateError, 3), (ConversionError, 4)],
)
def test_error_types_and_exit_codes(error, code):
    assert issubclass(error, GovReportError)
    assert issubclass(error, Exception)
    assert error.exit_code == code


def test_input_error_formats_file_line_and_hint():
    exc = InputError("文件不是 UTF-8 编码", file="a.yaml", line=3, column=5, hint="另存为 UTF-8")
    assert (
        exc.format_message() == "a.yaml（第 3 行第 5 列）：文件不是 UTF-8 编码\n提示：另存为 UTF-8"
    )
    assert InputError("文件为空").format_message() == "文件为空"
    assert str(exc) == "文件不是 UTF-8 编码"


def test_load_and_check_from_the_package(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text("agency:\n  name: 某某局\nyear: 2023\n", encoding="utf-8")
    facts = load(path)
    assert isinstance(facts, Facts)
    result = check(path)
    assert isinstance(result, CheckResult)
    assert result.ok
    assert result.facts == facts
    assert check(facts).codes() == result.codes()
