"""Which reader reads a file, and the limits on what import reads at all.

Everything import reads comes from outside: a report saved from any web site, a
.docx or PDF mailed in. The file must be a regular file (a FIFO would hang a read,
a folder fail late) and no larger than any real report, checked before reading.
"""

from __future__ import annotations

import stat
from pathlib import Path

from ...errors import InputError
from .decoding import decode_report
from .docx import read_docx
from .html import read_html
from .pdf import read_pdf
from .seen import Seen, what_is_seen
from .text import read_markdown, read_plain

READERS = {
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".text": "text",
}
#: Workbooks are read by label, cell by cell (``xlsx``), not as paragraphs and tables.
WORKBOOKS = (".xlsx",)
#: What a person calls each kind import reads (workbooks: ``xlsx``); the editor lists these.
KIND_LABELS = {
    "docx": "Word",
    "pdf": "PDF",
    "html": "网页",
    "markdown": "Markdown",
    "text": "文字",
    "xlsx": "Excel 工作簿",
}
MAX_TEXT_BYTES = 20 * 2**20  # a web page or text report: 20 MB is far beyond any real one
MAX_PACKAGE_BYTES = 50 * 2**20  # a .docx or .pdf may carry images


def read_report(path: Path) -> Seen:
    """The report as a person sees it, by the file's suffix, and what import must say
    about what it did not read (hidden content, a table printed twice: see ``seen``)."""
    kind = READERS.get(path.suffix.lower())
    size = regular_file_size(path)
    if kind is None:
        choices = "、".join(sorted([*READERS, *WORKBOOKS]))
        raise InputError(
            f"不支持的报告文件类型“{path.suffix or '（无扩展名）'}”",
            file=str(path),
            hint=f"可导入：{choices}；.doc 请先另存为 .docx",
        )
    limit = MAX_PACKAGE_BYTES if kind in ("docx", "pdf") else MAX_TEXT_BYTES
    if size > limit:
        raise InputError(
            f"文件过大（{size / 2**20:.1f} MB），超过导入上限 {limit // 2**20} MB，未导入",
            file=str(path),
            hint="年度报告的文本通常不足 1 MB；请确认选择的是年度报告本身",
        )
    if kind == "docx":
        return what_is_seen(read_docx(path))
    if kind == "pdf":
        return what_is_seen(read_pdf(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取：{exc.strerror or exc}", file=str(path)) from None
    if kind == "html":
        page = read_html(decode_report(data, markup=True))
        return what_is_seen(page.blocks, page.hidden)
    if kind == "markdown":
        return what_is_seen(read_markdown(decode_report(data)))
    return what_is_seen(read_plain(decode_report(data)))


def regular_file_size(path: Path) -> int:
    """The size of ``path``, refused at once unless it is a regular file: a folder, a
    FIFO or a device would make reading fail late, or hang."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("文件不存在", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"无法读取：{exc.strerror or exc}", file=str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        what = "文件夹" if stat.S_ISDIR(info.st_mode) else "管道、设备或其他特殊文件"
        raise InputError(
            f"不是普通文件（这是{what}），无法导入", file=str(path), hint="请给出一个报告文件"
        )
    return info.st_size
