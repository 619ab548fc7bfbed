"""The official format (国办公开办函〔2021〕30号), defined once, as data.

Every other stage reads the labels, the row order, the facts-file keys and the
勾稽关系 identities from here: the schema builds its fields from these tables,
checks name cells by these labels, the Word template is generated from them and
import matches against them. Change a label here and everything follows. Nothing
here reads or writes a file.

One concept per module: ``edition`` (format version, years), ``columns``, the three
tables ``proactive_table`` (二), ``requests_table`` (三) and ``reviews_table`` (四),
``sections`` (the six sections, their items, contact lines), ``agencies`` (levels,
deadlines, self-reference), ``identities`` (R1–R9), ``places`` (naming a cell in
messages), ``variants`` (wordings met in published reports) and ``grids`` (the
tables as merged-cell grids, for the Word template, the web page and the workbook;
imported by name, not re-exported here). Everything else is re-exported below, so
``from govreport import official as fmt`` then ``fmt.REQUEST_ROWS`` reads as one table.
"""

from .agencies import (
    DEADLINES,
    DEFAULT_SELF_REFERENCE,
    LEVELS,
    SELF_REFERENCES,
    level_for,
    self_reference_for,
    suggested_publication,
)
from .columns import TOTAL, Column
from .edition import FORMAT_SOURCE, FORMAT_VERSION, MAX_YEAR, MIN_YEAR, TRIAL_FORMAT_SOURCE
from .identities import IDENTITIES, R1_LEFT, R1_RIGHT, Identity
from .places import FIELD_LABELS, Cell, describe, table_cells
from .proactive_table import (
    DECISIONS,
    DOCUMENT_COLUMNS,
    PROACTIVE_BLOCKS,
    PROACTIVE_CELLS,
    PROACTIVE_ITEM_HEADER,
    ProactiveBlock,
    ProactiveCell,
)
from .requests_table import (
    APPLICANT_COLUMNS,
    APPLICANT_HEADER,
    LEGAL_PERSON_HEADER,
    REQUEST_COLUMNS,
    REQUEST_ROW_BY_PATH,
    REQUEST_ROWS,
    REQUEST_TREE,
    REQUESTS_CORNER,
    RESULT_TOTAL_PATH,
    RequestRow,
    result_rows,
    walk,
)
from .reviews_table import (
    LITIGATION_HEADER,
    RECONSIDERATION_HEADER,
    REVIEW_BLOCKS,
    REVIEW_COLUMNS,
    REVIEW_OUTCOMES,
    ReviewBlock,
)
from .sections import (
    CONTACT_FIELDS,
    OTHER_MATTER_TOPICS,
    OVERVIEW_KEYS,
    OVERVIEW_TOPICS,
    PROBLEM_TOPICS,
    SECTION_HEADINGS,
    Topic,
)
from .variants import (
    CONTACT_ALIASES,
    LABEL_DRIFT,
    SECTION_HEADING_VARIANTS,
    TRIAL_OTHER_PROCESSING,
    TRIAL_PROACTIVE_BLOCKS,
    TRIAL_PROACTIVE_COLUMNS,
    TRIAL_PROACTIVE_ROWS,
)

__all__ = [
    "APPLICANT_COLUMNS",
    "APPLICANT_HEADER",
    "CONTACT_ALIASES",
    "CONTACT_FIELDS",
    "DEADLINES",
    "DECISIONS",
    "DEFAULT_SELF_REFERENCE",
    "DOCUMENT_COLUMNS",
    "FIELD_LABELS",
    "FORMAT_SOURCE",
    "FORMAT_VERSION",
    "IDENTITIES",
    "LABEL_DRIFT",
    "LEGAL_PERSON_HEADER",
    "LEVELS",
    "LITIGATION_HEADER",
    "MAX_YEAR",
    "MIN_YEAR",
    "OTHER_MATTER_TOPICS",
    "OVERVIEW_KEYS",
    "OVERVIEW_TOPICS",
    "PROACTIVE_BLOCKS",
    "PROACTIVE_CELLS",
    "PROACTIVE_ITEM_HEADER",
    "PROBLEM_TOPICS",
    "R1_LEFT",
    "R1_RIGHT",
    "RECONSIDERATION_HEADER",
    "REQUESTS_CORNER",
    "REQUEST_COLUMNS",
    "REQUEST_ROWS",
    "REQUEST_ROW_BY_PATH",
    "REQUEST_TREE",
    "RESULT_TOTAL_PATH",
    "REVIEW_BLOCKS",
    "REVIEW_COLUMNS",
    "REVIEW_OUTCOMES",
    "SECTION_HEADINGS",
    "SECTION_HEADING_VARIANTS",
    "SELF_REFERENCES",
    "TOTAL",
    "TRIAL_FORMAT_SOURCE",
    "TRIAL_OTHER_PROCESSING",
    "TRIAL_PROACTIVE_BLOCKS",
    "TRIAL_PROACTIVE_COLUMNS",
    "TRIAL_PROACTIVE_ROWS",
    "Cell",
    "Column",
    "Identity",
    "ProactiveBlock",
    "ProactiveCell",
    "RequestRow",
    "ReviewBlock",
    "Topic",
    "describe",
    "level_for",
    "result_rows",
    "self_reference_for",
    "suggested_publication",
    "table_cells",
    "walk",
]
