"""Whole numbers typed over are changed in the text where they stand (``web.text_edits``),
not by dumping the tree: every other byte stays, and whatever cannot be spliced exactly
is dumped as before, holding the same values."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from govreport.facts.reading import parse
from govreport.service import texts
from govreport.web.checking import check_document
from govreport.web.document import Document, _yaml
from govreport.web.form_fields import all_fields
from govreport.web.text_edits import NumberEdit, spliced

ROOT = Path(__file__).resolve().parent.parent
BUSY = (ROOT / "examples" / "busy-2023.yaml").read_text(encoding="utf-8")
NUMBERS = sorted(k for k, f in all_fields().items() if f.kind == "number" and not f.decimal)


def _doc(text: str = BUSY) -> Document:
    return Document.from_text(text, "busy-2023.yaml", "0")


def _dumped(text: str, values: dict[str, str]) -> str:
    """What the dump of the whole tree writes for the same edit (the old way)."""
    doc = _doc(text)
    doc.apply(values)
    doc._edits = None
    return doc.dump()


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.split("\n"), after.split("\n")
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_two_cells_of_one_flow_row_change_in_place_and_nothing_else() -> None:
    values = {"requests.carried_over.natural_person": "1100", "requests.carried_over.other": "7"}
    text = check_document(_doc(), values).text
    assert _changed_lines(BUSY, text) == [
        (
            "  carried_over: [11, 3, 1, 1, 2, 1]                 # 合计 19",
            "  carried_over: [1100, 3, 1, 1, 2, 7]                 # 合计 19",
        )
    ]
    assert parse(text)[0] == parse(_dumped(BUSY, values))[0]


def test_a_cell_of_a_flow_map_and_a_block_value_change_in_place() -> None:
    values = {"requests.received.business": "7", "proactive.licensing": "99999"}
    text = check_document(_doc(), values).text
    assert _changed_lines(BUSY, text) == [
        ("  licensing: 1268", "  licensing: 99999"),
        (
            "  received: {natural_person: 378, business: 74, research: 24, nonprofit: 22, "
            "legal_service: 36, other: 26}   # 合计 560",
            "  received: {natural_person: 378, business: 7, research: 24, nonprofit: 22, "
            "legal_service: 36, other: 26}   # 合计 560",
        ),
    ]
    assert parse(text)[0] == parse(_dumped(BUSY, values))[0]


def test_saves_one_after_another_keep_splicing_on_a_line_that_grew() -> None:
    """The service applies the next save to the tree the last one left (pickled in its
    cache): positions right of a cell that grew must have moved with it."""
    name = "busy-2023.yaml"
    first = texts.check_text(
        BUSY, name, {"requests.carried_over.natural_person": "123456"}, keep=True
    )
    second = texts.check_text(first.text, name, {"requests.carried_over.business": "9"}, keep=True)
    third = texts.check_text(second.text, name, {"requests.carried_over.other": "88"}, keep=True)
    assert _changed_lines(BUSY, third.text) == [
        (
            "  carried_over: [11, 3, 1, 1, 2, 1]                 # 合计 19",
            "  carried_over: [123456, 9, 1, 1, 2, 88]                 # 合计 19",
        )
    ]
    cached = texts.parsed(third.text, name)
    assert cached.doc.tree_text == third.text  # the next save can splice too


def test_a_text_edit_dumps_the_tree_and_the_next_number_edit_splices_again() -> None:
    name = "busy-2023.yaml"
    narrative = texts.check_text(BUSY, name, {"other_matters.work_points": "新的要点。"}, keep=True)
    assert "新的要点。" in narrative.text
    after = texts.check_text(narrative.text, name, {"requests.received.other": "27"}, keep=True)
    lines = _changed_lines(narrative.text, after.text)
    assert len(lines) == 1 and "other: 27}" in lines[0][1]


def test_what_cannot_be_spliced_is_dumped_with_the_same_values() -> None:
    cases = {
        "a cell that was empty": ("other: 26}", "other: }", "requests.received.other", "5"),
        "a quoted number": ("other: 26}", 'other: "26"}', "requests.received.other", "5"),
        "a cleared cell": ("other: 26}", "other: 26}", "requests.received.other", ""),
    }
    for label, (old, new, field_id, value) in cases.items():
        text = BUSY.replace(old, new, 1)
        assert old in BUSY, label
        doc = _doc(text)
        doc.apply({field_id: value})
        assert doc._edits is None, label
        result = doc.dump()
        assert parse(result)[0] == parse(_dumped(text, {field_id: value}))[0], label


def test_a_splice_that_would_not_read_back_as_the_tree_is_not_used() -> None:
    """Positions that index another text (the tree read from one text, held with
    another) are caught by the token check or the read-back: the tree is dumped."""
    doc = _doc()
    doc.tree_text = BUSY.replace("[11, 3, 1, 1, 2, 1]", "[ 11, 3, 1, 1, 2, 1]")
    doc.apply({"requests.carried_over.other": "5"})
    text = doc.dump()
    assert parse(text)[0]["requests"]["carried_over"] == [11, 3, 1, 1, 2, 5]
    assert doc.tree_text is None  # the positions are trusted no more
    # the same digit at the wrong cell passes the token check, not the read-back
    doc = _doc()
    doc.apply({"requests.carried_over.other": "5"})
    wrong = NumberEdit(line=66, column=24, old=1, new=5)  # index 2, not 5
    assert spliced(BUSY, doc.tree, [wrong]) is None
    assert spliced(BUSY, doc.tree, [NumberEdit(66, 33, 1, 5)]) is not None


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(NUMBERS), st.integers(min_value=0, max_value=10**7), max_size=12
    )
)
def test_any_number_edits_read_the_same_as_the_dump(edits: dict[str, int]) -> None:
    values = {key: str(value) for key, value in edits.items()}
    doc = _doc()
    fresh = dataclasses.replace(doc, tree=pickle.loads(pickle.dumps(doc.tree)))
    text = check_document(fresh, values).text
    assert parse(text)[0] == parse(_dumped(BUSY, values))[0]
    assert _yaml().load(text) == _yaml().load(_dumped(BUSY, values))
    for before, after in _changed_lines(BUSY, text):  # only digits changed on a line
        assert before.split("#")[1:] == after.split("#")[1:]
