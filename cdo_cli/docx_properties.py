"""What a rendered form says about itself: custom document properties in the docx.

``cdo render`` records the scheme, the form and the unit of each Word form as custom
document properties (Word: 文件 → 信息 → 属性 → 高级属性 → 自定义; WPS keeps them too),
so that ``cdo import`` knows what a returned file was meant to be. The reader treats
them as a claim to check against the table, never as the truth: a department may copy
another's file and retype it.

python-docx reads and writes core properties (title, author) but not custom ones. They
live in their own part, ``docProps/custom.xml``, which python-docx carries through as
an opaque blob: :func:`add_custom_part` adds that part (python-docx then writes its
content type and its package relationship), :func:`custom_xml` builds its content and
:func:`read_custom` reads it back. The format is ECMA-376 Part 1, §22.3 (Custom File
Properties): a ``property`` element per name, holding one typed value.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

# The names cdo writes; ASCII, as Word shows them in the Custom tab.
SCHEME = "cdo.scheme"
FORM = "cdo.form"
UNIT = "cdo.unit"
# Set ("true") on a --redact copy: its phones and e-mails are masked, not data.
REDACTED = "cdo.redacted"

PART_NAME = "docProps/custom.xml"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
RELATIONSHIP = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)

_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
# Every custom property carries this format id (the "user defined properties" set).
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
# Property ids 0 and 1 are reserved; user properties start at 2.
_FIRST_PID = 2
# A part larger than this is not one cdo wrote, nor one a person filled in.
_MAX_PART = 1_000_000


def custom_xml(values: dict[str, str]) -> bytes:
    """The ``docProps/custom.xml`` part holding ``values`` as text properties."""
    root = etree.Element(f"{{{_NS}}}Properties", nsmap={None: _NS, "vt": _VT})
    for pid, (name, value) in enumerate(values.items(), _FIRST_PID):
        prop = etree.SubElement(
            root, f"{{{_NS}}}property", {"fmtid": _FMTID, "pid": str(pid), "name": name}
        )
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def add_custom_part(document: Any) -> None:
    """Give a python-docx ``Document`` an (empty) custom-properties part.

    python-docx has no API for custom properties, but it saves any part it is given,
    with the part's content type in ``[Content_Types].xml`` and the relationship in
    ``_rels/.rels``; the renderer then fills the part for each form.
    """
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    part = Part(PackURI(f"/{PART_NAME}"), CONTENT_TYPE, custom_xml({}), package)
    package.relate_to(part, RELATIONSHIP)


def read_custom(document: Any) -> dict[str, str]:
    """The text custom properties of a python-docx ``Document`` (empty when it has none).

    Values of other types (numbers, dates, yes/no) are read as their text.
    """
    package = document.part.package
    try:
        part = package.part_related_by(RELATIONSHIP)
    except (KeyError, ValueError):  # no such part, or (malformed) more than one
        return {}
    blob = part.blob
    if not blob or len(blob) > _MAX_PART:
        return {}
    # No entities, no network: the part is data from someone else's computer.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(blob, parser)
    except etree.XMLSyntaxError:
        return {}
    values: dict[str, str] = {}
    for prop in root.iterfind(f"{{{_NS}}}property"):
        name = prop.get("name")
        value = next(iter(prop), None)
        if name and value is not None:
            values[name] = "".join(value.itertext()).strip()
    return values
