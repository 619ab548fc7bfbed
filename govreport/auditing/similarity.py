"""内容雷同: narrative paragraphs copied from last year's report or from another agency's.

Reviewers mark a report down when its text is last year's with the year changed, or a
neighbour's with the name changed. Each paragraph is cut into overlapping character
shingles (10 characters); an inverted index finds, for every paragraph, the few
paragraphs elsewhere that share enough shingles, and the runs of shared shingles are the
passages they have in common. Time stays bounded for hundreds of reports: shingles that
many agencies share (the format's own stock phrases) are not looked up and do not count
as copying, and each paragraph is compared with the few reports that share most with it.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Container, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .. import official as fmt
from .sources import Paragraph

SHINGLE = 10  # characters per shingle: longer than the format's set phrases (政府信息公开)
SAMPLE = 4  # one shingle in SAMPLE (by hash) is indexed
MIN_SHARED = 2  # indexed shingles two paragraphs must share to be compared at all
MIN_PASSAGE = 20  # characters: a shorter common run is a phrase, not a copied passage
CANDIDATES = 3  # paragraphs compared per paragraph and source report
SOURCES = 5  # reports a paragraph is compared with: the ones sharing most with it
COMMON_SHARE = 0.2  # a shingle in more than this share of agencies is stock wording
COMMON_MIN_AGENCIES = 5  # …but only once there are enough agencies to tell
MAX_POSTINGS = 200  # a shingle found this often is stock wording whatever the share
MAX_CHARS = 3000  # a paragraph longer than this is compared by its first MAX_CHARS
FULL_CACHE = 4096  # paragraphs whose full shingle sets are kept between comparisons

_SPACE = re.compile(r"\s+")


@dataclass
class Document:
    """One report's narrative, as the similarity index holds it."""

    key: int
    file: str
    agency: str
    year: int | None
    paragraphs: list[Paragraph]
    texts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.paragraphs = joined(self.paragraphs)
        self.texts = [
            without_boilerplate(_SPACE.sub("", p.text))[:MAX_CHARS] for p in self.paragraphs
        ]


_ENDS_PARAGRAPH = re.compile(r"[。！？!?；;：:」”）)]\s*$")
_STARTS_ITEM = re.compile(
    r"^\s*(?:\*\*)?\s*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．])"
)
_SENTENCES = re.compile(r"(?<=[。！？!?；;])")
#: what a one-sentence paragraph every agency writes is about: the law, the fee, the period
_STATUTORY = re.compile(r"《[^》]{4,}》|信息处理费|统计期限|数据的统计|所列数据")
_TITLE_MAX = 30  # an item's title on a line of its own ((二)改进情况) is no wrapped line
BOILERPLATE_MAX = 150  # characters: a one-sentence paragraph longer than this is the office's


