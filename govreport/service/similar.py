"""内容雷同 for one report: its texts against the other reports of the round in the
审核员's scope and against the agency's own approved report of last year.

The audit's own index (``auditing.similarity``) does the comparing, with the audit's
thresholds; here the texts come from the facts, not from a published report.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..auditing.region import OTHER_SHARE, PREVIOUS_SHARE
from ..auditing.similarity import Document, SectionSimilarity, SimilarityIndex
from ..auditing.sources import Paragraph
from ..facts.model import Facts

THIS, LAST_YEAR = 0, 1


@dataclass
class Similar:
    """A section of the report, largely found in another one."""

    found: SectionSimilarity
    last_year: bool

    @property
    def percent(self) -> int:
        return round(self.found.share * 100)


def paragraphs(facts: Facts) -> list[Paragraph]:
    found = []
    for path, text in facts.texts():
        for number, line in enumerate(p for p in text.split("\n") if p.strip()):
            found.append(Paragraph(path, number + 1, line))
    return found


def _document(key: int, name: str, facts: Facts) -> Document:
    return Document(key, name, name, facts.year, paragraphs(facts))


def similar_sections(
    facts: Facts, name: str, others: list[tuple[str, Facts]], last_year: Facts | None
) -> list[Similar]:
    """Each section of ``facts`` copied in large part from one of ``others`` (another
    agency's report of the round) or from ``last_year``, most copied first."""
    documents = [_document(THIS, name, facts)]
    if last_year is not None:
        documents.append(_document(LAST_YEAR, f"{name}（上一年度）", last_year))
    first = len(documents)
    documents += [_document(first + n, other, f) for n, (other, f) in enumerate(others)]
    index = SimilarityIndex(documents)
    found = [
        Similar(item, False)
        for item in index.compare(documents[THIS], set(range(first, len(documents))))
        if item.share >= OTHER_SHARE
    ]
    if last_year is not None:
        found += [
            Similar(item, True)
            for item in index.compare(documents[THIS], {LAST_YEAR})
            if item.share >= PREVIOUS_SHARE
        ]
    return sorted(found, key=lambda s: -s.found.share)
