"""The template's fixed measures: GB/T 9704 fonts, sizes, line pitch, text width and style names.

They are shared by the styles, the page set-up, the narrative and the tables, so they
stand in one module of their own rather than in any one of those.

Layout follows GB/T 9704-2012 (党政机关公文格式): A4, 版心 156 mm x 225 mm,
3号仿宋 body on a fixed 28.95 pt line (22 lines a page), page number
"— 1 —" in 4号半角宋体, odd pages right and even pages left, one character in
(§7.5). Everything visual lives in named styles so a user can restyle the report
in Word without touching the tags.
"""

from __future__ import annotations

from docx.shared import Mm, Pt

# GB/T 9704-2012 fonts and sizes (号 → pt: 2号 22, 3号 16, 4号 14, 五号 10.5).
WESTERN = "Times New Roman"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"
XIAOBIAOSONG = "方正小标宋简体"
#: fontTable fallbacks: a PC without the GB2312 fonts substitutes the modern ones.
FONT_FALLBACKS = {
    FANGSONG: "仿宋",
    KAITI: "楷体",
    XIAOBIAOSONG: SONGTI,
    HEITI: "SimHei",
    SONGTI: "SimSun",
}
BODY_SIZE = Pt(16)
TITLE_SIZE = Pt(22)
TABLE_SIZE = Pt(10.5)
PAGE_NUMBER_SIZE = Pt(14)
LINE = Pt(28.95)  # 22 lines on a 225 mm 版心
TITLE_LINE = Pt(35)
TABLE_LINE = Pt(12)  # 五号 on a fixed line: table 三 fits a page (single spacing does not)
INDENT_CHARS = 2

TEXT_WIDTH_MM = 210 - 28 - 26  # 156 mm
CELL_MARGIN = Mm(0.6)  # five digits fit a 10.5 mm column at 五号

# Styles the template uses; users restyle the report by editing these in Word.
# (Custom names that do not collide with Word's built-in "Signature"/"Date" styles.)
TABLE_TEXT = "Table Text"
SIGNATURE = "Closing Agency"
DATE = "Closing Date"
CONTACT = "Contact Line"
