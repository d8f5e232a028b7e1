"""The plain-language report of the problems found in a data directory (:mod:`features.problems`).

:class:`DataContractError` carries every problem of a data directory and
renders them as one readable report, in English or Chinese.

Examples
--------
>>> from features.problems import cell_problems
>>> problems = cell_problems("signals", "severity", "must be in [1, 3]", [4, 7], ["5", "0"])
>>> err = DataContractError(problems)
>>> print(err.report())  # doctest: +NORMALIZE_WHITESPACE
The data directory does not conform to the data contract: 2 problems in 1 table (signals).
<BLANKLINE>
table    column    row    value  rule
-------  --------  -----  -----  -----------------
signals  severity  row 4  5      must be in [1, 3]
                   row 7  0
<BLANKLINE>
Rows count the data rows: row 1 is the first row under the header (line 2 of a CSV file or spreadsheet).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence

import pandas as pd

from .codes import LANGUAGES
from .problems import concat_problems

__all__ = ["DataContractError", "format_table", "render_report", "translate_rule"]

SHOWN = 5
"""Rows shown per rule in the report."""
VALUE_WIDTH = 60

# ------------------------------------------------------------- translation

_ZH_HEAD = {"table": "表", "column": "列", "row": "行", "value": "值", "rule": "规则"}
_ZH_RULES: tuple[tuple[str, str], ...] = (
    (r"^missing column$", "缺少此列"),
    (r"^unknown column \(not in the contract\)$", "未知列（不在数据规范中）"),
    (r"^must not be empty$", "不得为空"),
    (r"^must be unique \(value appears more than once\)$", "不得重复（该值出现多次）"),
    (r"^must be a date YYYY-MM-DD$", "须为日期 YYYY-MM-DD"),
    (r"^must be a date and time \(ISO 8601\)$", "须为日期时间（ISO 8601）"),
    (r"^must be a date between (.+) and (.+)$", r"须为 \1 至 \2 之间的日期"),
    (r"^must be a date without a time of day$", "须为日期（不含时刻）"),
    (r"^must be an integer$", "须为整数"),
    (r"^must be an integer of at most (\d+) digits$", r"须为不超过 \1 位的整数"),
    (r"^must be a number$", "须为数值"),
    (r"^must be true or false(.*)$", r"须为 true 或 false\1"),
    (r"^must be one of (.+)$", r"须为下列之一：\1"),
    (r"^must be >= (.+)$", r"须 >= \1"),
    (r"^must be <= (.+)$", r"须 <= \1"),
    (r"^must be in (.+)$", r"须在区间 \1 内"),
    (r"^must exist in (.+)$", r"须存在于 \1"),
    (r"^required when (.+)$", r"\1 时必填"),
    (r"^must be empty unless (.+)$", r"仅当 \1 时填写，否则须为空"),
    (r"^must be 0 when (.+)$", r"\1 时须为 0"),
    (r"^must be > 0 when outcome is not none$", "outcome 不为 none 时须大于 0"),
    (r"^must not exceed (.+)$", r"不得超过 \1"),
    (r"^must not be before (.+)$", r"不得早于 \1"),
    (r"^must be after (.+)$", r"须晚于 \1"),
    (r"^must not be after the as-of date (.+)$", r"不得晚于基准日 \1"),
    (r"^must be a GB/T 2260 province code \(11 \.\. 65\)(.*)$", r"须为 GB/T 2260 省级行政区划代码（11 .. 65）\1"),
    (r"^must be ;-separated field codes (.+)$", r"须为以 ; 分隔的领域代码 \1"),
    (r"^must be ;-separated ids without spaces$", "须为以 ; 分隔的编号（不含空格）"),
    (r"^two files for one table: (.+)$", r"同一张表有两个文件：\1"),
    (r"^required table is missing \(expected (.+)\)$", r"缺少必需的表（应有 \1）"),
    (r"^file is not UTF-8 text \(byte (.+) at offset (\d+)\)$", r"文件不是 UTF-8 文本（偏移 \2 处的字节 \1）"),
    (r"^file is empty \(no header row\)$", "文件为空（没有表头行）"),
    (
        r"^file is UTF-16 text, not UTF-8 \(save it as CSV UTF-8\)$",
        "文件为 UTF-16 文本，不是 UTF-8（请另存为 CSV UTF-8）",
    ),
    (r"^table has no rows \(at least one is required\)$", "表中没有数据行（至少需要一行）"),
    (r"^file cannot be read as CSV: (.+)$", r"无法按 CSV 读取文件：\1"),
    (r"^file cannot be read as Parquet: (.+)$", r"无法按 Parquet 读取文件：\1"),
    (r"^file cannot be read: (.+)$", r"无法读取文件：\1"),
    (r"^file cannot be read as XLSX: (.+)$", r"无法按 XLSX 读取文件：\1"),
    (r"^file does not exist$", "文件不存在"),
    (r"^is a folder, not a file$", "是文件夹，不是文件"),
    (r"^must appear on one row only \(one grade per body\)$", "只能出现在一行（每个机构一个分类）"),
    (r"^column appears more than once in the header$", "此列在表头中出现多次"),
    (r"^row has (\d+) cells, the header has (\d+)$", r"该行有 \1 个单元格，表头只有 \2 个"),
)


def translate_rule(rule: str, lang: str = "en") -> str:
    """The rule in ``lang``; English when no translation is known.

    Examples
    --------
    >>> translate_rule("must be in (0, 1]", "zh")
    '须在区间 (0, 1] 内'
    """
    if lang == "zh":
        for pattern, template in _ZH_RULES:
            if re.match(pattern, rule):
                return re.sub(pattern, template, rule)
    return rule


# ---------------------------------------------------------------- rendering


def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _width(text: str) -> int:
    return sum(_char_width(ch) for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _clip(text: str, width: int = VALUE_WIDTH) -> str:
    """``text`` on one line, cut to ``width`` columns with "..." when longer.

    Only the first ``width + 1`` characters are looked at (every character
    takes at least one column), so a cell of any length is clipped in
    constant time.

    >>> _clip("认证" * 40, 10)
    '认证认...'
    >>> _clip("a\\nb", 10)
    'a b'
    """
    head = text[: width + 1].replace("\r", " ").replace("\n", " ")
    if len(text) <= width and _width(head) <= width:
        return head
    kept, used = [], 0
    for ch in head:
        used += _char_width(ch)
        if used > width - 3:
            break
        kept.append(ch)
    return "".join(kept) + "..."


def _lines_of_group(group: pd.DataFrame, lang: str) -> list[tuple[str, str, str, str, str]]:
    zh = lang == "zh"
    listed = group[~(group["row"].isna() & (group["count"] > 1))]
    total = int(group["count"].sum())
    first = listed.iloc[0] if len(listed) else group.iloc[0]
    rule = translate_rule(str(first["rule"]), lang)
    lines = []
    for i, (_, p) in enumerate(listed.head(SHOWN).iterrows()):
        row = "" if pd.isna(p["row"]) else (f"第 {p['row']} 行" if zh else f"row {p['row']}")
        value = p["value"] if p["value"] != "" or pd.isna(p["row"]) else ("（空）" if zh else "(empty)")
        head = (p["table"], p["column"]) if i == 0 else ("", "")
        lines.append((*head, row, _clip(value), rule if i == 0 else ""))
    more = total - min(len(listed), SHOWN)
    if more > 0:
        text = f"…… 另有 {more:,} 行" if zh else f"... and {more:,} more rows"
        head = (first["table"], first["column"]) if not lines else ("", "")
        lines.append((*head, text, "", rule if not lines else ""))
    return lines


def format_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> list[str]:
    """Lines of a plain-text table, columns aligned (CJK characters count double).

    Examples
    --------
    >>> for line in format_table([("bodies", "12")], ("table", "rows")):
    ...     print(line)
    table   rows
    ------  ----
    bodies  12
    """
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for r in rows:
        out.append("  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip())
    return out


ROWS_NOTE = "Rows count the data rows: row 1 is the first row under the header (line 2 of a CSV file or spreadsheet)."
ROWS_NOTE_ZH = "行号只计数据行：第 1 行是表头下的第一行（在 CSV 文件或电子表格中为第 2 行）。"
"""The note under a report that lists rows: what a row number means."""
SUBJECTS_ZH = {"data directory": "数据目录", "grades file": "风险分类文件", "dispositions table": "风险处置记录"}
"""What a report is about (the heading's subject), in Chinese."""


def _heading(problems: pd.DataFrame, lang: str, path: str | None, subject: str) -> str:
    n = int(problems["count"].sum())
    tables = list(dict.fromkeys(problems["table"]))
    if lang == "zh":
        name = SUBJECTS_ZH.get(subject, subject)
        where = f"{name} {path} " if path else name
        return f"{where}不符合数据规范：共 {n:,} 个问题，涉及 {len(tables)} 张表（{'、'.join(tables)}）。"
    where = f"The {subject} {path}" if path else f"The {subject}"
    plural = "s" if n != 1 else ""
    tplural = "s" if len(tables) != 1 else ""
    return f"{where} does not conform to the data contract: {n:,} problem{plural} in {len(tables)} table{tplural} ({', '.join(tables)})."


def render_report(
    problems: pd.DataFrame, lang: str = "en", path: str | None = None, subject: str = "data directory"
) -> str:
    """One plain-language report of every problem, grouped by table, column and rule.

    Parameters
    ----------
    problems : DataFrame
        Problems with columns :data:`PROBLEM_COLUMNS`.
    lang : {"en", "zh"}
        Language of headings and rules.
    path : str, optional
        The data directory (or file), named in the heading.
    subject : str
        What ``path`` is: ``"data directory"`` or ``"grades file"``.

    Returns
    -------
    str
    """
    if lang not in LANGUAGES:
        raise ValueError(f"`lang` must be 'en' or 'zh'; got {lang!r}.")
    if not len(problems):
        zh = SUBJECTS_ZH.get(subject, subject)
        return f"{zh}符合数据规范。" if lang == "zh" else f"The {subject} conforms to the data contract."
    lines: list[tuple[str, ...]] = []
    for _, group in problems.groupby(["table", "column", "rule"], sort=False):
        lines.extend(_lines_of_group(group, lang))
    names = ("table", "column", "row", "value", "rule")
    header = tuple(_ZH_HEAD[h] for h in names) if lang == "zh" else names
    body = format_table(lines, header)
    note = [""] + [ROWS_NOTE_ZH if lang == "zh" else ROWS_NOTE] if problems["row"].notna().any() else []
    return "\n".join([_heading(problems, lang, path, subject), "", *body, *note])


# ------------------------------------------------------------------- error


class DataContractError(ValueError):
    """A data directory breaks the data contract; carries every problem found.

    Parameters
    ----------
    problems : DataFrame
        Columns :data:`PROBLEM_COLUMNS` (see the module docstring).
    path : str or Path, optional
        The data directory (or file), named in the report.
    subject : str
        What ``path`` is: ``"data directory"`` (default) or ``"grades file"``.

    Attributes
    ----------
    problems : DataFrame
        Every problem, ordered by table.

    Examples
    --------
    >>> from features.problems import table_problem
    >>> err = DataContractError(table_problem("bodies", "missing column", column="status"))
    >>> err.problems.loc[0, "rule"]
    'missing column'
    >>> "1 problem in 1 table" in str(err)
    True
    """

    def __init__(
        self, problems: pd.DataFrame, path: str | os.PathLike | None = None, subject: str = "data directory"
    ) -> None:
        self.problems = concat_problems([problems]).reset_index(drop=True)
        self.path = None if path is None else str(path)
        self.subject = subject
        super().__init__(self.report("en"))

    def __reduce__(self) -> tuple[type[DataContractError], tuple[pd.DataFrame, str | None, str]]:
        return (type(self), (self.problems, self.path, self.subject))

    def report(self, lang: str = "en") -> str:
        """The report of every problem, in English (``"en"``) or Chinese (``"zh"``)."""
        return render_report(self.problems, lang, self.path, self.subject)

    def __str__(self) -> str:
        return self.report("en")
