"""Opening a Word file someone sent back, safely, and taking out its text in order.

:func:`open_docx` refuses what python-docx should never be given (an old binary .doc,
a password-protected file, a corrupt or oversized zip) with a message a clerk can act
on; :func:`read_content` turns the document into what the form reader needs: the
paragraphs and table rows in document order, each table as a grid of cell texts with
merged cells resolved, and the custom properties.

python-docx does the parsing. Two things it does not reach are read from its elements
directly, and only those: text that Word keeps outside a paragraph's plain runs (typed
while 修订/track changes was on, inside a content control or a field), and the merge
marks of a cell (``w:gridSpan``, ``w:vMerge``, which python-docx exposes on its cell
elements but resolves only for well-formed tables).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cell_text import match_key
from .docx_properties import read_custom
from .errors import UnreadableError
from .file_input import read_input
from .text import visible

# Bounds on what a form may unpack to. A filled form is tens of kilobytes; photos of a
# signature or a seal make it a few megabytes. A zip bomb declares far more.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_XML_BYTES = 30 * 1024 * 1024  # any one XML part, document.xml included
MAX_MEMBERS = 5_000
# Table rows and paragraphs: a form has tens, a list of every unit of a province a few
# thousand. A document within MAX_XML_BYTES may hold 300,000 rows, minutes of reading.
MAX_ITEMS = 10_000

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _shown(path: Path) -> str:
    """The file as messages name it: as given, control characters made visible."""
    return visible(str(path))


def _stream(name: str) -> bytes:
    """An OLE stream name as the compound file's directory stores it (UTF-16LE)."""
    return name.encode("utf-16-le")


def _convert_hint(path: Path, target: str) -> str:
    """How to turn an old or foreign file into a .docx (or .xlsx)."""
    from .file_input import convert_hint

    if target == "xlsx":
        return convert_hint(path, target, "Excel 或 WPS", "“Excel 工作簿（*.xlsx）”")
    return convert_hint(path, target, "Word 或 WPS", f"“Word 文档（*.{target}）”")


def _refuse_binary(path: Path, data: bytes) -> None:
    """Name what a file that is not a zip is, when its first bytes say so."""
    shown = _shown(path)
    if not data:
        raise UnreadableError(f"{shown} 是空文件（0 字节）", hint="请让对方重新发送。")
    if data.startswith(_OLE_MAGIC):
        # Office wraps a password-protected .docx/.xlsx in the same compound-file
        # container as an old .doc; its streams tell them apart.
        if _stream("EncryptedPackage") in data:
            raise UnreadableError(
                f"{shown} 设置了打开密码（已加密），无法读取",
                hint="请在 Word 或 WPS 中打开，在“文件 → 信息 → 保护文档”（WPS：“文件 → "
                "文档加密”）中取消密码并保存，或请对方发送未加密的文件。",
            )
        if _stream("WordDocument") in data:
            raise UnreadableError(
                f"{shown} 是旧版 Word 文档（.doc），只能读取 .docx",
                hint=_convert_hint(path, "docx"),
            )
        if _stream("Workbook") in data or _stream("Book") in data:
            raise UnreadableError(
                f"{shown} 是旧版 Excel 工作簿（.xls），不是 Word 文档",
                hint=_convert_hint(path, "xlsx"),
            )
        raise UnreadableError(
            f"{shown} 是旧版 Office 或 WPS 格式的文件，只能读取 .docx",
            hint=_convert_hint(path, "docx"),
        )
    head = data[:512].lstrip().lower()
    if head.startswith(b"{\\rtf"):
        what = "RTF 文档"
    elif head.startswith(b"%pdf"):
        what = "PDF 文件"
    elif head.startswith((b"<html", b"<!doctype", b"<?xml", b"mime-version")):
        what = "网页或 XML 文件（Word 的“另存为网页”或 WPS 的另一种格式）"
    else:
        raise UnreadableError(
            f"{shown} 不是 Word 文档（.docx），也不是完整的 zip 文件，可能已损坏或只下载了一部分",
            hint="请用 Word 或 WPS 打开检查；打不开时请对方重新发送。",
        )
    raise UnreadableError(
        f"{shown} 是{what}，不是 Word 文档（.docx）", hint=_convert_hint(path, "docx")
    )


