"""The validated facts: typed, defaults filled, totals computed.

These objects are what checks, narrative and rendering read. Table 三's
structure is not spelled out here but taken from ``official.REQUEST_TREE``, so the
model cannot disagree with the official row order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from decimal import Decimal
from operator import attrgetter
from typing import Any

from .. import official as fmt


@dataclass(frozen=True)
class Row:
    """One row of table 三: the six applicant columns; 总计 is their sum (R2)."""

    natural_person: int = 0
    business: int = 0
    research: int = 0
    nonprofit: int = 0
    legal_service: int = 0
    other: int = 0
    stated_total: int | None = field(default=None, compare=False, repr=False)

    @property
    def total(self) -> int:
        return sum(self.applicants())

    @property
    def legal_persons(self) -> int:
        """法人或其他组织: every column but 自然人."""
        return self.total - self.natural_person

    def applicants(self) -> tuple[int, ...]:
        return _APPLICANTS(self)

    def __getitem__(self, column: str) -> int:
        if column not in {c.key for c in fmt.REQUEST_COLUMNS}:
            raise KeyError(column)
        return getattr(self, column)

    def __str__(self) -> str:
        """In a template, ``{{ requests.received }}`` means the row's 总计."""
        return str(self.total)

    def __add__(self, other: Row) -> Row:
        return Row(*(a + b for a, b in zip(self.applicants(), other.applicants(), strict=True)))


#: The six applicant columns of a row, in the official order, read in one call.
_APPLICANTS = attrgetter(*(c.key for c in fmt.APPLICANT_COLUMNS))
ZERO_ROW = Row()


class RowGroup(Mapping[str, Any]):
    """A level of table 三 (the whole table, 三、本年度办理结果, （三）不予公开 …).

    Children are reached by key or attribute (``requests.results.withheld.state_secret``),
    which is what templates write. ``total`` of a group is the sum of its rows; for
    三、本年度办理结果 that is （七）总计 (R3), computed and never typed.
    """

    def __init__(self, spec: tuple[fmt.RequestRow, ...], values: Mapping[str, Any]):
        self._spec = spec
        self._children: dict[str, Row | RowGroup] = {}
        self.stated_total: Row | None = values.get("total") if _has_computed(spec) else None
        for row in spec:
            if row.computed:
                continue
            value = values.get(row.key)
            if row.is_group:
                self._children[row.key] = (
                    value if isinstance(value, RowGroup) else RowGroup(row.children, value or {})
                )
            else:
                self._children[row.key] = value if value is not None else ZERO_ROW
        self._total = self._sum_children()
        if _has_computed(spec):
            self._children["total"] = self._total
        # children as attributes too: a template reads hundreds, and ``__getattr__`` is
        # reached only after a failed lookup. ``total`` stays the property (the same row).
        vars(self).update(self._children)

    def __getitem__(self, key: str) -> Row | RowGroup:
        return self._children[key]

    def __getattr__(self, key: str) -> Row | RowGroup:
        try:
            return self.__dict__["_children"][key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._children)

    def __len__(self) -> int:
        return len(self._children)

    def __repr__(self) -> str:
        return f"RowGroup({dict(self._children)!r})"

    def __str__(self) -> str:
        """In a template, ``{{ requests.results.withheld }}`` means the group's 总计."""
        return str(self._total.total)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowGroup):
            return dict(self._children) == dict(other._children)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    @property
    def total(self) -> Row:
        return self._total

    def _sum_children(self) -> Row:
        """Computed once: the group is immutable and templates ask for totals often."""
        result = ZERO_ROW
        for key, child in self._children.items():
            if key != "total":
                result = result + (child.total if isinstance(child, RowGroup) else child)
        return result

    def row(self, path: tuple[str, ...]) -> Row:
        """The row at ``path`` (as in ``official.RequestRow.path``)."""
        node: Any = self
        for key in path:
            node = node[key]
        return node.total if isinstance(node, RowGroup) else node


def _has_computed(spec: tuple[fmt.RequestRow, ...]) -> bool:
    return any(row.computed for row in spec)


@dataclass(frozen=True)
class Documents:
    """规章 or 行政规范性文件 in table 二."""

    issued: int = 0
    repealed: int = 0
    in_force: int = 0


@dataclass(frozen=True)
class Proactive:
    """Table 二. ``fees`` is in 万元 and kept as an exact decimal."""

    regulations: Documents = field(default_factory=Documents)
    normative_documents: Documents = field(default_factory=Documents)
    licensing: int = 0
    punishment: int = 0
    coercion: int = 0
    fees: Decimal = Decimal(0)


