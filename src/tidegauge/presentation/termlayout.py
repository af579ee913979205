"""Table layout for the terminal: widths decided here, text wrapped here, nothing ever cut.

Rich crops a ``no_wrap`` column with "…" when a table is wider than the terminal, and folds a
text column anywhere, including inside a number or a date ("2026年6 / 月17日"). So the terminal
face decides the layout itself:

1. numbers and dates keep their full width (their column never wraps);
2. text columns wrap between words, and in Chinese between characters, but never inside a
   number, an amount or a date (:func:`tokens`);
3. when even the narrowest layout is wider than the terminal, the columns of lowest priority are
   left out; when that is not enough either, the table is printed as a list of records (one
   ``label: value`` line per cell), which fits any width.

>>> wrap_text("since 2025年12月17日 (RMP2025)", 10)
['since', '2025年12月17日', '(RMP2025)']
>>> wrap_text("+$1.20 trillion in Sep 10, 2008", 12)
['+$1.20', 'trillion in', 'Sep 10, 2008']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

__all__ = ["MIN_TEXT_WIDTH", "Layout", "layout", "tokens", "wrap_text"]

MIN_TEXT_WIDTH = 14
"""A wrapping column gets at least this many cells (or its longest unbreakable token) while the
table fits; below that, columns are left out first."""

NARROW_TEXT_WIDTH = 8
"""The narrowest a wrapping column may become before the table turns into records."""

_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_OPEN = r"[(\[（]?"  # a date or number may sit in brackets: "8,928 (Feb 23, 2022)"
_CLOSE = r"[)\],;:.）]*"
_CJK_UNIT = r"(?:[萬億兆万亿]+)?(?:美元|歐元|欧元|日圓|日元|個百分點|个百分点|基點|基点)"
"""A Chinese amount's unit stays with its number: ``+3,637 億美元``, ``6.73 兆美元``."""
_TOKEN = re.compile(
    _OPEN
    + r"""(?:
      \d{4}年\d{1,2}月(?:\d{1,2}日)?          # 2026年6月17日, 2026年6月
    | \d{1,2}月\d{1,2}日                      # 6月17日
    | """
    + _MONTHS
    + r"""[ ]\d{1,2},[ ]\d{4}                 # Jun 17, 2026
    | """
    + _MONTHS
    + r"""[ ]\d{4}                            # Jun 2026
    )"""
    + _CLOSE
    + r"""
    | [(\[（]?[-+−]?[$€¥]?[\d][\d,.]*(?:[%‰]|[ ]?(?:pp|bp)\b|[ ]?"""
    + _CJK_UNIT
    + r""")?[)\],;:.）]*  # (-$1,196.5), 7.3%, +3,637 億美元
    | （?[A-Za-z0-9_./()\[\]+:;,'"$%&=<>…·]+-?[）]?  # a Latin word (a hyphen may end a line)
    | [-−–—]
    | \s+                                      # space
    | .                                        # one CJK (or other) character
    """,
    re.VERBOSE,
)


def tokens(text: str) -> list[str]:
    """``text`` cut into pieces that a line break may separate but never split."""
    return _TOKEN.findall(text)


def longest_token(text: str) -> int:
    return max((cell_len(tok) for tok in tokens(text) if not tok.isspace()), default=0)


def wrap_text(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken only between :func:`tokens` (a token
    wider than ``width`` gets a line of its own, uncut)."""
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for tok in tokens(para):
            if tok.isspace():
                if line:
                    line += " "
                continue
            if not line:
                line = tok
            elif cell_len(line) + cell_len(tok) <= width:
                line += tok
            else:
                out.append(line.rstrip())
                line = tok
        out.append(line.rstrip())
    return out


@dataclass(frozen=True)
class Layout:
    """What to print: the kept column indexes and their widths, or ``records`` (no table).

    ``compact``: no borders and one space between columns (a narrow terminal)."""

    keep: tuple[int, ...]
    widths: tuple[int, ...]
    dropped: tuple[int, ...]
    records: bool = False
    compact: bool = False


def overhead(n: int, compact: bool = False) -> int:
    """Cells a rich table of ``n`` columns adds: box lines and one space of padding inside each
    column boundary (``pad_edge=False``), or one space between columns when ``compact``."""
    return max(n - 1, 0) if compact else (n + 1) + 2 * n - 2


def _head_min(head: str) -> int:
    """The narrowest a heading may wrap to above a column of numbers: whole when short
    (``頻率``, ``Weeks``), else its longest word (``Change,`` of ``Change, %``)."""
    return cell_len(head) if cell_len(head) <= 8 else longest_token(head)


def layout(
    heads: Sequence[str],
    cells: Sequence[Sequence[str]],
    wraps: Sequence[bool],
    priorities: Sequence[int],
    width: int,
) -> Layout:
    """Choose the columns and widths for a table of ``cells`` in ``width`` terminal cells.

    Tried in turn: every column with borders, every column compact, every column compact with
    narrower text columns, then compact while leaving out columns by priority (highest number
    first); when nothing fits, records."""
    n = len(heads)
    cols = [[row[j] for row in cells] for j in range(n)]
    unbreakable = [
        max((longest_token(x) for x in [heads[j], *cols[j]]), default=1) for j in range(n)
    ]
    natural = [
        max(
            max((cell_len(ln) for x in cols[j] for ln in x.split("\n")), default=1),
            cell_len(heads[j]) if wraps[j] else _head_min(heads[j]),
        )
        for j in range(n)
    ]

    def minimum(j: int, floor: int) -> int:
        if not wraps[j]:
            return natural[j]
        return max(unbreakable[j], min(floor, natural[j]))

    def fits(keep: list[int], floor: int, compact: bool) -> Layout | None:
        mins = [minimum(j, floor) for j in keep]
        spare = width - sum(mins) - overhead(len(keep), compact)
        if spare < 0:
            return None
        widths = list(mins)
        while spare > 0:  # water-filling: a cell at a time to the narrowest unfinished column
            open_ = [i for i, j in enumerate(keep) if widths[i] < natural[j]]
            if not open_:
                break
            widths[min(open_, key=lambda i: (widths[i], i))] += 1
            spare -= 1
        dropped = tuple(j for j in range(n) if j not in keep)
        return Layout(tuple(keep), tuple(widths), dropped, compact=compact)

    keep = list(range(n))
    for floor, compact in (
        (MIN_TEXT_WIDTH, False),
        (MIN_TEXT_WIDTH, True),
        (NARROW_TEXT_WIDTH, True),
    ):
        found = fits(keep, floor, compact)
        if found is not None:
            return found
    while len(keep) > 2:
        droppable = [j for j in keep if priorities[j] > 0]
        if not droppable:
            break
        keep.remove(max(droppable, key=lambda j: (priorities[j], j)))
        found = fits(keep, NARROW_TEXT_WIDTH, True)
        if found is not None:
            return found
    return Layout((), (), tuple(j for j in range(n)), records=True)