def _check_zip(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose declared content is too large to be a form (a zip bomb).

    zipfile never inflates a member beyond the size its header declares (it stops
    there, and the CRC check fails), so bounding the declared sizes bounds the memory.
    """
    infos = archive.infolist()
    names = {i.filename for i in infos}
    unpacked = sum(i.file_size for i in infos)
    biggest_xml = max(
        (i.file_size for i in infos if i.filename.endswith((".xml", ".rels"))), default=0
    )
    if len(infos) > MAX_MEMBERS or unpacked > MAX_UNPACKED_BYTES or biggest_xml > MAX_XML_BYTES:
        raise UnreadableError(
            f"{_shown(path)} 解压后过大（{len(infos)} 个部分，共 {unpacked // 1_000_000} MB），"
            "不像是一份表格，未读取",
            hint="表格文件通常只有几十 KB；请确认文件来源，或请对方重新发送。",
        )
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return
    if "xl/workbook.xml" in names:
        what = "Excel 工作簿（.xlsx）"
    elif "ppt/presentation.xml" in names:
        what = "PowerPoint 演示文稿（.pptx）"
    elif "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
        what = "OpenDocument 文件（.odt/.ods，WPS 或 LibreOffice 的格式）"
    else:
        what = "zip 压缩包"
    hint = (
        "工作簿的扩展名应为 .xlsx。"
        if what.startswith("Excel")
        else _convert_hint(path, "docx")
        if what.startswith("OpenDocument")
        else "请确认选对了文件。"
    )
    raise UnreadableError(f"{_shown(path)} 是{what}，不是 Word 文档（.docx）", hint=hint)


def open_docx(path: Path) -> Any:
    """The python-docx ``Document`` of ``path``; UnreadableError (exit 2) for anything else."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    # Only a regular file, and no more of it than a form can be: a FIFO or /dev/zero
    # named x.docx would never end.
    data = read_input(path, _shown(path), MAX_FILE_BYTES, " Word 文档")
    if not data.startswith(b"PK"):
        _refuse_binary(path, data)
    broken = UnreadableError(
        f"{_shown(path)} 已损坏，无法读取（zip 结构不完整或内容出错）",
        hint="请用 Word 或 WPS 打开检查：能打开时另存一份再导入；打不开时请对方重新发送。",
    )
    zip_errors = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)
    try:  # NotImplementedError: a compression method zipfile lacks (Deflate64, …)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip(path, archive)
    except zip_errors:
        raise broken from None
    try:
        return docx.Document(io.BytesIO(data))
    except (*zip_errors, etree.XMLSyntaxError):
        raise broken from None
    except (KeyError, ValueError, AttributeError, TypeError, PackageNotFoundError):
        # python-docx: a main part that is not a Word document (.docm, .dotx),
        # relationships pointing nowhere, a part whose XML is not what its name says.
        raise UnreadableError(
            f"{_shown(path)} 不是可读取的 Word 文档（.docx）：内部结构不符合 Word 文档的格式"
            "（可能是启用宏的 .docm、模板 .dotx，或已损坏）",
            hint="请在 Word 或 WPS 中打开，另存为“Word 文档（*.docx）”后再导入。",
        ) from None


# ---------------------------------------------------------------- content in order


@dataclass(frozen=True)
class Cell:
    """One grid position of a table row: its text, its key, and which cell it belongs to.

    A merged cell covers several positions; they share ``origin`` (the grid position
    of its top-left corner), so a row spanned by one cell is recognisable.
    """

    text: str
    key: str
    origin: tuple[int, int]


@dataclass(frozen=True)
class Row:
    """A table row: table number (1-based), row number (1-based), and its grid cells."""

    table: int
    number: int
    cells: tuple[Cell, ...]

    def texts(self) -> list[str]:
        """The distinct non-empty texts of the row, in order (a merged cell counts once)."""
        seen: set[tuple[int, int]] = set()
        out = []
        for cell in self.cells:
            if cell.origin not in seen and cell.key:
                out.append(cell.text)
            seen.add(cell.origin)
        return out

    @property
    def spanned(self) -> bool:
        """True when one cell covers the whole row (a heading or a title row)."""
        return len({c.origin for c in self.cells}) == 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph outside tables: its number among them (1-based) and its text."""

    number: int
    text: str


@dataclass
class Content:
    """A document's paragraphs and table rows in order, and its custom properties."""

    items: list[Paragraph | Row] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)

    def all_text(self) -> str:
        """Every text of the document in order, as one key (for finding a title)."""
        parts: list[str] = []
        for item in self.items:
            parts.extend([item.text] if isinstance(item, Paragraph) else item.texts())
        return "".join(match_key(p) for p in parts)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _R, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}r", f"{_W}tr", f"{_W}tc"
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
# Runs under these are not the paragraph's text: deleted or moved-away text, text boxes
# (their own paragraphs), and the copy of a drawing kept for old readers.
_NOT_TEXT = {
    f"{_W}del", f"{_W}moveFrom", _P, f"{_W}txbxContent", _R,
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}  # fmt: skip


