"""Where a report's title breaks into lines: between words, in balanced lines.

GB/T 9704-2012 §7.3.3.1: a title of several lines keeps words whole and its lines
balanced (梯形或菱形). Word and LibreOffice break a centred Chinese line wherever
the width runs out ("…政府信息公开工 / 作年度报告"), so the break is computed here
and written into the title as a line break. The candidate places are the ends of
the title's phrases (after the agency's name, after 年 / 年度, after 政府信息公开,
after 工作) and, in a name too long for one line, after its place or office parts
and between the words of the office's own name (:func:`name_word_ends`).
"""

from __future__ import annotations

import re
from itertools import combinations, pairwise

#: Full-width characters in one title line: 156 mm of 版心 at 2号 (22 pt ≈ 7.76 mm) holds
#: 20.1, less the room word processors leave at a line's ends: 19 is what always fits.
LINE_WIDTH = 19.0
#: Digits and Latin letters are half-width (Times New Roman) in the title, and Word,
#: WPS and LibreOffice put a little space between them and Chinese (autoSpaceDN).
_HALF_WIDTH = re.compile(r"[\x20-\x7e]")
_LATIN_RUN = re.compile(r"[\x20-\x7e]+")
_RUN_SPACING = 0.5

#: Phrase ends in the title after the agency's name: a break may follow each.
_PHRASE_END = re.compile(r"\d{4}年度?|政府信息公开|工作(?=年度报告|报告)")
#: Ends of the parts of an agency's name (place, then office): 省 / 市 / 县 …
_NAME_PART_END = re.compile(
    # 乡 of 乡村 and 城乡, 州 of 杭州市 end no place
    r"(?:自治区|自治州|自治县|特别行政区|省|市|州(?!市)|盟|地区|县|区|旗|新区|开发区|镇|(?<!城)乡(?!村)|街道"
    r"|人民政府|办公室|办公厅|委员会|管理局|局|厅|中心)"
    # not the first character of a word that goes on (市场, 区域, 县级, 市委 …)
    r"(?![场政容民域级直属辖委管长])"
)


#: Words of the body of an office's name (农业农村, 乡村振兴, 综合, 行政, 执法 …): a name too
#: long for one line may break between two of them, never inside one (乡|村). The office's
#: last character (局, 委, 办 …) stays with the word before it.
_NAME_WORDS = """
    人民政府 人民代表大会 常务委员会 政治协商会议 委员会 办公室 办公厅 办事处 街道办事处 管理委员会
    管理局 管理处 管理所 服务中心 中心 信息化 信息 数据 大数据 政务服务 政务 公开 服务
    发展 改革 发展和改革 教育 体育 科学技术 科技 工业 工业和信息化 经济 商务 商业 贸易 投资 促进
    民族 宗教 事务 公安 民政 司法 财政 人力资源 社会保障 自然资源 规划 生态环境 环境保护 住房
    城乡建设 城乡 建设 城市管理 综合执法 交通运输 交通 水利 水务 农业农村 农业 农村 乡村振兴 乡村
    振兴 林业 草原 园林 绿化 文化 广播 电视 广播电视 旅游 文化和旅游 卫生健康 卫生 健康 退役军人
    应急管理 应急 审计 国有资产 监督管理 监督 市场监督 市场 统计 医疗保障 医疗 医保 信访 粮食
    物资储备 能源 机关事务 人民防空 人防 地方金融 金融 外事 侨务 台湾 港澳 档案 地震 气象 海洋
    渔业 畜牧 兽医 扶贫 开发 移民 安置 综合 行政 执法 审批 行政审批 行政执法 综合行政执法 消防
    救援 税务 海关 邮政 烟草 网信 网络 安全 保密 机要 编制 组织 宣传 统战 政法 残疾人 联合会
    妇女 工会 团委 科学 技术 研究 研究院 研究所 事业 发展中心 保障 征收 补偿 不动产 登记
"""
NAME_WORDS = frozenset(_NAME_WORDS.split())
_LONGEST_WORD = max(map(len, NAME_WORDS))
#: Words that join two names (自然资源和规划): a line may end after them.
_CONJUNCTIONS = frozenset("和与及")


def name_word_ends(body: str) -> list[int]:
    """Offsets in ``body`` (an office's name after its place parts) between two of its words.

    The body is cut into known words, longest first; a break may stand between two
    known words (or after 和 / 与 / 及), never next to a character no word explains,
    and never before the office's last character (执法|局 stays 执法局)."""
    tokens: list[tuple[str, bool]] = []
    i = 0
    while i < len(body):
        for size in range(min(_LONGEST_WORD, len(body) - i), 0, -1):
            piece = body[i : i + size]
            if (size > 1 and piece in NAME_WORDS) or (size == 1 and piece in _CONJUNCTIONS):
                tokens.append((piece, True))
                break
        else:
            piece = body[i]
            tokens.append((piece, False))
        i += len(piece)
    ends, offset = [], 0
    for (left, known_left), (right, known_right) in pairwise(tokens):
        offset += len(left)
        if known_left and known_right and len(right) > 1 and offset < len(body) - 1:
            ends.append(offset)
    return ends


def width(text: str) -> float:
    """The width of ``text`` in full-width characters."""
    glyphs = sum(0.5 if _HALF_WIDTH.match(ch) else 1.0 for ch in text)
    return glyphs + _RUN_SPACING * len(_LATIN_RUN.findall(text))


def break_points(title: str, agency: str = "") -> list[int]:
    """The offsets in ``title`` after which a line may end without cutting a word."""
    points: set[int] = set()
    start = 0
    if agency and title.startswith(agency):
        start = len(agency)
        points.add(start)
        places = [m.end() for m in _NAME_PART_END.finditer(agency) if 2 <= m.end() < start - 1]
        points.update(places)
        if width(agency) > LINE_WIDTH:  # the name itself must break: between its words
            body = max((p for p in places if p < start - 2), default=0)
            points.update(body + end for end in name_word_ends(agency[body:]))
    for match in _PHRASE_END.finditer(title, start):
        points.add(match.end())
    return sorted(p for p in points if 0 < p < len(title))


def title_lines(title: str, agency: str = "", line_width: float = LINE_WIDTH) -> list[str]:
    """``title`` as the fewest lines that fit, broken only at :func:`break_points`,
    the lines as even as possible (the longest line as short as it can be).

    A title with no break point that fits stays whole: the word processor then
    wraps it, which is all that can be done.
    """
    title = title.strip()
    if width(title) <= line_width:
        return [title]
    points = break_points(title, agency)
    for count in range(1, len(points) + 1):
        best: list[str] | None = None
        for chosen in combinations(points, count):
            bounds = (0, *chosen, len(title))
            lines = [title[a:b] for a, b in pairwise(bounds)]
            if max(map(width, lines)) > line_width:
                continue
            if best is None or _unevenness(lines) < _unevenness(best):
                best = lines
        if best is not None:
            return best
    return [title]


def _unevenness(lines: list[str]) -> tuple[float, float]:
    """Smaller is more balanced: the longest line, then the spread of the lengths."""
    widths = [width(line) for line in lines]
    return max(widths), max(widths) - min(widths)


def broken_title(title: str, agency: str = "") -> str:
    """The title with ``\\n`` at its computed line breaks (Word shows a line break)."""
    return "\n".join(title_lines(title, agency))
