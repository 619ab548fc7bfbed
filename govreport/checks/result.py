"""``check``: every rule on one facts file, and what it found (``CheckResult``).

The rules live one concept per module (balances, dates, required content, quoted
numbers, years, previous year); this module only runs them, in a fixed order, and
writes the report's texts, since a placeholder that fails is a problem too (T1, B1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import ERROR, Problem, ProblemReport, problem, sort_key
from ..errors import FactsError
from ..facts.loading import FactsInput, load
from ..facts.model import Facts
from ..narrative.writer import (
    Narrative,
    PlaceholderError,
    boilerplate_problems,
    placeholder_problems,
    write_narrative,
)
from ..template_sets.sets import TemplateSet, template_set_for
from .balances import balance, stated_totals
from .dates import publication_date
from .previous_year import check_previous
from .quoted_numbers import narrative_numbers
from .required_content import government_assessment
from .years import copied_years

CODE_TEMPLATE = "T1"

Check = Callable[[Facts], Iterator[Problem]]
#: Every rule that needs only the facts file itself, in the order they report.
RULES: tuple[Check, ...] = (
    stated_totals,
    balance,
    publication_date,
    government_assessment,
    narrative_numbers,
    copied_years,
)


@dataclass
class CheckResult(ProblemReport):
    """Every problem found, in file order."""

    problems: list[Problem] = field(default_factory=list)
    facts: Facts | None = None
    narrative: Narrative | None = None  # what the report's texts will be; rendering reuses it

    @property
    def ok(self) -> bool:
        return not self.errors

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def check(
    source: FactsInput,
    *,
    previous: FactsInput | None = None,
    template: TemplateSet | str | Path | None = None,
) -> CheckResult:
    """Load ``source`` and run every check; with ``previous`` also R5 and R6.

    Schema errors (unknown keys, bad types) are returned as problems rather than
    raised; a file that cannot be read at all still raises ``InputError``.
    ``template`` picks the set whose boilerplate is looked for (default: the one
    rendering would choose).
    """
    try:
        facts = load(source)
    except FactsError as exc:
        return CheckResult(exc.problems)
    problems = [p for rule in RULES for p in rule(facts)]
    narrative, found = write_checked_narrative(facts, template)
    problems += found
    if previous is not None:
        try:
            last = load(previous)
        except FactsError as exc:
            problems += exc.problems
        else:
            problems += list(check_previous(facts, last))
    return CheckResult(sorted(problems, key=sort_key), facts, narrative)


def write_checked_narrative(
    facts: Facts, template: TemplateSet | str | Path | None
) -> tuple[Narrative | None, list[Problem]]:
    """The report's texts, with placeholders in the author's texts that fail (T1) and
    boilerplate standing in (B1); no texts when a placeholder fails.

    A broken template set is not the facts file's fault: its ``TemplateError`` propagates.
    """
    found = placeholder_problems(facts)
    if found:  # every failing placeholder of every text, not only the first
        return None, found
    tset = template_set_for(facts, template)
    try:
        narrative = write_narrative(facts, tset)
    except PlaceholderError as exc:
        return None, [problem(facts, CODE_TEMPLATE, ERROR, exc.message, exc.path)]
    return narrative, boilerplate_problems(facts, narrative)
