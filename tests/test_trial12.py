"""The bureau's papers tried as a new user would, following the README (issue 12): the
cases that went wrong then. cdo report's Word file printed unit names, four-character
names and role names broken mid-word.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest

from cdo_cli.docx_layout import pt_mm, text_width_em

Cli = Callable[..., Any]

ROOT = Path(__file__).resolve().parents[1]
ROSTERS = ROOT / "tests" / "data" / "report"
CASES = [("puning", "2023-12-20"), ("huizhou", "2023-04-20"), ("zhaoqing", "2022-04-25")]
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Columns whose every cell must stay whole: names of units, categories, posts and people,
# dates and numbers. A list of posts may break after its 、, a remark after its ，.
WHOLE = {"序号", "排名", "单位", "上级单位", "姓名", "类别", "未填写的职位", "期限", "名册"}
_PIECES = re.compile(r"(?<=[、，；])|\n")


def _report_docx(cli: Cli, tmp_path: Path, scheme: str, as_of: str) -> Any:
    text = (ROSTERS / f"{scheme}.yaml").read_text(encoding="utf-8")
    # a four-character name, in the people and (Huizhou) the evaluation's scores
    text = text.replace("孙海", "欧阳建国")
    (tmp_path / "roster.yaml").write_text(text, encoding="utf-8")
    result = cli("report", "--as-of", as_of, "-o", "r.docx")
    assert result.exit_code == 0, result.output
    return docx.Document(str(tmp_path / "r.docx"))


def _mm(twips: str) -> float:
    return int(twips) * 25.4 / 1440


def _padding_mm(table: Any) -> float:
    """Left and right cell margins (Word's default 1.9 mm each) and 1 mm for wide fonts."""
    margins = table._tbl.tblPr.find(f"{_W}tblCellMar")
    if margins is None:
        return 2 * 1.905 + 1.0
    left = margins.find(f"{_W}left")
    right = margins.find(f"{_W}right")
    return _mm(left.get(f"{_W}w")) + _mm(right.get(f"{_W}w")) + 1.0


@pytest.mark.parametrize(("scheme", "as_of"), CASES)
def test_report_docx_keeps_names_whole(cli: Cli, tmp_path: Path, scheme: str, as_of: str) -> None:
    """Every column holding names, dates or numbers is wide enough for its widest cell
    (and a header of two or three characters), within the 156 mm between the margins."""
    document = _report_docx(cli, tmp_path, scheme, as_of)
    seen = set()
    for table in document.tables:
        tbl = table._tbl
        widths = [_mm(c.get(f"{_W}w")) for c in tbl.tblGrid.findall(f"{_W}gridCol")]
        assert sum(widths) <= 156.1
        pad = _padding_mm(table)
        rows = tbl.findall(f"{_W}tr")
        header = ["".join(t.text for t in tc.iter(f"{_W}t")) for tc in rows[0].findall(f"{_W}tc")]
        for c, (head, width) in enumerate(zip(header, widths, strict=True)):
            size = float(rows[0].find(f".//{_W}sz").get(f"{_W}val")) / 2
            room = (width - pad) / pt_mm(size) + 0.01  # widths are whole twips
            if text_width_em(head) <= 3:
                assert text_width_em(head) <= room, (head, width)
            if head not in WHOLE:
                continue
            for tr in rows[1:]:
                cells = tr.findall(f"{_W}tc")
                if c >= len(cells) or cells[c].find(f".//{_W}gridSpan") is not None:
                    continue
                text = "".join(
                    (e.text or "") if e.tag == f"{_W}t" else "\n"
                    for e in cells[c].iter(f"{_W}t", f"{_W}br", f"{_W}p")
                )
                for piece in _PIECES.split(text.strip("\n")):
                    seen.add(piece)
                    assert text_width_em(piece) <= room, (head, piece, width)
    assert "欧阳建国" in seen or scheme != "huizhou"


def _timeline(cli: Cli, tmp_path: Path, scheme: str, as_of: str) -> str:
    (tmp_path / "roster.yaml").write_text(
        (ROSTERS / f"{scheme}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = cli("report", "--as-of", as_of, "-o", "r.html")
    assert result.exit_code == 0, result.output
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    start = page.index('data-chart="timeline"')
    return page[start : page.index("</svg>", start)]


@pytest.mark.parametrize(("scheme", "as_of"), CASES)
def test_report_timeline_dates_readable_across_the_lines(
    cli: Cli, tmp_path: Path, scheme: str, as_of: str
) -> None:
    """A deadline's date that a dashed line runs through (the as-of day's through
    2022-12-31（推定）, the issue date's through Puning's 2023-10-20) is drawn over the line
    with an outline of its row's colour, so the line stops short of the text."""
    from cdo_cli.report_charts import SMALL, text_width

    svg = _timeline(cli, tmp_path, scheme, as_of)
    lines = [
        (float(m.group(1)), m.end())
        for m in re.finditer(r'<g class="marker"[^>]*><line x1="([\d.]+)"', svg)
    ]
    assert lines
    dates = [
        (m.start(), *d.groups())
        for m in re.finditer(r'<g class="deadline".*?</g>', svg)
        for d in [
            re.search(
                r'<text x="([\d.]+)" [^>]*text-anchor="(start|end)"([^>]*)>([^<]+)</text></g>$',
                m.group(),
            )
        ]
        if d is not None
    ]
    assert dates
    crossed = 0
    for start, x, anchor, attrs, text in dates:
        width = text_width(text, SMALL)
        left = float(x) - (width if anchor == "end" else 0)
        for line, where in lines:
            if left - 1 < line < left + width + 1:
                crossed += 1
                assert where < start, (text, "drawn under the line")
                assert 'paint-order="stroke"' in attrs and 'stroke-width="4"' in attrs, text
    assert crossed or scheme == "zhaoqing"
