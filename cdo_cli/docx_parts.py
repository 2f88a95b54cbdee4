"""The parts of a rendered Word file besides its body: properties, settings, footers.

python-docx's default template brings its own: created in 2013 by "Microsoft Macintosh
Word", in Word 2010's compatibility mode (Word shows 兼容模式), with Japanese as the East
Asian theme language. :func:`app_properties`, :func:`settings` and
:func:`core_properties` make them cdo's and the day's. A document that runs past one
page gets page numbers as GB/T 9704-2012 lays them out: :func:`numbered` adds two
footers (odd and even pages) and what refers to them.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from lxml import etree

from .docx_layout import FONT_HINTS, LAYOUT
from .text import visible

_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{_NS}}}"
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_DC = "{http://purl.org/dc/elements/1.1/}"
_DCTERMS = "{http://purl.org/dc/terms/}"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"

DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
APP = "docProps/app.xml"
FONTS = "word/fontTable.xml"
SETTINGS = "word/settings.xml"
_TYPES_PART = "[Content_Types].xml"
_RELS_PART = "word/_rels/document.xml.rels"

# (part name, relationship id, footer type): odd pages take the default footer.
FOOTERS = (
    ("word/footer1.xml", "rIdCdoFooterOdd", "default"),
    ("word/footer2.xml", "rIdCdoFooterEven", "even"),
)
# Word 2013 and later; 14 (Word 2010, python-docx's template) opens in 兼容模式.
_COMPATIBILITY_MODE = "15"


def xml_bytes(element: Any) -> bytes:
    """An XML part as Word writes it: UTF-8, declared standalone."""
    return bytes(etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True))


def font_table(blob: bytes) -> bytes:
    """The font table with our Chinese fonts and their substitutes (GB2312 charset)."""
    fonts = etree.fromstring(blob)
    for name, (alternate, family, pitch) in FONT_HINTS.items():
        font = etree.SubElement(fonts, f"{_W}font", {f"{_W}name": name})
        etree.SubElement(font, f"{_W}altName", {f"{_W}val": alternate})
        etree.SubElement(font, f"{_W}charset", {f"{_W}val": "86"})
        etree.SubElement(font, f"{_W}family", {f"{_W}val": family})
        etree.SubElement(font, f"{_W}pitch", {f"{_W}val": pitch})
    return xml_bytes(fonts)


def app_properties(blob: bytes) -> bytes:
    """The extended properties: made by cdo (not the template's Macintosh Word 2010,
    nor its page and word counts of zero, which Word would show as this file's)."""
    from . import __version__

    template = etree.fromstring(blob)
    ns = template.nsmap[None]
    root = etree.Element(f"{{{ns}}}Properties", nsmap=template.nsmap)
    for tag, value in (
        ("Application", f"cdo {__version__}"),
        ("DocSecurity", "0"),
        ("ScaleCrop", "false"),
        ("LinksUpToDate", "false"),
        ("SharedDoc", "false"),
        ("HyperlinksChanged", "false"),
    ):
        etree.SubElement(root, f"{{{ns}}}{tag}").text = value
    return xml_bytes(root)


def settings(blob: bytes) -> bytes:
    """Document settings: the current compatibility mode (no 兼容模式 in Word), Chinese
    as the East Asian language, and none of the template's editing history."""
    root = etree.fromstring(blob)
    for tag in (f"{_W}rsids", f"{_W}savePreviewPicture", f"{_W14}docId"):
        for element in root.findall(tag):
            root.remove(element)
    for setting in root.iter(f"{_W}compatSetting"):
        if setting.get(f"{_W}name") == "compatibilityMode":
            setting.set(f"{_W}val", _COMPATIBILITY_MODE)
    lang = root.find(f"{_W}themeFontLang")
    if lang is not None:
        lang.set(f"{_W}eastAsia", "zh-CN")
    return xml_bytes(root)


def core_properties(template: Any, title: str, subject: str, created: dt.date) -> bytes:
    """The core properties: the form's title and unit, and ``created`` as the day the
    file was made and last changed."""
    core = copy.deepcopy(template)
    for tag, value in (("title", title), ("subject", subject)):
        element = core.find(f"{_DC}{tag}")
        if element is None:
            element = etree.SubElement(core, f"{_DC}{tag}")
        element.text = visible(value)
    stamp = f"{created.isoformat()}T00:00:00Z"
    for tag in ("created", "modified"):
        element = core.find(f"{_DCTERMS}{tag}")
        if element is not None:
            element.text = stamp
    return xml_bytes(core)


# ---------------------------------------------------------------- page numbers


def _odd_and_even(blob: bytes) -> bytes:
    """Settings with different footers on odd and even pages (``w:evenAndOddHeaders``)."""
    root = etree.fromstring(blob)
    flag = root.makeelement(f"{_W}evenAndOddHeaders", {})
    anchor = root.find(f"{_W}defaultTabStop")
    if anchor is not None:  # schema order: after defaultTabStop, before the rest
        anchor.addnext(flag)
    else:
        root.insert(0, flag)
    return xml_bytes(root)


def _footer_types(blob: bytes) -> bytes:
    root = etree.fromstring(blob)
    for name, _, _ in FOOTERS:
        etree.SubElement(root, f"{_TYPES}Override", PartName=f"/{name}", ContentType=_FOOTER_TYPE)
    return xml_bytes(root)


def _footer_rels(blob: bytes) -> bytes:
    root = etree.fromstring(blob)
    for name, rid, _ in FOOTERS:
        target = name.removeprefix("word/")
        etree.SubElement(
            root, f"{_PKG_RELS}Relationship", Id=rid, Type=f"{REL_NS}/footer", Target=target
        )
    return xml_bytes(root)


_NUMBERED_EDITS: dict[str, Callable[[bytes], bytes]] = {
    SETTINGS: _odd_and_even,
    _TYPES_PART: _footer_types,
    _RELS_PART: _footer_rels,
}


def numbered(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """A package's parts with page numbers: the two footers, their content types and
    relationships, and odd and even footers switched on. The document's section must
    still refer to them (:func:`footer_references`)."""
    out = [(n, _NUMBERED_EDITS[n](b) if n in _NUMBERED_EDITS else b) for n, b in members]
    return out + [(name, page_number_footer(kind == "default")) for name, _, kind in FOOTERS]


def footer_references(sect_pr: Any) -> None:
    """Point a section at the page-number footers (the references come first in it)."""
    for _, rid, kind in reversed(FOOTERS):
        reference = sect_pr.makeelement(
            f"{_W}footerReference", {f"{_W}type": kind, f"{{{REL_NS}}}id": rid}
        )
        sect_pr.insert(0, reference)


def w_element(parent: Any, tag: str, **attrs: str) -> Any:
    """A ``w:tag`` element with ``w:`` attributes, under ``parent`` if given."""
    attributes = {f"{_W}{k}": v for k, v in attrs.items()}
    if parent is None:
        return etree.Element(f"{_W}{tag}", attributes)
    return etree.SubElement(parent, f"{_W}{tag}", attributes)


def page_number_footer(odd: bool) -> bytes:
    """A footer with the page number as GB/T 9704 places it: ``— 1 —`` in 4号宋体, on odd
    pages at the right one character in, on even pages at the left one character in."""

    el = w_element
    footer = etree.Element(f"{_W}ftr", nsmap={"w": _NS})
    p = el(footer, "p")
    ppr = el(p, "pPr")
    size = LAYOUT.size_page_number
    el(ppr, "spacing", before="0", after="0", line=str(round(size * 20)), lineRule="exact")
    indent = str(round(size * 20))  # one character of the number's size
    el(ppr, "ind", **({"right": indent} if odd else {"left": indent}))
    el(ppr, "jc", val="right" if odd else "left")
    font = LAYOUT.font_page_number
    # The dashes, then the PAGE field (its last result "1" until Word updates it).
    for kind, value in [("t", "— "), ("fldChar", "begin"), ("instrText", " PAGE "),
                        ("fldChar", "separate"), ("t", "1"), ("fldChar", "end"), ("t", " —")]:  # fmt: skip
        r = el(p, "r")
        rpr = el(r, "rPr")
        el(rpr, "rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font)
        el(rpr, "sz", val=str(round(size * 2)))
        el(rpr, "szCs", val=str(round(size * 2)))
        if kind == "fldChar":
            el(r, "fldChar", fldCharType=value)
        else:
            text = el(r, kind)
            text.set(_XML_SPACE, "preserve")
            text.text = value
    return xml_bytes(footer)