@dataclass(frozen=True)
class ReviewCounts:
    """One block of table 四; 总计 is computed (R4)."""

    upheld: int = 0
    corrected: int = 0
    other: int = 0
    pending: int = 0
    stated_total: int | None = field(default=None, compare=False, repr=False)

    @property
    def total(self) -> int:
        return self.upheld + self.corrected + self.other + self.pending

    def __str__(self) -> str:
        return str(self.total)


@dataclass(frozen=True)
class Reviews:
    """Table 四."""

    reconsideration: ReviewCounts = field(default_factory=ReviewCounts)
    litigation_direct: ReviewCounts = field(default_factory=ReviewCounts)
    litigation_after_reconsideration: ReviewCounts = field(default_factory=ReviewCounts)

    @property
    def litigation_total(self) -> int:
        return self.litigation_direct.total + self.litigation_after_reconsideration.total


@dataclass(frozen=True)
class Contact:
    """The 落款's contact lines; each is left out of the report when not given."""

    department: str | None = None
    person: str | None = None
    phone: str | None = None
    address: str | None = None
    email: str | None = None
    website: str | None = None

    def items(self) -> list[tuple[str, str]]:
        """(official label, value) for each line given, in the usual order."""
        return [(t.title, getattr(self, t.key)) for t in fmt.CONTACT_FIELDS if getattr(self, t.key)]


@dataclass(frozen=True)
class Agency:
    """Who reports: the name in the title, how the texts refer to it, and its level."""

    name: str
    short_name: str
    self_reference: str
    level: str = "department"
    province: str | None = None
    region: str | None = None
    contact: Contact = field(default_factory=Contact)


@dataclass(frozen=True)
class Overview:
    """一、总体情况: ``summary`` then the sub-items (texts; ``None`` when left out)."""

    summary: str | None = None
    proactive: str | None = None
    on_request: str | None = None
    management: str | None = None
    platforms: str | None = None
    supervision: str | None = None
    assessment: str | None = None


@dataclass(frozen=True)
class Shortcomings:
    """五、存在的主要问题及改进情况: one text, or problems and improvements apart."""

    text: str | None = None
    issues: str | None = None
    improvements: str | None = None

    @property
    def split(self) -> bool:
        return self.text is None and (self.issues is not None or self.improvements is not None)


@dataclass(frozen=True)
class OtherMatters:
    """六、其他需要报告的事项."""

    processing_fees: str | None = None
    work_points: str | None = None
    proposals: str | None = None
    innovation: str | None = None
    statistics_notes: str | None = None
    other: str | None = None
    required_by_documents: str | None = None


@dataclass(frozen=True)
class Facts:
    """One agency's facts for one report year, validated."""

    agency: Agency
    year: int
    published: dt.date | None = None
    format: str = fmt.FORMAT_VERSION
    template: str | None = None
    overview: Overview = field(default_factory=Overview)
    proactive: Proactive = field(default_factory=Proactive)
    requests: RowGroup = field(default_factory=lambda: RowGroup(fmt.REQUEST_TREE, {}))
    reviews: Reviews = field(default_factory=Reviews)
    problems: Shortcomings = field(default_factory=Shortcomings)
    other_matters: OtherMatters = field(default_factory=OtherMatters)
    source: Any = field(default=None, compare=False, repr=False)

    @property
    def title(self) -> str:
        return f"{self.agency.name}{self.year}年政府信息公开工作年度报告"

    def value(self, path: tuple[str, ...]) -> Any:
        """The value at a facts-file path, e.g. ``("requests", "received", "business")``."""
        node: Any = self
        for key in path:
            node = node[key] if isinstance(node, (RowGroup, Row)) else getattr(node, key)
        return node

    def texts(self) -> Iterator[tuple[tuple[str, ...], str]]:
        """Every narrative text the author wrote, with its facts-file path."""
        for part in ("overview", "problems", "other_matters"):
            section = getattr(self, part)
            for f in fields(section):
                value = getattr(section, f.name)
                if value:
                    path = (part,) if part == "problems" and f.name == "text" else (part, f.name)
                    yield path, value


#: The model's classes, whose attributes templates read (``rendering.compiled`` reads them quickly).
MODEL_TYPES: tuple[type, ...] = (
    *(Row, RowGroup, Documents, Proactive, ReviewCounts, Reviews, Contact, Agency),
    *(Overview, Shortcomings, OtherMatters, Facts),
)
