"""Every quote in the built-in schemes is verbatim from its source document (policies/sources/)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from cdo_cli.policy_loading import Registry, discover
from cdo_cli.resources import builtin_dir
from conftest import ROOT, SEEDS

POLICIES = sorted((ROOT / "policies").glob("*.yaml"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _quotes(node: Any, path: str = "") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        if isinstance(node.get("quote"), str):
            found.append((path, node["quote"]))
        for key, value in node.items():
            found += _quotes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _quotes(value, f"{path}[{i}]")
    return found


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.stem)
def test_quotes_are_verbatim(policy: Path) -> None:
    data = YAML(typ="safe").load(policy.read_text(encoding="utf-8"))
    seed = _squash((SEEDS / data["document"]["seed"]).read_text(encoding="utf-8"))
    quotes = _quotes(data)
    assert len(quotes) > 20
    missing = [(path, q) for path, q in quotes if _squash(q) not in seed]
    assert missing == []


def test_three_schemes_ship() -> None:
    assert [p.stem for p in POLICIES] == ["huizhou", "puning", "zhaoqing"]


def test_each_builtin_scheme_names_its_shipped_source() -> None:
    """The seed a scheme names is in sources/ beside it, where the package finds its schemes."""
    registry = Registry()
    assert registry.ids() == ["huizhou", "puning", "zhaoqing"]  # sources/ holds no schemes
    schemes, broken = registry.usable()
    assert broken == []
    for scheme in schemes:
        assert scheme.document.seed
        assert (builtin_dir() / "sources" / scheme.document.seed).is_file(), scheme.id


def test_discover_skips_sources_and_other_files(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    for name in ("a.yaml", "b.yml", "README.md", "notes.txt", "sources/c.yaml", "sources/c.txt"):
        (tmp_path / name).write_text("id: x\n", encoding="utf-8")
    assert sorted(discover([(tmp_path, "--policies")])) == ["a", "b"]
