"""The ODD document cannot drift from the code: parameter table, submodel headings, the
schedule's order, the observed variables, the random-number layout and worked numbers."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
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
from sim import build_team, compose
from sim.config import Config, param
from sim.engine import TeamEngine, advance
from sim.outcomes import OBSERVED, OUTCOMES
from sim.pressure import pressure_effects
from sim.streams import HIRES, WEEKLY

ODD = ODD_PATH.read_text(encoding="utf-8")
FLAT = " ".join(ODD.split())   # the text with every run of whitespace as one space
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


def week_calls() -> list[str]:
    """The submodels ``advance`` (one week) calls, in the order of the source: every
    compiled function of ``sim`` it calls by name, except the random-number stream."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(advance.py_func)))
    calls = sorted((node.lineno, node.col_offset, node.func.id) for node in ast.walk(tree)
                   if isinstance(node, ast.Call) and isinstance(node.func, ast.Name))
    engine = importlib.import_module("sim.engine")
    names = [name for _, _, name in calls
             if hasattr(getattr(engine, name, None), "py_func")
             and getattr(engine, name).py_func.__module__ != "sim.streams"]  # numbers
    return list(dict.fromkeys(names))


def section(title: str) -> str:
    """The text of the section whose heading starts with ``title`` (to the next heading
    of the same or a higher level)."""
    match = re.search(rf"^(#+) {re.escape(title)}.*$", ODD, re.MULTILINE)
    assert match, title
    end = re.compile(rf"^#{{1,{len(match.group(1))}}} ", re.MULTILINE).search(ODD, match.end())
    return ODD[match.start():end.start() if end else len(ODD)]


def table_rows(text: str, header: str) -> list[list[str]]:
    """The cells of the markdown table in ``text`` that starts with the row ``header``."""
    lines = text[text.index(header):].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def test_every_submodel_called_in_the_week_has_a_heading():
    submodels = week_calls()
    assert {"workload_pressure", "case_review", "social_influence", "rehiring",
            "professional_exit", "experiential_authority"} <= set(submodels)
    assert not set(submodels) - set(submodel_headings())


def test_the_schedule_names_the_submodels_in_the_order_the_week_calls_them():
    """Section 3's table lists every submodel of ``advance``, in its order, each with the
    number of its section-7 heading."""
    headings = submodel_headings()
    rows = table_rows(section("3 Process overview"), "| # | Submodel (section 7) |")
    named = []
    for row in rows:
        for name, number in re.findall(r"`(\w+)` \((7\.\d+)\)", row[1]):
            assert headings.get(name) == number, (name, number)
            named.append(name)
    assert [int(row[0]) for row in rows] == list(range(1, len(rows) + 1))
    calls = week_calls()
    assert [name for name in named if name in calls] == calls
    assert named[-1] == "observe"       # the week ends with its observation


def test_observation_lists_every_weekly_variable_and_outcome_in_registry_order():
    """Section 7.14 defines each name of ``sim.outcomes`` once, in the record's order."""
    text = section("7.14 Observation")

    def names(header: str) -> list[str]:
        return [name for row in table_rows(text, header)
                for name in re.findall(r"`(\w+)`", row[0])]

    assert names("| Variable | Definition |") == list(OBSERVED)
    assert names("| Outcome | Definition |") == list(OUTCOMES)


def test_the_weekly_draw_layout_is_the_one_the_odd_states():
    """Each replicate takes 4·M uniforms at the start and 2 + K + M² + 3·M a week from its
    weekly stream whatever happens, and 4·M from its hire stream per week with a hire
    (here with EBE and professional exits and hires)."""
    assert "exactly 2 + K + M² + 3·M every week" in FLAT
    assert f"({build_team(compose([])).draws_per_week} for the default team)" in FLAT
    cfg = compose(["team.turnover=0.6", "team.vacancy_weeks=3", "ebe.count=2",
                   "organisation.rehire_delay_weeks=2"])
    team = build_team(cfg)
    m, k, weeks, seed = team.seats, cfg.behaviour.cases_per_week, 60, 7
    assert team.draws_per_week == 2 + k + m * m + 3 * m
    replicates = [0, 5, 9]
    engine = TeamEngine(team, seed, replicates)
    record = engine.run(weeks)
    hiring = (record[:, 1:, OBSERVED.index("hires")]
              + record[:, 1:, OBSERVED.index("professional_hires")] > 0).sum(axis=1)
    assert hiring.min() > 0 and record[:, :, OBSERVED.index("exits")].sum() > 0
    for row, r in enumerate(replicates):
        for stream, key, used in ((WEEKLY, (r,), 4 * m + weeks * team.draws_per_week),
                                  (HIRES, (r, HIRES), 4 * m * int(hiring[row]))):
            numpy_stream = np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key))
            numpy_stream.advance(used)
            high, low = (int(word) for word in engine.state.rng[row, stream, :2])
            assert (high << 64) | low == numpy_stream.state["state"]["state"], (r, stream)


def test_worked_numbers_quoted_in_the_odd_follow_from_the_defaults():
    """The examples at the defaults in sections 7.1, 7.4, 7.10, 7.11 and 7.15 (text
    compared with its line breaks as spaces)."""
    cfg = compose([])
    team = build_team(cfg)
    point = team.parameters.point[0]
    beh, org = cfg.behaviour, cfg.organisation
    risk, room = pressure_effects(cfg.workload.caseload, point)
    haste = 1.0 - room
    assert (f"P = {cfg.workload.caseload}, ρ = {risk:.3f}, ω = {room:.3f}, "
            f"P_t = {haste:.3f}") in FLAT
    assert f"h0 = {point['derived']['exit_weekly']:.4f} per week" in FLAT
    assert f"With the default {cfg.team.turnover} a year, h_P = " \
           f"{point['derived']['professional_exit_weekly']:.4f} per week" in FLAT
    n = team.professionals
    closure = beh.conformity * (1.0 + beh.closure_pressure * haste)
    assert (f"(N_P = {n}, k = 0, P_t = {haste:.3f}): λ_e ≈ "
            f"{closure * n ** beh.impact_exponent:.3f} · (1 + π_e)") in FLAT
    assert f"against λ_i = {closure:.3f} for a professional" in FLAT
    seniority = beh.seniority_anchor * min(cfg.ebe.seniority_weeks / 52, 4)
    strength = cfg.ebe.anchor_strength
    assert (f"median anchor strength {strength} and {cfg.ebe.seniority_weeks} weeks' "
            f"seniority has σ'_e = {strength * (1 + seniority):g} (untrained) or "
            f"{strength * (1 + seniority + beh.training_anchor):g} (trained)") in FLAT
    settle = beh.stress_gain / (beh.stress_recovery * (1 + org.coaching))
    assert f"{settle:g} · strain at the defaults" in FLAT


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
