"""The checks reviewers run: 勾稽关系 identities, dates, narrative against tables.

Each check yields ``Problem``s with a stable code (see ``official.IDENTITIES`` for the
R-codes) and the numbers it compared in ``Problem.values``. ``check`` runs all of them
and reports everything at once, in file order. One concept per module:

- ``result``: ``check`` and ``CheckResult``;
- ``balances``: R1–R4, the 勾稽关系 within one report's tables;
- ``dates``: D1–D3, the 落款 date and its deadline;
- ``required_content``: G1, what a government's report must say;
- ``quoted_numbers``: R8, numbers the narrative quotes against the tables;
- ``years``: Y1, years that look carried over from another report;
- ``previous_year``: P1, R5, R6 against last year's facts.
"""

from .balances import balance, balance_with, stated_results_total, stated_totals
from .dates import (
    CODE_DATE_LATE,
    CODE_DATE_MISSING,
    CODE_DATE_TOO_EARLY,
    deadline,
    publication_date,
)
from .previous_year import CODE_PREVIOUS_YEAR, check_previous
from .quoted_numbers import NONE_RECEIVED, QUOTED_NUMBERS, QuotedNumber, narrative_numbers
from .required_content import CODE_NO_ASSESSMENT, government_assessment
from .result import CODE_TEMPLATE, RULES, Check, CheckResult, check, write_checked_narrative
from .years import CODE_COPIED_YEAR, copied_years

__all__ = [
    "CODE_COPIED_YEAR",
    "CODE_DATE_LATE",
    "CODE_DATE_MISSING",
    "CODE_DATE_TOO_EARLY",
    "CODE_NO_ASSESSMENT",
    "CODE_PREVIOUS_YEAR",
    "CODE_TEMPLATE",
    "NONE_RECEIVED",
    "QUOTED_NUMBERS",
    "RULES",
    "Check",
    "CheckResult",
    "QuotedNumber",
    "balance",
    "balance_with",
    "check",
    "check_previous",
    "copied_years",
    "deadline",
    "government_assessment",
    "narrative_numbers",
    "publication_date",
    "stated_results_total",
    "stated_totals",
    "write_checked_narrative",
]
