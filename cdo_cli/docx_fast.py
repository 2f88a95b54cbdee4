"""What makes ``cdo render --all`` fast: table rows from stencils, and a zip whose
constant parts are compressed once.

A province renders thousands of the same form. Two things were paid per document that
need not be:

- **Rows, element by element.** A row was some fifty lxml calls. :class:`RowStencils`
  builds each shape of row once (its kind, its columns, how many lines each cell has)
  with the renderer's own code, with marks where the text goes, and keeps its serialized
  XML split at the marks; a row is then the pieces joined with its escaped text. The
  row's XML is whatever the renderer builds, so a change to the layout needs no change
  here.
- **Zipping.** Nine of a docx's twelve parts are the same in every document, and were
  compressed again for each. :class:`ZipStencil` compresses them once and copies their
  bytes; only the parts that change are compressed per document.

Both give the bytes of the slow path exactly (``tests/test_render.py`` compares them).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from lxml import etree

T = TypeVar("T")

# Where text goes in a stencil: private-use characters, which lxml writes as they are.
_MARK = "\ue000"
_LINE = re.compile("\ue000")

_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def escape_text(text: str) -> str:
    """Text as lxml writes it in element content (``visible`` leaves no control in it)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


# Characters lxml would not write as they are in element content: controls (\t and \n
# are fine, but visible() leaves none of them), \r, and anything XML cannot hold.
_NOT_PLAIN = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff\ue000]")


class RowStencils:
    """Tables as XML text: their start once per set of column widths, their rows from a
    stencil per shape of row.

    ``build_table(parent, widths)`` is the renderer's own builder of a table without
    rows; ``build(tbl, cells, *shape)`` its row builder, which appends one ``w:tr`` to
    ``tbl`` with the given cell texts. ``text_of`` is what the renderer does
    to a cell's text before writing it (``visible``); lines are split at ``\\n`` as the
    renderer splits them.
    """

    def __init__(
        self,
        build: Callable[..., None],
        build_table: Callable[[Any, Sequence[str]], Any],
        text_of: Callable[[str], str],
    ) -> None:
        self.build = build
        self.build_table = build_table
        self.text_of = text_of
        self._stencils: dict[tuple[Any, ...], list[str]] = {}
        self._tables: dict[tuple[str, ...], str] = {}
        self._parts: dict[tuple[Any, ...], tuple[str, float]] = {}

    def part(self, key: tuple[Any, ...], build: Callable[[Any], float]) -> tuple[str, float]:
        """Body elements that are the same in every document with this ``key`` (a form's
        label and title, the paragraph after a table) as XML text, and the height that
        ``build`` says they take; ``build(parent)`` appends them to ``parent``."""
        found = self._parts.get(key)
        if found is None:
            found = self._parts[key] = _inner_xml(build)
        return found

    def table(self, widths: tuple[str, ...]) -> str:
        """A table's start as XML text, up to its first row (``build_table`` makes it)."""
        head = self._tables.get(widths)
        if head is None:
            text, _ = _inner_xml(lambda root: self.build_table(root, widths))
            head = self._tables[widths] = text[: text.rindex("</w:tbl>")]
        return head

    def row(self, cells: Sequence[str], shape: tuple[Any, ...]) -> str | None:
        """The row's XML, or None when a cell holds text this stencil cannot write (the
        caller then builds the row itself)."""
        lines: list[str] = []
        counts: list[int] = []
        for text in cells:
            if not text:
                counts.append(0)
                continue
            parts = [self.text_of(line) for line in text.split("\n")]
            for part in parts:
                if _NOT_PLAIN.search(part):
                    return None
            lines += parts
            counts.append(len(parts))
        key = (*shape, tuple(counts))
        pieces = self._stencils.get(key)
        if pieces is None:
            pieces = self._stencils[key] = self._make(shape, counts)
        out = [pieces[0]]
        for piece, line in zip(pieces[1:], lines, strict=True):
            out.append(escape_text(line))
            out.append(piece)
        return "".join(out)

    def _make(self, shape: tuple[Any, ...], counts: list[int]) -> list[str]:
        cells = ["\n".join([_MARK] * n) for n in counts]
        rows: list[Any] = []

        def one_row(root: Any) -> None:
            tbl = etree.SubElement(root, f"{{{_NS}}}tbl")
            self.build(tbl, cells, *shape)
            rows.extend(tbl)

        text, _ = _inner_xml(one_row)
        start = text.index("<w:tr")
        end = text.rindex("</w:tr>") + len("</w:tr>")
        pieces = _LINE.split(text[start:end])
        if len(pieces) != sum(counts) + 1 or [r.tag for r in rows] != [f"{{{_NS}}}tr"]:
            raise AssertionError("a row stencil did not come out as one row")  # pragma: no cover
        return pieces