def joined(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Paragraphs as written, not as a text file's hard-wrapped lines: a line that does not
    end a sentence runs on into the next of the same section, unless that one opens an
    item ((一), 1., a bold lead) or follows an item's title. A 28-character line shares few shingles with anything; its paragraph
    is what is copied."""
    found: list[Paragraph] = []
    for paragraph in paragraphs:
        last = found[-1] if found else None
        if (
            last is not None
            and last.path == paragraph.path
            and not _ENDS_PARAGRAPH.search(last.text)
            and not _STARTS_ITEM.match(paragraph.text)
            and not paragraph.text.lstrip().startswith("**")  # a bold lead opens a paragraph
            and not (_STARTS_ITEM.match(last.text) and len(last.text) <= _TITLE_MAX)
        ):
            found[-1] = replace(last, text=last.text.rstrip() + paragraph.text.strip())
        else:
            found.append(paragraph)
    return found


def is_boilerplate(sentence: str) -> bool:
    """A sentence of statutory stock wording (the law and notice the report follows,
    信息处理费, the statistics period): everyone writes it, so it is no copying."""
    plain = _SPACE.sub("", sentence)
    return len(plain) <= BOILERPLATE_MAX and bool(_STATUTORY.search(plain))


def without_boilerplate(text: str) -> str:
    """``text`` without its sentences of statutory stock wording."""
    return "".join(s for s in _SENTENCES.split(text) if not is_boilerplate(s))


@dataclass(frozen=True)
class Passage:
    """A run of text found in both reports, quoted from the audited one."""

    paragraph: Paragraph
    text: str


@dataclass
class SectionSimilarity:
    """How much of one section is found in one other report."""

    section: str
    source_agency: str
    source_year: int | None
    source_file: str
    copied: int  # characters of the section found in the source
    length: int  # characters of the section
    passages: list[Passage] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.copied / self.length if self.length else 0.0

    @property
    def heading(self) -> str:
        return fmt.SECTION_HEADINGS[self.section]

    def to_dict(self) -> dict:
        return {
            "section": self.heading,
            "source_agency": self.source_agency,
            "source_year": self.source_year,
            "source_file": self.source_file,
            "share": round(self.share, 4),
            "copied_chars": self.copied,
            "section_chars": self.length,
            "passages": [{"place": p.paragraph.place, "text": p.text} for p in self.passages],
        }


def _shingles(text: str) -> set[str]:
    if len(text) < SHINGLE:
        return set()
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def _sampled(grams: Iterable[str]) -> set[str]:
    """The shingles kept for lookup: the same ones in every report (chosen by hash, not
    by position, so a passage moved along still meets its copy). The hash is CRC-32 of
    the characters, never Python's ``hash()``, which is salted per process: the same
    reports must give the same findings in every run."""
    return {g for g in grams if zlib.crc32(g.encode("utf-8")) % SAMPLE == 0}


class SimilarityIndex:
    """Sampled shingles of every paragraph of every report given, to find copies among them.

    Only one shingle in ``SAMPLE`` is indexed, which keeps memory and lookups small for
    hundreds of reports; a candidate's full shingles are computed when it is compared.
    """

    def __init__(self, documents: Iterable[Document]):
        self.documents = {d.key: d for d in documents}
        self.samples: dict[tuple[int, int], set[str]] = {}
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        agencies: dict[str, set[str]] = defaultdict(set)
        for doc in self.documents.values():
            for n, text in enumerate(doc.texts):
                grams = _sampled(_shingles(text))
                self.samples[(doc.key, n)] = grams
                for gram in grams:
                    postings[gram].append((doc.key, n))
                    agencies[gram].add(doc.agency)
        total = len({d.agency for d in self.documents.values()})
        limit = total * COMMON_SHARE if total >= COMMON_MIN_AGENCIES else float("inf")
        self.stock = {
            gram
            for gram, ids in postings.items()
            if len(agencies[gram]) > limit or len(ids) > MAX_POSTINGS
        }
        self.postings = {g: ids for g, ids in postings.items() if g not in self.stock}
        self.full = lru_cache(maxsize=FULL_CACHE)(self._full)

    def _full(self, key: int, n: int) -> frozenset[str]:
        return frozenset(_shingles(self.documents[key].texts[n]))

    def compare(self, doc: Document, allowed: Container[int]) -> list[SectionSimilarity]:
        """For each section of ``doc`` and each report in ``allowed`` (their keys): what of
        the section is found there."""
        copied: dict[tuple[int, str], int] = Counter()
        passages: dict[tuple[int, str], list[Passage]] = defaultdict(list)
        for n, paragraph in enumerate(doc.paragraphs):
            for key, candidates in self._candidates(doc, n, allowed).items():
                covered, quotes = self._covered(doc.texts[n], key, candidates)
                copied[(key, paragraph.section)] += covered
                passages[(key, paragraph.section)] += [Passage(paragraph, q) for q in quotes]
        lengths: Counter[str] = Counter()
        for text, paragraph in zip(doc.texts, doc.paragraphs, strict=True):
            lengths[paragraph.section] += len(text)
        found = []
        for (key, section), count in sorted(copied.items()):
            if count:
                source = self.documents[key]
                quoted = sorted(passages[(key, section)], key=lambda p: -len(p.text))
                found.append(
                    SectionSimilarity(
                        section,
                        source.agency,
                        source.year,
                        source.file,
                        count,
                        lengths[section],
                        quoted,
                    )
                )
        return found

    def _candidates(self, doc: Document, n: int, allowed: Container[int]) -> dict[int, list[int]]:
        """The paragraphs elsewhere that share enough shingles with paragraph ``n``: the best
        few of each of the best few reports, as paragraph numbers by report."""
        counts: Counter[tuple[int, int]] = Counter()
        for gram in self.samples.get((doc.key, n), ()):
            for hit in self.postings.get(gram, ()):
                if hit[0] in allowed:
                    counts[hit] += 1
        by_source: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (key, m), shared in counts.items():
            if shared >= MIN_SHARED:
                by_source[key].append((shared, m))
        best = sorted(by_source.items(), key=lambda item: (-max(item[1])[0], item[0]))[:SOURCES]
        return {key: [m for _, m in sorted(hits, reverse=True)[:CANDIDATES]] for key, hits in best}

    def _covered(self, text: str, key: int, candidates: list[int]) -> tuple[int, list[str]]:
        """Characters of ``text`` found in the candidates, and the passages quoted: runs of
        shared shingles at least ``MIN_PASSAGE`` long that are not all stock wording."""
        theirs = frozenset().union(*(self.full(key, m) for m in candidates))
        covered = [False] * len(text)
        for i in range(len(text) - SHINGLE + 1):
            if text[i : i + SHINGLE] in theirs:
                covered[i : i + SHINGLE] = [True] * SHINGLE
        runs = [r for r in _runs(text, covered) if len(r) >= MIN_PASSAGE and self._own(r)]
        return sum(len(r) for r in runs), runs

    def _own(self, passage: str) -> bool:
        """Whether a common passage is more than the stock wording every agency uses."""
        grams = _sampled(passage[i : i + SHINGLE] for i in range(len(passage) - SHINGLE + 1))
        stock = sum(1 for g in grams if g in self.stock)
        return stock * 2 <= len(grams) if grams else True


def _runs(text: str, covered: list[bool]) -> list[str]:
    """The covered stretches of ``text``, each a quoted passage."""
    runs, start = [], None
    for i, flag in enumerate([*covered, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            runs.append(text[start:i])
            start = None
    return runs