def _blocks(parent: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body or cell, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            inner = child.find(_SDT_CONTENT)
            if inner is not None:
                yield from _blocks(inner)
        elif child.tag == _CUSTOM_XML:
            yield from _blocks(child)


def paragraph_text(p: Any) -> str:
    """A paragraph's text as Word shows it with changes accepted.

    python-docx's ``Paragraph.text`` reads only the paragraph's direct runs; Word puts
    text typed under track changes in ``w:ins``, and also nests runs in content
    controls, smart tags and fields. Runs of deleted text, and of text boxes anchored
    in the paragraph, are not its text.
    """
    out = []
    for run in p.iter(_R):
        node = run.getparent()
        inside = False
        while node is not None and node is not p:
            if node.tag in _NOT_TEXT:
                inside = True
                break
            node = node.getparent()
        if not inside:
            out.append(run.text)  # python-docx's CT_R.text: tabs and breaks included
    return "".join(out)


def _cell_text(tc: Any) -> str:
    """A cell's text; a table typed inside the cell gives a line per row (手机 138…)."""
    lines = []
    for block in _blocks(tc):
        if block.tag == _P:
            lines.append(paragraph_text(block))
        else:
            for tr in block.iterchildren(_TR):
                lines.append(" ".join(t for c in tr.iterchildren(_TC) if (t := _cell_text(c))))
    return "\n".join(lines)


def _frame(tbl: Any) -> Any | None:
    """The one cell of a table that only frames the form (one row, one cell holding a
    table), else None: the form inside is read as if it were not framed."""
    rows = list(tbl.iterchildren(_TR))
    cells = list(rows[0].iterchildren(_TC)) if len(rows) == 1 else []
    if len(cells) == 1 and any(b.tag == _TBL for b in _blocks(cells[0])):
        return cells[0]
    return None


def _content_blocks(parent: Any) -> Iterator[Any]:
    """The paragraphs and tables of the body in order, framing tables opened."""
    for block in _blocks(parent):
        inner = _frame(block) if block.tag == _TBL else None
        if inner is not None:
            yield from _content_blocks(inner)
        else:
            yield block


def _number(element: Any, name: str) -> int:
    """A row's ``grid_before`` or a cell's ``grid_span``; 0 where the file writes nonsense."""
    from docx.exceptions import InvalidXmlError

    try:
        return max(0, min(int(getattr(element, name)), 64))
    except (ValueError, TypeError, InvalidXmlError):
        return 0


def _merge(tc: Any) -> str | None:
    from docx.exceptions import InvalidXmlError

    try:
        return str(tc.vMerge) if tc.vMerge is not None else None
    except (ValueError, InvalidXmlError):
        return None


def _table_rows(tbl: Any, number: int) -> Iterator[Row]:
    """The rows of a table as grids: spans repeated, vertical merges carry the text down.

    python-docx's ``_Row.cells`` resolves merges too, but fails on a table whose first
    row continues a merge; this reads the same marks and tolerates that.
    """
    above: dict[int, Cell] = {}
    for r, tr in enumerate(tbl.tr_lst, 1):
        cells: list[Cell] = []
        column = _number(tr, "grid_before")
        for _ in range(column):
            cells.append(Cell("", "", (r, -len(cells) - 1)))
        for tc in tr.tc_lst:
            span = max(1, _number(tc, "grid_span"))
            if _merge(tc) == "continue" and column in above:
                cell = above[column]
            else:
                text = _cell_text(tc)
                cell = Cell(text, match_key(text), (r, column))
            for _ in range(span):
                cells.append(cell)
            column += span
        above = {i: c for i, c in enumerate(cells)}
        if cells:
            yield Row(number, r, tuple(cells))


def read_content(document: Any, shown: str = "文件") -> Content:
    """Paragraphs and table rows in document order, and the custom properties.

    UnreadableError (exit 2) for a document of more than MAX_ITEMS rows and paragraphs.
    """
    content = Content(properties=read_custom(document))
    tables = paragraphs = 0
    for block in _content_blocks(document.element.body):
        if block.tag == _TBL:
            tables += 1
            for row in _table_rows(block, tables):
                content.items.append(row)
                _check_length(content, shown)
        else:
            paragraphs += 1
            content.items.append(Paragraph(paragraphs, paragraph_text(block)))
            _check_length(content, shown)
    return content


def _check_length(content: Content, shown: str) -> None:
    if len(content.items) > MAX_ITEMS:
        raise UnreadableError(
            f"{shown} 有超过 {MAX_ITEMS} 个表格行和段落，不像是一份表格，未读取",
            hint="请确认选对了文件；表格过长时请按单位分成几份。",
        )
