"""The brief's robustness verdicts derived from the validation's structural table."""

from __future__ import annotations

import json

import pytest

from analysis.robustness import (
    SECOND_EBE,
    Basis,
    RobustnessError,
    derive,
    mechanism,
    read,
)


def cell(row: str, contrast: str, pressure: str, difference: float, sign: int) -> dict:
    return {"row": row, "contrast": contrast, "pressure": pressure,
            "difference": difference, "sign": sign}


VALIDATION = {
    "commits": {"code": "abc1234"},
    "structural": {
        "rows": [{"row": "defaults", "group": "reference"},
                 {"row": "horizon 1 year", "group": "horizon"},
                 {"row": "anchor drift off", "group": "mechanism off"},
                 {"row": "no crises", "group": "mechanism off"}],
        "contrasts": [{"name": "second EBE", "overrides": ["scenario=two_hires"]},
                      {"name": "coaching", "overrides": ["scenario=coaching"]}],
        "cells": [
            cell("defaults", "second EBE", "normal", 0.20, 1),
            cell("defaults", "second EBE", "high", 0.40, 1),
            # a horizon row that halves the gain is not a mechanism: not in carried_by
            cell("horizon 1 year", "second EBE", "normal", 0.05, 1),
            cell("horizon 1 year", "second EBE", "high", 0.30, 1),
            cell("anchor drift off", "second EBE", "normal", 0.12, 1),
            cell("anchor drift off", "second EBE", "high", 0.10, 1),    # < 0.40 / 2
            cell("no crises", "second EBE", "normal", 0.01, 0),         # < 0.20 / 2
            cell("no crises", "second EBE", "high", 0.35, 1),
            cell("defaults", "coaching", "normal", 0.10, 1),
            cell("defaults", "coaching", "high", 0.00, 0),
            cell("horizon 1 year", "coaching", "normal", -0.05, -1),
            cell("horizon 1 year", "coaching", "high", 0.02, 0),
            cell("anchor drift off", "coaching", "normal", 0.09, 1),
            cell("anchor drift off", "coaching", "high", -0.01, 0),
            cell("no crises", "coaching", "normal", 0.10, 1),
            cell("no crises", "coaching", "high", 0.01, 0),
        ]}}
SENSITIVITY = {"flips": [
    {"output": "two_hires - single_hire", "p05": 0.0, "p95": 0.75,
     "other_sign_beyond_2se": 0.0},
    {"output": "coaching - single_hire", "p05": -0.06, "p95": 0.38,
     "other_sign_beyond_2se": 0.0}]}


def test_each_contrast_becomes_one_claim_counted_by_hand():
    r = derive(VALIDATION, SENSITIVITY, "validation.md")
    assert r.commit == "abc1234" and set(r.claims) == {SECOND_EBE, "lever:coaching"}
    second = r.claims[SECOND_EBE]
    # 3 variant rows x 2 pressures; the gain is clear in all but 'no crises' at normal
    assert (second.variants, second.holds) == (6, 5)
    assert (second.low, second.high, second.reverses) == (0.0, 0.75, False)
    assert second.carried_by == ("anchor drift off", "no crises")     # the rows, by name
    assert [mechanism(row) for row in second.carried_by] == ["anchor drift", "crises"]
    assert mechanism("anchor drift off", "nl") == "het verschuiven van het eigen anker"
    coaching = r.claims["lever:coaching"]
    assert (coaching.variants, coaching.holds) == (6, 2)
    assert coaching.reverses is True          # a clear loss at a 1-year horizon
    assert coaching.carried_by == ()          # at normal its gain never halves


def test_the_results_say_what_they_were_measured_on():
    r = derive(VALIDATION, {**SENSITIVITY, "pressure": "normal"}, "validation.md")
    assert r.basis == Basis(104, "fact", ("normal", "high"), ("normal",))   # the defaults
    assert derive(VALIDATION, None, "validation.md").basis.range_pressures == ()


def test_a_claims_file_may_state_its_basis(tmp_path):
    path = tmp_path / "claims.json"
    claims = [{"claim": "second_ebe", "variants": 2, "holds": 2}]
    path.write_text(json.dumps({"claims": claims}))
    assert read(path).basis is None
    path.write_text(json.dumps({"claims": claims, "basis": {
        "weeks": 260, "team": "large", "pressures": ["high", "calm"]}}))
    assert read(path).basis == Basis(260, "large", ("calm", "high"))
    path.write_text(json.dumps({"claims": claims, "basis": {"weeks": 260}}))
    with pytest.raises(RobustnessError, match="'basis' needs"):
        read(path)


def test_sign_flips_over_the_admissible_region_count_as_reversing():
    flipped = {"flips": [dict(SENSITIVITY["flips"][0], other_sign_beyond_2se=0.01)]}
    r = derive(VALIDATION, flipped, "validation.md")
    assert r.claims[SECOND_EBE].reverses is True
    assert r.claims["lever:coaching"].low is None     # not in the sensitivity: no range


def test_read_derives_from_validation_results_with_the_sensitivity_beside(tmp_path):
    path = tmp_path / "validation.json"
    path.write_text(json.dumps(VALIDATION))
    assert read(path).claims[SECOND_EBE].high is None
    (tmp_path / "sensitivity.json").write_text(json.dumps(SENSITIVITY))
    assert read(path).claims[SECOND_EBE].high == 0.75
    path.write_text(json.dumps({"structural": None}))
    assert read(path) is None                          # a quick run has no table
    assert read(tmp_path / "absent.json") is None
    path.write_text("{not json")
    with pytest.raises(RobustnessError, match="not valid JSON"):
        read(path)


def test_the_committed_validation_gives_the_brief_a_verdict_per_claim():
    r = read()
    assert r is not None and SECOND_EBE in r.claims
    assert all(0 <= c.holds <= c.variants for c in r.claims.values())
