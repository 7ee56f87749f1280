"""Validation (experiments/validation/): the pattern definitions, their statistics, the CI
run, the exit status and the freshness of the committed report.

The quick run (400 replicates per arm) is a real paired test, not a smoke test: where
the committed full results (docs/validation.json) are decisive at the quick run's
precision, the quick verdict must agree with them.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.validation_stats import ratio_of_means
from experiments.validation import calibration, cli, evaluate, freshness, odd, structural
from experiments.validation.measures import (
    MEASURES,
    gap_closed,
    loss_by_assimilation,
    team_trust_gap,
    withheld_share_to_ebe,
)
from experiments.validation.patterns import (
    ARMS,
    AT_LEAST,
    AT_MOST,
    BY_NUMBER,
    LEVEL,
    PATTERNS,
    Check,
    Pattern,
    Rule,
)

Z = 1.959964
ROOT = Path(__file__).resolve().parent.parent
RESULTS = json.loads(cli.RESULTS.read_text()) if cli.RESULTS.exists() else None


# --------------------------------------------------------------------------- definitions
def test_at_least_ten_patterns_with_sources_reasons_and_mechanisms():
    assert len(PATTERNS) >= 10
    assert [p.number for p in PATTERNS] == list(range(1, len(PATTERNS) + 1))
    for p in PATTERNS:
        assert re.search(r"seed 00[0-4]|et al\.|& \w+ (19|20)\d\d", p.source), p.number
        assert len(p.mechanisms.split(",")) >= 3, p.number   # several submodels interact
        for c in p.checks:
            assert c.measure in MEASURES and c.rule.reason and c.rule.threshold != 0
    assert {"P6", "P8", "P9"} <= {p.odd for p in PATTERNS}


def test_no_pattern_is_a_calibration_target_of_its_own_theme_reading():
    """A calibration target and a validation pattern may share a theme, never a measure
    on the same arm (a pattern that set a parameter cannot also validate it)."""
    validated = {(c.measure, c.arms) for p in PATTERNS for c in p.checks}
    assert ("survived", ("steep_hierarchy",)) not in validated


def test_rules_need_the_whole_interval_beyond_the_minimum():
    at_least, at_most = Rule(AT_LEAST, 0.1, "r"), Rule(AT_MOST, 0.75, "r")
    assert at_least.passes(0.11, 0.3) and not at_least.passes(0.09, 0.3)
    assert at_most.passes(0.2, 0.74) and not at_most.passes(0.2, 0.76)
    assert at_least.margin(0.25) == pytest.approx(0.15)
    assert at_most.margin(0.8) == pytest.approx(-0.05)
    with pytest.raises(ValueError, match="needs 1 arm"):
        Check("x", "survived", LEVEL, ("default", "calm"), at_least)
    with pytest.raises(ValueError, match="unknown arm"):
        Check("x", "survived", LEVEL, ("nowhere",), at_least)


# --------------------------------------------------------------------------- measures
def test_measures_on_a_hand_built_table():
    table = pd.DataFrame({
        "loss_cause": ["assimilated", "vacant", "none"],
        "distinctiveness_start": [0.5, 0.4, 0.0], "team_shift": [0.05, 0.1, 0.0],
        "feedback_withheld_to_ebe": [3, 0, 0], "feedback_given_to_ebe": [1, 0, 2]})
    np.testing.assert_array_equal(loss_by_assimilation(None, table), [1.0, 0.0, np.nan])
    np.testing.assert_allclose(gap_closed(None, table), [0.1, 0.25, np.nan])
    np.testing.assert_array_equal(withheld_share_to_ebe(None, table), [0.75, np.nan, 0.0])


def test_trust_gap_of_a_hand_built_team():
    """Professionals a, b trust each other 0.8 and 0.6 (mean 0.7); across the line
    a-e 0.5, e-a 0.3, b-e 0.4, e-b 0.2 (mean 0.35): the gap is 0.35."""
    trust = {("a", "b"): 0.8, ("b", "a"): 0.6, ("a", "e"): 0.5, ("e", "a"): 0.3,
             ("b", "e"): 0.4, ("e", "b"): 0.2}
    members = [(False, "a"), (False, "b"), (True, "e")]
    assert team_trust_gap(members, lambda x, y: trust[(x, y)]) == pytest.approx(0.35)
    assert math.isnan(team_trust_gap(members[:2], lambda x, y: trust[(x, y)]))


def test_ratio_of_means_covers_the_true_ratio_and_keeps_the_pairing():
    """Paired arms sharing large noise: the ratio 1.2 is recovered with a tight interval,
    and a permuted (unpaired) reference gives a wider one."""
    rng = np.random.default_rng(7)
    base = rng.gamma(2.0, 1.0, 600)
    treated = 1.2 * base * rng.normal(1, 0.02, base.size)
    paired = ratio_of_means(treated, base, n_resamples=1999, seed=1)
    assert paired.low < 1.2 < paired.high and paired.high - paired.low < 0.02
    unpaired = ratio_of_means(treated, rng.permutation(base), n_resamples=1999, seed=1)
    assert unpaired.high - unpaired.low > 5 * (paired.high - paired.low)
    with pytest.raises(ValueError, match="reference mean is 0"):
        ratio_of_means([1.0, 2.0], [0.0, 0.0])


# --------------------------------------------------------------------------- the CI run
@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """The CI run of every pattern, written to a temporary report."""
    path = tmp_path_factory.mktemp("validation") / "validation.md"
    code = cli.main(["--quick", "--output", str(path)])
    return code, path, json.loads(path.with_suffix(".json").read_text())


def test_quick_run_writes_a_well_formed_report_and_exits_by_its_verdicts(quick):
    code, path, results = quick
    assert code == (1 if results["failed"] else 0)
    assert results["settings"]["quick"] and results["patterns_run"] == len(PATTERNS)
    ids = [f"{p.number}.{i + 1}" for p in PATTERNS for i in range(len(p.checks))]
    assert [c["id"] for c in results["checks"]] == ids
    for c in results["checks"]:
        assert c["low"] <= c["estimate"] <= c["high"], c
        assert c["passed"] == (c["margin"] > 0 and (c["low"] > c["rule"]["threshold"]
                                                    if c["rule"]["side"] == AT_LEAST
                                                    else c["high"] < c["rule"]["threshold"]))
    text = path.read_text()
    assert f"**{results['passed']} of {len(PATTERNS)} patterns pass.**" in text
    for number in results["failed"]:        # every failure is reported as a finding
        assert f"**V{number}. {BY_NUMBER[number].claim}.**" in text
    assert results["commits"]["rules"], "the rules' commits are recorded"


def test_quick_verdicts_agree_with_the_full_run_where_it_is_decisive(quick):
    """A check is decisive at quick size when the full estimate lies more than 3 quick
    standard errors from the quick run's own pass threshold: then the two verdicts differ
    with probability below 0.2% per check."""
    assert RESULTS is not None, "docs/validation.json is missing: run teamsim validate"
    fast = {c["id"]: c for c in quick[2]["checks"]}
    scale = math.sqrt(RESULTS["settings"]["replicates"] / quick[2]["settings"]["replicates"])
    decisive = 0
    for c in RESULTS["checks"]:
        se = (c["high"] - c["low"]) / (2 * Z) * scale
        threshold = c["rule"]["threshold"]
        sign = 1 if c["rule"]["side"] == AT_LEAST else -1
        if abs(sign * (c["estimate"] - threshold) - Z * se) > 3 * se:
            decisive += 1
            assert fast[c["id"]]["passed"] == c["passed"], c["id"]
    assert decisive >= len(RESULTS["checks"]) // 2


def test_one_pattern_reproduces_its_row(quick, capsys):
    row = next(line for line in quick[1].read_text().splitlines() if line.startswith("| 3.1 |"))
    assert cli.main(["--pattern", "3", "--quick"]) == 0
    assert row in capsys.readouterr().out.splitlines()


def test_a_failing_pattern_exits_1_and_is_named(monkeypatch, capsys):
    impossible = Pattern(99, "more than all teams survive", "seed 002", "P2", "a, b, c",
                         (Check("impossible", "survived", LEVEL, ("default",),
                                Rule(AT_LEAST, 1.5, "a test")),))
    monkeypatch.setitem(cli.BY_NUMBER, 99, impossible)
    monkeypatch.setitem(evaluate.BY_NUMBER, 99, impossible)
    assert cli.main(["--pattern", "99", "--replicates", "20", "--resamples", "100"]) == 1
    assert "failing pattern(s): 99 (more than all teams survive)" in capsys.readouterr().err


def test_same_seed_same_numbers_other_seed_other_numbers():
    def estimates(seed):
        v = evaluate.run_validation([3], evaluate.Settings(40, 200, seed), show_progress=False)
        return [(o.estimate, o.low, o.high) for o in v.outcomes]

    assert estimates(7) == estimates(7)
    assert estimates(7) != estimates(8)


@pytest.mark.parametrize(("argv", "message"), [
    (["--pattern", "99"], "choose from 1, 2"),
    (["--replicates", "5"], "at least 20"),
    (["--quick", "--replicates", "500"], "not allowed with argument"),
])
def test_bad_arguments_stop_before_any_work(argv, message, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert stop.value.code == 2 and message in capsys.readouterr().err


def test_out_of_range_override_names_field_and_range(capsys):
    assert cli.main(["--override", "behaviour.anchor_drift=0.9", "--pattern", "1"]) == 2
    err = capsys.readouterr().err
    assert "behaviour.anchor_drift" in err and "[0.0, 0.5]" in err


# --------------------------------------------------------------------------- structural
def test_structural_cells_are_paired_differences_and_rows_read_in_words():
    rows = (structural.ROWS[0], replace(structural.ROWS[0], name="exits off",
                                        overrides=("behaviour.exit_rate=0",)))
    cells = structural.run_structural(40, 5, rows=rows, jobs=1, resamples=200)
    assert len(cells) == len(rows) * len(structural.PRESSURES) * len(structural.CONTRASTS)
    for c in cells:
        assert c.difference == pytest.approx(c.treated - c.baseline)
        assert c.low <= c.difference <= c.high and c.n == 40
    assert set(structural.carriers(cells)) == {"lost", "below minimum", "halved", "grown"}


def test_carriers_and_flips_read_the_table():
    def cell(row, contrast, d, half=0.02, pressure="normal"):
        return structural.Cell(row, contrast, pressure, 0.5, 0.5 + d, d, d - half, d + half,
                               100)
    head = structural.HEADLINE.name
    cells = [cell("defaults", head, 0.3), cell("a", head, 0.0), cell("b", head, 0.11),
             cell("c", head, 0.14), cell("d", head, 0.5),
             cell("defaults", "coaching", 0.05), cell("a", "coaching", -0.05),
             cell("b", "coaching", 0.06)]
    carry = structural.carriers(cells)
    assert carry == {"lost": ["a"], "below minimum": ["b"], "halved": ["c"], "grown": ["d"]}
    assert structural.flips(cells)[("coaching", "normal")] == ["a"]


# --------------------------------------------------------------------------- freshness
def test_the_committed_report_is_fresh_for_this_model_and_these_rules():
    """Fails (never skips) when the model or the rules changed since docs/validation.json
    was written: rerun `teamsim validate`."""
    assert RESULTS is not None, "docs/validation.json is missing: run teamsim validate"
    model = freshness.model_fingerprint()   # the first call may compile the engine
    start = time.process_time()     # CPU time: other work on a shared machine does not count
    assert freshness.model_fingerprint() == model
    assert time.process_time() - start < 2.0
    assert RESULTS["model_fingerprint"] == model, "model changed: rerun teamsim validate"
    assert RESULTS["rules_fingerprint"] == freshness.rules_fingerprint(), (
        "rules changed: rerun teamsim validate (and say so: rules changed after a run)")
    assert not RESULTS["settings"]["quick"] and not RESULTS["settings"]["overrides"]


def test_the_fingerprint_sees_a_changed_default(monkeypatch):
    before = freshness.model_fingerprint()
    monkeypatch.setattr(freshness, "PROBE_SIZE", (*freshness.PROBE_SIZE,
                                                   "behaviour.anchor_drift=0.016"))
    assert freshness.model_fingerprint() != before


def test_the_odd_lists_the_same_patterns():
    text = odd.ODD_PATH.read_text(encoding="utf-8")
    assert odd.list_in(text) == odd.pattern_list(), (
        "docs/ODD.md is stale: python -m experiments.validation.odd")
    for p in PATTERNS:
        assert f"V{p.number}: {p.claim}" in text
    for t in calibration.TARGETS:
        assert f"{t.key}: {t.claim}" in text


def test_the_readme_quotes_the_measured_count():
    assert RESULTS is not None
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Validation against the field", 1)[1].split("\n## ", 1)[0]
    assert f"{RESULTS['passed']} of {RESULTS['patterns_run']} patterns pass" in section
    for number in RESULTS["failed"]:
        assert f"V{number}" in section


def test_every_arm_composes_with_its_overrides():
    """Each arm's value overrides reach its config (and pattern arms are all defined)."""
    settings = evaluate.Settings(20, 100, 1)
    for name, overrides in ARMS.items():
        cfg = evaluate.arm_config(name, settings)
        assert (cfg.run.replicates, cfg.run.seed) == (20, 1)
        for override in overrides:
            key, value = override.split("=")
            if "." in key:
                section, field = key.split(".")
                assert str(getattr(getattr(cfg, section), field)) == value, override
    assert {a for p in BY_NUMBER.values() for a in p.arms} <= set(ARMS)


def test_the_calibration_tables_are_fresh_and_list_every_target():
    """docs/calibration.md's generated block names the model it was measured on."""
    text = calibration.DOCUMENT.read_text(encoding="utf-8")
    block = text[text.index(calibration.START):text.index(calibration.END)]
    assert f"`{freshness.model_fingerprint()}`" in block, (
        "docs/calibration.md is stale: python -m experiments.validation.calibration")
    for t in calibration.TARGETS:
        assert f"| {t.key} | {t.theme} | {t.claim} |" in block
    assert "Both C1 and C2 hold" in block or "hold together at **no** grid point" in block