def _inner_xml(build: Callable[[Any], T]) -> tuple[str, T]:
    """What ``build(root)`` appends to an empty ``w:document``, serialized as it will stand
    inside a document (the ``w`` prefix declared on the root, not on each element), and
    what ``build`` returned."""
    root = etree.Element(f"{{{_NS}}}document", nsmap={"w": _NS})
    result = build(root)
    text = etree.tostring(root, encoding="unicode")
    return text[text.index(">") + 1 : text.rindex("</w:document>")], result


# ---------------------------------------------------------------- zip

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


class ZipStencil:
    """A zip archive of fixed member names in a fixed order, most of them constant.

    Writes what :func:`zip_members` writes (``zipfile`` with ``ZIP_DEFLATED`` at the
    default level, each member dated ``date_time``), byte for byte, with the constant
    members compressed once. The headers are zipfile's own, taken from a one-member
    archive it writes; for a variable member only its CRC and sizes are filled in.
    """

    def __init__(
        self,
        members: Sequence[tuple[str, bytes]],
        variable: set[str],
        date_time: tuple[int, int, int, int, int, int],
    ) -> None:
        self.date_time = date_time
        # Per member: its name, whether it varies, its local header with its data, and
        # its central directory record (offset 0); for a variable member, the headers
        # of an empty one, to be filled in.
        self._parts: list[tuple[str, bool, bytes, bytes]] = []
        for name, blob in members:
            self._parts.append(
                (name, name in variable, *self._entry(name, b"" if name in variable else blob))
            )

    def _entry(self, name: str, blob: bytes) -> tuple[bytes, bytes]:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            info = zipfile.ZipInfo(name, self.date_time)
            archive.writestr(info, blob, compress_type=zipfile.ZIP_DEFLATED)
        data = buffer.getvalue()
        end = _END.unpack_from(data, len(data) - _END.size)
        cd_size, cd_offset = end[5], end[6]
        local, central = data[:cd_offset], data[cd_offset : cd_offset + cd_size]
        if _LOCAL.unpack_from(local)[11] or _CENTRAL.unpack_from(central)[13:15] != (0, 0):
            raise AssertionError("zipfile wrote an extra field or a comment")  # pragma: no cover
        return local, central

    def build(self, replaced: dict[str, bytes]) -> bytes:
        """The archive with ``replaced`` as the content of the variable members."""
        out: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for name, varies, local, record in self._parts:
            if varies:
                local, record = _filled(local, record, replaced[name])
            out.append(local)
            central.append(record[:42] + struct.pack("<L", offset) + record[46:])
            offset += len(local)
        directory = b"".join(central)
        out.append(directory)
        out.append(
            _END.pack(b"PK\005\006", 0, 0, len(central), len(central), len(directory), offset, 0)
        )
        return b"".join(out)


def _filled(local: bytes, record: bytes, blob: bytes) -> tuple[bytes, bytes]:
    """An empty member's headers with ``blob`` deflated into them, as zipfile does it."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    data = compressor.compress(blob) + compressor.flush()
    crc = zlib.crc32(blob)
    head = list(_LOCAL.unpack_from(local))
    head[7:10] = [crc, len(data), len(blob)]
    name = local[_LOCAL.size : _LOCAL.size + head[10]]
    entry = list(_CENTRAL.unpack_from(record))
    entry[9:12] = [crc, len(data), len(blob)]
    return (
        _LOCAL.pack(*head) + name + data,
        _CENTRAL.pack(*entry) + record[_CENTRAL.size :],
    )


def zip_members(
    members: Sequence[tuple[str, bytes]], date_time: tuple[int, int, int, int, int, int]
) -> bytes:
    """The members zipped by ``zipfile`` (the slow path, and the reference for the fast)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in members:
            archive.writestr(
                zipfile.ZipInfo(name, date_time), blob, compress_type=zipfile.ZIP_DEFLATED
            )
    return buffer.getvalue()
