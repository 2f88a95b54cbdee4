"""Checking a scheme's quotes against the text of its document.

Every ``source: {section, quote}`` in a scheme quotes the document verbatim. Text
extracted from a published file breaks lines (and spaces) inside sentences and even
inside words, and carries page numbers such as ``—7—``; so both sides are compared
with all white space removed and the page-number lines of the document dropped. A
quote that is not found is reported with the closest passage of the document, found
from the longest run the two have in common and widened to the quote's length.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from pydantic import BaseModel

from .errors import UnreadableError
from .findings import Finding, error
from .policy import Clause, Scheme
from .resources import builtin_dir

# Lines that hold only a page number: "—7—", "- 7 -", "－ 12 －".
_PAGE_NUMBER = re.compile(
    r"^[ \t\u3000]*[—–\-－]+[ \t\u3000]*\d{1,4}[ \t\u3000]*[—–\-－]+[ \t\u3000]*$", re.M
)
# White space, and the invisible characters that PDF extraction leaves between letters.
_SKIP = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
# The longest quote shown whole in a hint; longer passages are cut in the middle.
_SHOW = 80
# Below this share of the quote in common, the document holds nothing like it.
_LEAST = 0.3


def squash(text: str) -> str:
    """``text`` without any white space (the form quotes are compared in)."""
    return _SKIP.sub("", text)


@dataclass
class DocumentText:
    """A document's text, squashed for comparing, with the way back to its lines."""

    name: str
    text: str
    squashed: str = field(init=False)
    _origin: list[int] = field(init=False, repr=False)
    _line_starts: list[int] = field(init=False, repr=False)
    _folded: str = field(init=False, repr=False)
    _matcher: SequenceMatcher[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        blanked = _PAGE_NUMBER.sub(lambda m: " " * len(m.group()), self.text)
        kept = [(i, c) for i, c in enumerate(blanked) if not _SKIP.match(c)]
        self.squashed = "".join(c for _, c in kept)
        self._origin = [i for i, _ in kept]
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", self.text))]
        self._folded = _fold(self.squashed)

    def contains(self, quote: str) -> bool:
        """True when ``quote`` appears in the document, white space aside."""
        return squash(quote) in self.squashed

    def line_of(self, squashed_index: int) -> int:
        """The line (from 1) of the document where a squashed position lies."""
        index = self._origin[min(squashed_index, len(self._origin) - 1)] if self._origin else 0
        return bisect_right(self._line_starts, index)

    def closest(self, quote: str) -> tuple[int, int] | None:
        """The squashed span of the document closest to ``quote``, or None if nothing is."""
        wanted = squash(quote)
        if not wanted or not self.squashed:
            return None
        if self._matcher is None:
            # The document is the matcher's second sequence: indexed once, for every quote.
            self._matcher = SequenceMatcher(None, autojunk=False)
            self._matcher.set_seq2(self.squashed)
        self._matcher.set_seq1(wanted)
        i, j, size = self._matcher.find_longest_match(0, len(wanted), 0, len(self.squashed))
        if size < 2:
            return None
        # Align the quote on its longest common run, with room for what it left out.
        slack = len(wanted) // 3 + 2
        start = max(0, j - i - slack)
        end = min(len(self.squashed), j - i + len(wanted) + slack)
        window = self.squashed[start:end]
        blocks = [
            b
            for b in SequenceMatcher(None, wanted, window, autojunk=False).get_matching_blocks()
            if b.size >= 2 or (b.size and len(wanted) < 6)
        ]
        if not blocks or sum(b.size for b in blocks) < _LEAST * len(wanted):
            return None
        # From the first run to the last, widened by the parts of the quote before the
        # first and after the last (which differ there, and are shown differing).
        first, last = blocks[0], blocks[-1]
        head = max(0, first.b - first.a)
        tail = min(len(window), last.b + last.size + len(wanted) - last.a - last.size)
        return start + head, start + tail

    def found_folded(self, quote: str) -> int | None:
        """Where ``quote`` is found once full- and half-width forms are made the same."""
        index = self._folded.find(_fold(squash(quote)))
        return index if index >= 0 else None


def _fold(text: str) -> str:
    # NFKC maps full-width letters, digits and most punctuation to their plain forms;
    # it keeps the length of these texts, so positions carry over.
    return "".join(unicodedata.normalize("NFKC", c)[:1] or c for c in text)


def read_document(path: Path, display: str | None = None) -> DocumentText:
    """A document's plain text: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030."""
    # The loader's reader: refuses folders, devices and pipes, and files too large to be text.
    from .loading import _read_bytes, display_name

    name = display or display_name(path)
    return DocumentText(name, decode_document(_read_bytes(path, name), name))


def decode_document(raw: bytes, name: str) -> str:
    """The text of a document file; Chinese Windows saves GBK as often as UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode"
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in raw[:8192]:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise UnreadableError(
        f"{name}: 不是纯文本文件，无法读出原文",
        hint="原文请另存为纯文本（.txt，UTF-8 或 GBK 编码）：Word/WPS 用“另存为 → 纯文本”，"
        "PDF 可全选复制到记事本后保存。",
    )


def find_seed(scheme: Scheme, scheme_path: Path) -> Path | None:
    """The document named by ``document.seed``: in ``sources/`` beside the scheme file,
    else among the documents that ship with cdo. None when not named or not found."""
    seed = scheme.document.seed
    if not seed or seed != Path(seed).name or seed in (".", ".."):
        return None
    for folder in (scheme_path.parent / "sources", builtin_dir() / "sources"):
        candidate = folder / seed
        if candidate.is_file():
            return candidate
    return None


def clauses(
    model: BaseModel, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Clause]]:
    """Every ``source`` clause in a model, with its key path, in file order."""
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            where = (*path, name) if i is None else (*path, name, i)
            if isinstance(item, Clause):
                yield where, item
            elif isinstance(item, BaseModel):
                yield from clauses(item, where)


def check_quotes(scheme: Scheme, document: DocumentText) -> list[Finding]:
    """An error for every quote of ``scheme`` that ``document`` does not contain.

    Placeholders left by ``cdo policy new`` (``TODO…``) are reported elsewhere.
    """
    out: list[Finding] = []
    seen: dict[str, Finding | None] = {}
    for path, clause in clauses(scheme):
        quote = clause.quote
        if quote.startswith("TODO") or document.contains(quote):
            continue
        if quote not in seen:
            seen[quote] = _not_found(quote, document)
        finding = seen[quote]
        if finding is not None:
            out.append(
                Finding(
                    finding.code,
                    finding.severity,
                    finding.message,
                    (*path, "quote"),
                    hint=finding.hint,
                )
            )
    return out


def _not_found(quote: str, document: DocumentText) -> Finding:
    wanted = squash(quote)
    folded_at = document.found_folded(quote)
    if folded_at is not None:
        passage = document.squashed[folded_at : folded_at + len(wanted)]
        line = document.line_of(folded_at)
        return error(
            "quote-not-found",
            f"引文“{_short(quote)}”与原文只差全角、半角写法（如“（”和“(”、“，”和“,”）",
            hint=f"原文（{document.name} 第 {line} 行）：“{_short(passage)}”；请照原文逐字复制。",
        )
    span = document.closest(quote)
    if span is None:
        return error(
            "quote-not-found",
            f"原文中找不到引文“{_short(quote)}”",
            hint=f"{document.name} 中没有相近的文字；请核对是否引自这份文件，并从原文逐字复制。",
        )
    start, end = span
    passage = document.squashed[start:end]
    line = document.line_of(start)
    hint = f"最接近的原文（{document.name} 第 {line} 行）：“{_short(passage)}”"
    difference = _first_difference(wanted, passage)
    if difference:
        hint += f"；{difference}"
    return error("quote-not-found", f"原文中找不到引文“{_short(quote)}”", hint=hint)


def _first_difference(quote: str, passage: str) -> str:
    """The first place where the quote departs from the passage, said in words."""
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        ours, theirs = _short(quote[i1:i2], 20), _short(passage[j1:j2], 20)
        before = quote[max(0, i1 - 6) : i1]
        at = f"在“{before}”之后" if before else "开头"
        if tag == "replace":
            return f"第一处不同{at}：引文作“{ours}”，原文作“{theirs}”"
        if tag == "delete":
            return f"第一处不同{at}：引文多了“{ours}”"
        return f"第一处不同{at}：引文少了原文的“{theirs}”"
    return ""


def _short(text: str, limit: int = _SHOW) -> str:
    """``text`` on one line, cut in the middle when longer than ``limit`` characters."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    half = (limit - 1) // 2
    return f"{flat[:half]}…{flat[-half:]}"
