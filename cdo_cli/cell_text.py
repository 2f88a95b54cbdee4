"""Text typed into a form's cells, made comparable and clean.

People fill in forms in Word and WPS: they pad names with spaces (``王  五``), press
Enter inside a cell, mix full- and half-width punctuation (``科室(股室)``), type digits
in full width (``１３８００１３８０００``) and write phones in groups (``138 0013 8000``).
:func:`match_key` is what two texts are compared by; :func:`clean_value` is what a
value becomes in the roster; :func:`split_contact`, :func:`clean_phone` and
:func:`clean_email` handle the contact columns. Nothing here knows about any scheme.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Characters Word and web pages leave that are no text: zero-width spaces and joiners,
# the byte-order mark, soft hyphens.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Whitespace of every width, the tab and the line breaks included.
_SPACE = re.compile(r"[\s\u3000\u00a0]+")


def _is_cjk(ch: str) -> bool:
    """True for a Chinese character or full-width punctuation (no spaces between them)."""
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK punctuation, kana, unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF  # extensions B and later
    )


def clean_value(text: str) -> str:
    """A cell's text as a roster value: stray spaces and line breaks gone.

    Whitespace between two Chinese characters is padding (``王  五`` is 王五, a line
    break inside ``市社会保险基金\\n管理局`` is none); elsewhere a run of whitespace
    becomes one space (``John  Smith``). Invisible characters are dropped. Anything
    else, full-width punctuation and control characters included, stays as typed:
    validation flags what does not belong.
    """
    out = ""
    for part in _SPACE.split(_INVISIBLE.sub("", text)):
        if not part:
            continue
        if out and not (_is_cjk(out[-1]) and _is_cjk(part[0])):
            out += " "
        out += part
    return out


def fold(text: str) -> str:
    """Full-width letters, digits and punctuation as their half-width forms (NFKC)."""
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))


@functools.lru_cache(maxsize=8192)  # headers and headings are compared again and again
def match_key(text: str) -> str:
    """What two labels are compared by: widths folded, no spaces, no punctuation, lower case.

    ``科室（股室）`` and ``科室 (股室)`` have the same key ``科室股室``; ``E-mail`` is ``email``.
    """
    return "".join(
        ch
        for ch in fold(text).lower()
        if not unicodedata.category(ch).startswith(("P", "S", "Z", "C"))
    )


# An enumerator before a heading: 一、 （一） (1) 1. 1、 第一、 ①
_ENUMERATOR = re.compile(
    r"^\s*(?:第?[一二三四五六七八九十]+\s*[、.．:：）)]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]"
    r"|\d+\s*[、.．:：）)]|[\u2460-\u2473\u2776-\u277f])\s*"
)


def heading_key(text: str) -> str:
    """A heading's key without its enumerator: ``一、市首席数据官`` and ``（一）市首席数据官`` match."""
    return match_key(strip_enumerator(text))


def strip_enumerator(text: str) -> str:
    """``text`` without the enumerator it begins with: ``1.陈添有`` → ``陈添有``."""
    return _ENUMERATOR.sub("", text, count=1)


# ---------------------------------------------------------------- phones and e-mail

_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
# A label before a number or an address: 电话： 手机: Tel: 邮箱： E-mail：
_LABEL = re.compile(
    r"(?:联系电话|办公电话|移动电话|手机号码|手机号|手机|电话|座机|固话|tel|phone|mobile"
    r"|电子邮箱|电子邮件|邮箱|邮件|e-?mail)\s*[:：]?",
    re.IGNORECASE,
)
_PHONE_CHARS = re.compile(r"^[\d\s\-()+]+$")
_SEPARATORS = re.compile(r"[\n\r,，;；、/|]+")


def clean_phone(text: str) -> str:
    """A phone number as the roster writes it, or the text as typed when it is not one.

    Full-width digits and dashes become ASCII; spaces inside the number go
    (``138 0013 8000`` → ``13800138000``); an area code set off by a space or brackets
    gets a hyphen (``(0663) 6186213`` → ``0663-6186213``). Text with anything else in
    it (``转 801``, ``同上``) is only cleaned of stray spaces: validation will flag it.
    """
    folded = _DASHES.sub("-", fold(text)).strip()
    digits = sum(c.isdigit() for c in folded)
    # More digits than a number with its area (or country) code: two numbers, as typed.
    longest = 14 if folded.startswith("+") else 12
    if not _PHONE_CHARS.match(folded or "x") or not 5 <= digits <= longest:
        return clean_value(text)
    area = re.match(r"^\(\s*(0\d{2,3})\s*\)\s*(.*)$", folded) or re.match(
        r"^(0\d{2,3})(?:\s+|\s*-\s*)(\d[\d\s\-]*)$", folded
    )
    if area:
        return f"{area.group(1)}-{re.sub(r'[^0-9]', '', area.group(2))}"
    return re.sub(r"[\s\-()]", "", folded)


def clean_email(text: str) -> str:
    """An e-mail address with widths folded and spaces removed (``ａｂｃ ＠ 163.com``)."""
    folded = _SPACE.sub("", fold(text))
    return folded if "@" in folded else clean_value(text)


def split_contact(text: str) -> tuple[str, str]:
    """A 联系方式 cell as (phone, e-mail): the phone on one line, the e-mail on another.

    E-mail addresses are found by their ``@``; labels such as ``电话：`` are dropped; the
    rest is the phone, cleaned by :func:`clean_phone`. Two numbers stay two, joined with
    ``、``, for the clerk to choose (validation flags them).
    """
    folded = fold(text)
    emails = _EMAIL.findall(folded)
    rest = _LABEL.sub(" ", _EMAIL.sub(" ", folded))
    pieces = [clean_phone(p) for p in _SEPARATORS.split(rest)]
    phones = [p for p in pieces if p]
    return "、".join(phones), "、".join(emails)
