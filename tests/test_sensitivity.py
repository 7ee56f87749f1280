"""Global sensitivity of the advice: SALib wiring on functions with known indices, the
admissible region, differences on common random numbers, trust warnings, the typed
settings, and a small run of the experiment."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.errors import ConfigCompositionException
from SALib.test_functions import Ishigami

from experiments.sensitivity.design import (
    Parameter,
    continuous_parameters,
    morris_design,
    morris_indices,
    screened,
    sobol_design,
    sobol_indices,
    with_values,
)
from experiments.sensitivity.evaluate import evaluate, scenario_arm
from experiments.sensitivity.report import flip_table, trust_warnings
from experiments.sensitivity.runner import outcomes_of, outputs_of, region, run
from experiments.sensitivity.settings import SensitivitySettings, sensitivity_settings
from sim import ConfigError, compose, config_dir

PI = math.pi
ISHIGAMI = [Parameter(f"x{i}", -PI, PI, 0.0, "", "") for i in (1, 2, 3)]
# Ishigami & Homma (1990), a = 7, b = 0.1: analytic first-order and total indices.
S1 = (0.3139, 0.4424, 0.0)
ST = (0.5576, 0.4424, 0.2437)
ROOT = Path(__file__).resolve().parent.parent
INERT = ("behaviour.separate_team_peers", "behaviour.external_exposure",
         "behaviour.external_critique")  # act only for separate or external EBEs


def test_sobol_wiring_recovers_the_ishigami_indices():
    x = sobol_design(ISHIGAMI, 4096, seed=1)
    assert x.shape == (4096 * (3 + 2), 3)
    table = sobol_indices(ISHIGAMI, Ishigami.evaluate(x)[:, None], ["y"], seed=1)
    for i, row in enumerate(table.itertuples()):
        assert abs(row.S1 - S1[i]) < 0.03
        assert abs(row.ST - ST[i]) < 0.03
        assert row.S1_conf < 0.05 and row.ST_conf < 0.05
    assert trust_warnings(table, pd.Series({"y": 0.0}), 4096) == []


def test_a_small_design_warns_that_it_cannot_be_trusted():
    x = sobol_design(ISHIGAMI, 8, seed=1)
    table = sobol_indices(ISHIGAMI, Ishigami.evaluate(x)[:, None], ["y"], seed=1)
    warnings = trust_warnings(table, pd.Series({"y": 0.4}), 8)
    assert any("rough look" in w for w in warnings)
    assert any("too wide to rank" in w for w in warnings)
    assert any("replicate noise" in w for w in warnings)


def test_morris_wiring_gives_the_slopes_of_a_linear_model():
    params = [Parameter("a", 0.0, 1.0, 0.5, "", ""), Parameter("b", 0.0, 2.0, 1.0, "", ""),
              Parameter("c", 0.0, 1.0, 0.5, "", "")]
    x = morris_design(params, trajectories=10, levels=4, seed=3)
    y = (3.0 * x[:, 0] - 1.0 * x[:, 1])[:, None]  # c has no effect
    table = morris_indices(params, x, y, ["y"], levels=4, seed=3).set_index("parameter")
    # SALib's elementary effects are per unit of the [0, 1]-scaled input: slope x range.
    assert table.loc["a", "mu_star"] == pytest.approx(3.0)
    assert table.loc["b", "mu"] == pytest.approx(-2.0)
    assert table.loc["c", "mu_star"] == 0.0
    assert screened(table.reset_index().assign(output="y"), 5) == ["a", "b"]


def test_parameters_are_every_ranged_float_of_the_schema():
    cfg = compose([])
    params = {p.name: p for p in continuous_parameters(cfg)}
    assert "behaviour.conformity" in params and "organisation.intervision" in params
    assert "team.hierarchy_weight" not in params and "ebe.count" not in params
    assert "ebe.share" not in params and not any(n.startswith("run.") for n in params)
    narrowed = continuous_parameters(cfg, {"behaviour.conformity": [0.0, 0.05]})
    assert {p.name: (p.low, p.high) for p in narrowed}["behaviour.conformity"] == (0.0, 0.05)
    with pytest.raises(ConfigError, match="behaviour.conformity"):
        continuous_parameters(cfg, {"behaviour.conformity": [0.02, 0.05]})  # default 0.012
    with pytest.raises(ConfigError, match="not continuous"):
        continuous_parameters(cfg, {"ebe.count": [0, 3]})


def test_the_region_leaves_out_what_a_contrast_sets():
    s = SensitivitySettings()
    names = {p.name for p in region(compose([]), s)}
    assert "behaviour.anchor_drift" in names and "behaviour.exit_rate" in names
    assert not {n for n in names if n.startswith("organisation.")}    # the levers
    drift = next(p for p in region(compose([]), s) if p.name == "behaviour.anchor_drift")
    assert (drift.low, drift.high) == (0.01, 0.03)   # docs/parameters.yaml


def test_with_values_sets_and_validates():
    cfg = compose([])
    changed = with_values(cfg, ["behaviour.conformity", "workload.caseload"], [0.03, 0.9])
    assert (changed.behaviour.conformity, changed.workload.caseload) == (0.03, 0.9)
    with pytest.raises(ConfigError, match="workload.caseload"):
        with_values(cfg, ["workload.caseload"], [1.5])


def base_node(*overrides):
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        return hydra_compose("config", list(overrides))


def test_a_scenario_arm_is_the_analysed_config_with_the_scenario_merged():
    node = base_node("pressure=high", "behaviour.conformity=0.02")
    arm = scenario_arm(node, "intervision")
    assert arm.organisation.intervision == 1.0 and arm.workload.name == "high"
    assert arm.behaviour.conformity == 0.02 and arm.label == "intervision"
    with pytest.raises(ConfigError, match="changes config groups"):
        scenario_arm(node, "high_pressure")
    with pytest.raises(ConfigError, match="choose from"):
        scenario_arm(node, "no_such_lever")


def test_differences_are_paired_and_inert_parameters_have_exactly_zero_effect():
    node = base_node("run.weeks=26")
    arms = [scenario_arm(node, "single_hire"), scenario_arm(node, "two_hires")]
    params = [p for p in continuous_parameters(arms[0])
              if p.name in (*INERT, "behaviour.conformity")]
    x = morris_design(params, trajectories=3, levels=4, seed=5)
    s = SensitivitySettings(levels=["team_shift"], contrasts=["two_hires"])
    out = evaluate(arms, [p.name for p in params], x, 8, outcomes_of(s), block=4)
    names, y, se = outputs_of(out, s)
    assert names == ["single_hire: team_shift", "two_hires - single_hire"]
    survived = outcomes_of(s).index("survived")
    np.testing.assert_allclose(y[:, 1], out.means[:, 1, survived] - out.means[:, 0, survived])
    assert (se[:, 0] == 0).all() and (se[:, 1] >= 0).all()
    table = morris_indices(params, x, y, names, levels=4, seed=5)
    assert (table[table["parameter"].isin(INERT)]["mu_star"] == 0).all()
    assert table[(table["parameter"] == "behaviour.conformity")]["mu_star"].max() > 0
    again = evaluate(arms, [p.name for p in params], x, 8, outcomes_of(s), jobs=2, block=5)
    assert np.array_equal(out.means, again.means)


def test_flip_table_reports_the_other_sign_and_what_separates_it():
    params = [Parameter("a", 0.0, 1.0, 0.5, "", ""), Parameter("b", 0.0, 1.0, 0.5, "", "")]
    rng = np.random.default_rng(2)
    x = rng.random((400, 2))
    y = np.column_stack([x[:, 1], 0.2 - 0.4 * x[:, 0]])   # flips where a > 0.5
    se = np.full_like(y, 0.01)
    table = flip_table(params, x, y, se, ["level", "lever - base"], np.array([0.5, 0.1]),
                       ["level"]).iloc[0]
    assert table["output"] == "lever - base"
    assert table["other_sign"] == pytest.approx((x[:, 0] > 0.5).mean())
    assert table["separating"].startswith("a (+")


def test_settings_are_typed_by_hydra_and_ranges_checked_before_any_run():
    with pytest.raises(ConfigCompositionException, match="sensitivity.colour"):
        base_node("experiment=sensitivity", "sensitivity.colour=red")
    with pytest.raises(ConfigError, match="colour"):     # forced in with '+'
        sensitivity_settings(base_node("experiment=sensitivity", "+sensitivity.colour=red"))
    with pytest.raises(ConfigCompositionException):
        base_node("experiment=sensitivity", "sensitivity.replicates=many")
    with pytest.raises(ConfigError, match="power of two"):
        sensitivity_settings(base_node("experiment=sensitivity", "sensitivity.sobol.n=1000"))
    with pytest.raises(ConfigError, match="choose from"):
        sensitivity_settings(base_node("experiment=sensitivity",
                                       "sensitivity.levels=[happiness]"))
    s = sensitivity_settings(base_node("experiment=sensitivity"))
    assert isinstance(s, SensitivitySettings) and s.sobol.n == 256


def test_the_experiment_runs_small_and_warns_that_it_is_small(tmp_path, capsys):
    cfg = base_node("experiment=sensitivity", "run.weeks=26", f"study.dir={tmp_path}",
                    "sensitivity.replicates=4", "sensitivity.jobs=1",
                    "sensitivity.morris.trajectories=2", "sensitivity.sobol.n=8",
                    "sensitivity.sobol.top=3", "sensitivity.contrasts=[two_hires,coaching]")
    assert run(cfg) == 0
    record = json.loads((tmp_path / "sensitivity.json").read_text())
    d = record["parameters"]
    assert record["morris"]["runs"] == 2 * (d + 1) * 3 * 4
    assert record["sobol"]["runs"] == 8 * (3 + 2) * 3 * 4
    assert any("rough look" in w for w in record["warnings"])
    assert "two_hires - single_hire" in record["defaults"]
    for name in ("morris", "sobol", "flips"):
        for ext in ("csv", "parquet", "md"):
            assert (tmp_path / f"{name}.{ext}").stat().st_size > 0
    for name in ("morris", "sobol"):
        assert (tmp_path / f"{name}.png").stat().st_size > 0
    assert "**Warnings:**" in (tmp_path / "summary.md").read_text()
    captured = capsys.readouterr()
    assert "warning: sensitivity.sobol.n = 8" in captured.err and "runs in" in captured.out


def test_unknown_sobol_parameter_is_named(tmp_path):
    cfg = base_node("experiment=sensitivity", f"study.dir={tmp_path}",
                    "sensitivity.sobol.parameters=[ebe.count]")
    with pytest.raises(ConfigError, match="not sampled"):
        run(cfg)
    assert not (tmp_path / "morris.csv").exists()


def test_the_committed_sensitivity_summary_is_fresh():
    """docs/sensitivity.md names the model it ran on; a changed model makes it stale."""
    from experiments.validation.freshness import model_fingerprint

    text = (ROOT / "docs" / "sensitivity.md").read_text(encoding="utf-8")
    assert f"Model fingerprint `{model_fingerprint()}`" in text, (
        "docs/sensitivity.md is stale: teamsim run experiment=sensitivity "
        "sensitivity.document=docs/sensitivity.md")
    assert "## Sign flips" in text and (ROOT / "docs/img/sensitivity-sobol.png").exists()
