"""Every schema field has a reason for its magnitude (docs/parameters.yaml), and the
ODD's parameter table shows it."""

from __future__ import annotations

import re

import pytest

from analysis.odd_table import ODD_PATH, reasons, schema_fields, table_in
from experiments.sensitivity.design import admissible_ranges, continuous_parameters
from sim import compose
from sim.config import Config

KINDS = {"field data", "literature", "calibrated", "assumed", "setting"}
REASONS = reasons()
FIELDS = {path: (f, default) for path, f, default in schema_fields(Config)}


def test_every_schema_field_has_a_kind_and_a_reason():
    missing = [path for path in FIELDS if path not in REASONS]
    assert not missing, f"docs/parameters.yaml lacks a reason for {missing}"
    assert not set(REASONS) - set(FIELDS), "reasons for fields the schema does not have"
    for path, entry in REASONS.items():
        assert entry["kind"] in KINDS, path
        assert len(entry["reason"]) > 15, path


@pytest.mark.parametrize("kind", ["field data", "literature", "calibrated"])
def test_sourced_kinds_name_their_source(kind):
    for path, entry in REASONS.items():
        if entry["kind"] == kind:
            assert entry.get("source"), f"{path} is {kind} but names no source"
            if kind == "calibrated":
                assert "calibration.md" in entry["source"], path


def test_admissible_ranges_hold_the_default_inside_the_schema_range():
    ranges = admissible_ranges(ODD_PATH.with_name("parameters.yaml"))
    parameters = {p.name: p for p in continuous_parameters(compose([]), ranges)}
    assert set(ranges) <= set(parameters)
    for name, (low, high) in ranges.items():
        assert parameters[name].low == low and parameters[name].high == high


def test_the_odd_table_shows_each_reason():
    table = table_in(ODD_PATH.read_text(encoding="utf-8"))
    for path, entry in REASONS.items():
        row = next(line for line in table.splitlines() if line.startswith(f"| `{path}` |"))
        assert f"*{entry['kind']}*" in row, path
    assert re.search(r"\| Sources \| Reason \|", table)
