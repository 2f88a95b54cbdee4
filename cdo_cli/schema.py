"""JSON Schemas (draft 2020-12) of scheme and roster files, for editors."""

from __future__ import annotations

import json
from typing import Any

from .policy import Scheme
from .roster import Roster

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def policy_schema() -> dict[str, Any]:
    """The schema of a scheme file."""
    schema = Scheme.model_json_schema(mode="validation")
    return {"$schema": DRAFT, "$id": "cdo-policy.schema.json", **schema}


def roster_schema(scheme: Scheme | None = None) -> dict[str, Any]:
    """The schema of a roster; with a scheme, its unit names, roles and duties are listed."""
    schema = Roster.model_json_schema(mode="validation")
    defs = schema["$defs"]
    person = {"$ref": "#/$defs/Person"}
    # A role held by one person may be written as a mapping instead of a list.
    defs["UnitEntry"]["properties"]["officers"]["additionalProperties"] = {
        "anyOf": [person, {"type": "array", "items": person}, {"type": "null"}]
    }
    if scheme is not None:
        names = sorted({n for u in scheme.units for n in (u.name, *u.aliases)})
        schema["properties"]["scheme"]["enum"] = [scheme.id]
        schema["properties"]["units"]["propertyNames"] = {"enum": names}
        officers = defs["UnitEntry"]["properties"]["officers"]
        officers["propertyNames"] = {"enum": [r.id for r in scheme.roles]}
        officers["description"] += "：" + "；".join(f"{r.id} = {r.name}" for r in scheme.roles)
        defs["Filing"]["properties"]["obligation"]["enum"] = [o.id for o in scheme.obligations]
        defs["PastHolder"]["properties"]["role"]["enum"] = [r.id for r in scheme.roles]
        if scheme.attributes:
            attributes = defs["UnitEntry"]["properties"]["attributes"]
            attributes["propertyNames"] = {"enum": [a.id for a in scheme.attributes]}
            attributes["description"] += "：" + "；".join(
                f"{a.id} = {a.name}" for a in scheme.attributes
            )
        if scheme.open_lists:
            # Posts the document ends with 等 may be named freely (in the history too, where
            # cdo record appoint moves their holders): only list the known ones.
            del officers["propertyNames"]
            del defs["PastHolder"]["properties"]["role"]["enum"]
    return {"$schema": DRAFT, "$id": "cdo-roster.schema.json", **schema}


def schema_file_name(scheme_id: str) -> str:
    """The file name ``cdo init`` gives a scheme's roster schema."""
    return f"{scheme_id}.roster.schema.json"


def to_json(schema: dict[str, Any]) -> bytes:
    """A schema as UTF-8 JSON text."""
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
