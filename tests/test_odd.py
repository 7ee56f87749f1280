"""The ODD document cannot drift from the code: parameter table and submodel headings."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

import sim
from analysis.odd_table import (
    END,
    ODD_PATH,
    START,
    parameter_table,
    schema_fields,
    table_in,
    update_document,
)
from sim.config import Config, param
from sim.engine import advance

ODD = ODD_PATH.read_text(encoding="utf-8")
HEADING = re.compile(r"^### (7\.\d+) (.+)$", re.MULTILINE)


SIM_DIR = Path(sim.__file__).parent


def sim_sources() -> dict[str, ast.Module]:
    """The parsed source of every module of the ``sim`` package (without importing it)."""
    return {path.stem: ast.parse(path.read_text(encoding="utf-8"))
            for path in sorted(SIM_DIR.glob("*.py"))}


def sim_function(name: str) -> object | None:
    """The function ``name`` defined at top level in a ``sim`` module, imported; else None."""
    for module, tree in sim_sources().items():
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        if name in defined:
            obj = getattr(importlib.import_module(f"sim.{module}"), name)
            obj = getattr(obj, "py_func", obj)   # a compiled function's Python source
            return obj if inspect.isfunction(obj) else None
    return None


def section_7() -> str:
    start = ODD.index("\n## 7 Submodels")
    return ODD[start:ODD.index("\n## ", start + 1)]


def submodel_headings() -> dict[str, str]:
    """Function name -> section number of every backticked name in a section-7 heading."""
    names = {}
    for number, title in HEADING.findall(section_7()):
        for name in re.findall(r"`([^`]+)`", title):
            names[name] = number
    return names


def test_parameter_table_in_odd_is_generated_from_schema():
    assert table_in(ODD) == parameter_table(), (
        "docs/ODD.md is stale: run `python -m analysis.odd_table`")


def test_every_schema_field_has_a_row():
    table = table_in(ODD)
    paths = [path for path, _, _ in schema_fields(Config)]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(paths) == len(set(paths)) == len(rows) > 80
    assert not [p for p in paths if f"| `{p}` |" not in table]


def test_table_defaults_are_the_composed_defaults():
    """The table shows dataclass defaults; composing configs/ without overrides gives them."""
    assert dataclasses.asdict(sim.compose([])) == dataclasses.asdict(Config())


def test_submodel_headings_name_functions_of_sim():
    headings = submodel_headings()
    assert len(headings) >= 13
    assert not [name for name in headings if sim_function(name) is None]


def test_every_submodel_called_in_the_week_has_a_heading():
    tree = ast.parse(textwrap.dedent(inspect.getsource(advance.py_func)))
    called = {node.func.id for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
    engine = importlib.import_module("sim.engine")
    submodels = {name for name in called
                 if hasattr(getattr(engine, name, None), "py_func")
                 and getattr(engine, name).py_func.__module__ != "sim.streams"}  # numbers
    assert {"workload_pressure", "case_review", "social_influence", "rehiring"} <= submodels
    assert not submodels - set(submodel_headings())


def test_module_docstrings_point_to_the_right_odd_sections():
    """``(ODD 7.6, 7.7)`` in a module docstring names the sections of its submodels."""
    headings = submodel_headings()
    checked = 0
    for module, tree in sim_sources().items():
        doc = ast.get_docstring(tree) or ""
        cited = set()
        for lo, hi in re.findall(r"\b7\.(\d+)(?:-7\.(\d+))?", doc):
            cited |= {f"7.{k}" for k in range(int(lo), int(hi or lo) + 1)}
        if not cited:
            continue
        named = {headings[n] for n in re.findall(r"``(\w+)``", doc) if n in headings}
        assert named == cited, module
        checked += 1
    assert checked >= 7


@dataclass
class _Section:
    """A test section."""

    cited: float = param(0.3, 0.0, 1.0, unit="per week",
                         help="pressure raises rejection (Kruglanski & Webster 1991; 004)")
    bare: float = param(2.0, 1.0, 5.0, help="no source here")
    impact_exponent: float = param(0.7, 0.1, 1.0, help="Latane's t")
    mode: str = param("a", choices=("a", "b"), help="a choice (000)")
    weights: dict[str, float] = param({"x": 1.0}, 0.0, 10.0, help="per role")
    size: int | None = param(None, 3, 60, help="optional")


@dataclass
class _Schema:
    """A test schema."""

    label: str = param("demo", help="name")
    behaviour: _Section = dataclasses.field(default_factory=_Section)


def _row(table: str, path: str) -> list[str]:
    line = next(ln for ln in table.splitlines() if ln.startswith(f"| `{path}` |"))
    return [cell.strip() for cell in line.strip("|").split(" | ")]


def test_sources_come_from_the_help_text():
    table = parameter_table(_Schema)
    cited = _row(table, "behaviour.cited")
    assert cited[1:4] == ["0.3", "[0.0, 1.0]", "per week"]
    assert cited[5] == ("Kruglanski & Webster 1991; 004 FACT ethnography; "
                        "value assumed, to calibrate")
    assert _row(table, "behaviour.bare")[5] == "value assumed, to calibrate"
    assert _row(table, "behaviour.mode")[2] == "one of `a`, `b`"
    assert _row(table, "behaviour.mode")[5] == "000 Steenvoorde; choice"
    assert _row(table, "behaviour.weights")[1:3] == ["x 1.0", "[0.0, 10.0] each"]
    assert _row(table, "behaviour.size")[1:3] == ["unset", "[3, 60] or unset"]
    assert _row(table, "label")[5] == "setting"


def test_a_literature_default_that_changed_is_flagged():
    table = parameter_table(_Schema)
    assert "**value differs from literature** (Latané 1981" in _row(
        table, "behaviour.impact_exponent")[5]
    real = _row(parameter_table(), "behaviour.impact_exponent")[5]
    assert real == "Latané 1981; value from literature (Latané 1981: t ≈ 0.5)"


def test_update_document_rewrites_only_between_markers(tmp_path):
    doc = tmp_path / "ODD.md"
    doc.write_text(f"# Title\n\nbefore\n{START}\nold table\n{END}\nafter\n", encoding="utf-8")
    assert update_document(doc) is True
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nbefore\n") and text.endswith(f"{END}\nafter\n")
    assert table_in(text) == parameter_table() and "old table" not in text
    assert update_document(doc) is False
    assert update_document(doc, check=True) is False


def test_update_document_without_markers_fails_clearly(tmp_path):
    doc = tmp_path / "ODD.md"
    doc.write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="parameters:start"):
        update_document(doc)
