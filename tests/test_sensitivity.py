"""Global sensitivity: SALib wiring on functions with known indices, the parameter list
from the schema, common random numbers, and a small run of the experiment."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from SALib.test_functions import Ishigami

from experiments.sensitivity import (
    OUTCOMES,
    Parameter,
    continuous_parameters,
    evaluate,
    morris_design,
    morris_indices,
    run,
    screened,
    sobol_design,
    sobol_indices,
    with_values,
)
from sim import ConfigError, compose, config_dir

PI = math.pi
ISHIGAMI = [Parameter(f"x{i}", -PI, PI, 0.0, "", "") for i in (1, 2, 3)]
# Ishigami & Homma (1990), a = 7, b = 0.1: analytic first-order and total indices.
S1 = (0.3139, 0.4424, 0.0)
ST = (0.5576, 0.4424, 0.2437)
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
    assert table["sigma"].max() == pytest.approx(0.0, abs=1e-12)
    assert screened(table.reset_index().assign(outcome="y"), 5) == ["a", "b"]


def test_parameters_are_every_ranged_float_of_the_schema():
    cfg = compose([])
    params = {p.name: p for p in continuous_parameters(cfg)}
    assert "behaviour.conformity" in params and "organisation.intervision" in params
    assert "team.hierarchy_weight" not in params       # a dict
    assert "ebe.count" not in params                   # an integer
    assert "ebe.share" not in params                   # optional (None by default)
    assert not any(n.startswith("run.") for n in params)
    assert all(p.low <= p.default <= p.high for p in params.values())
    narrowed = continuous_parameters(cfg, {"behaviour.conformity": [0.0, 0.05]})
    assert {p.name: (p.low, p.high) for p in narrowed}["behaviour.conformity"] == (0.0, 0.05)
    with pytest.raises(ConfigError, match="behaviour.conformity"):
        continuous_parameters(cfg, {"behaviour.conformity": [0.02, 0.05]})  # default 0.012
    with pytest.raises(ConfigError, match="not continuous"):
        continuous_parameters(cfg, {"ebe.count": [0, 3]})


def test_with_values_sets_and_validates():
    cfg = compose([])
    changed = with_values(cfg, ["behaviour.conformity", "workload.caseload"], [0.03, 0.9])
    assert (changed.behaviour.conformity, changed.workload.caseload) == (0.03, 0.9)
    assert cfg.behaviour.conformity != 0.03
    with pytest.raises(ConfigError, match="workload.caseload"):
        with_values(cfg, ["workload.caseload"], [1.5])


def test_common_random_numbers_give_inert_parameters_exactly_zero_effect():
    cfg = compose(["run.weeks=26"])
    params = [p for p in continuous_parameters(cfg)
              if p.name in (*INERT, "behaviour.conformity")]
    x = morris_design(params, trajectories=3, levels=4, seed=5)
    y = evaluate(cfg, [p.name for p in params], x, replicates=8, outcomes=OUTCOMES, block=4)
    table = morris_indices(params, x, y, OUTCOMES, levels=4, seed=5)
    inert = table[table["parameter"].isin(INERT)]
    assert (inert["mu_star"] == 0).all()
    live = table[(table["parameter"] == "behaviour.conformity")
                 & (table["outcome"] == "team_shift")]
    assert live["mu_star"].iloc[0] > 0
    assert np.array_equal(y, evaluate(cfg, [p.name for p in params], x, replicates=8,
                                      jobs=2, block=5))


def sensitivity_config(tmp_path, *overrides):
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        return hydra_compose("config", ["experiment=sensitivity", "run.weeks=26",
                                        f"study.dir={tmp_path}", *overrides])


def test_the_experiment_runs_small_and_writes_tables_and_figures(tmp_path, capsys):
    cfg = sensitivity_config(tmp_path, "sensitivity.replicates=4", "sensitivity.jobs=1",
                             "sensitivity.morris.trajectories=2", "sensitivity.sobol.n=8",
                             "sensitivity.sobol.top=3")
    assert run(cfg) == 0
    record = json.loads((tmp_path / "sensitivity.json").read_text())
    d = record["parameters"]
    assert record["morris"]["runs"] == 2 * (d + 1) * 4
    assert record["sobol"]["runs"] == 8 * (3 + 2) * 4
    assert not set(record["sobol"]["parameters"]) & set(INERT)
    for name in ("morris", "sobol"):
        for ext in ("csv", "parquet", "md", "png", "svg"):
            assert (tmp_path / f"{name}.{ext}").stat().st_size > 0
    assert "| outcome | parameter | S1 | S1_conf | ST | ST_conf |" in \
        (tmp_path / "sobol.md").read_text()
    assert "runs in" in capsys.readouterr().out


@pytest.mark.parametrize(("override", "message"), [
    ("sensitivity.sobol.n=1000", "power of two"),
    ("sensitivity.outcomes=[happiness]", "choose from survived"),
    ("+sensitivity.colour=red", "not a setting"),
    ("sensitivity.sobol.parameters=[ebe.count]", "not continuous"),
])
def test_bad_settings_are_named_before_any_run(tmp_path, override, message):
    with pytest.raises(ConfigError, match=message):
        run(sensitivity_config(tmp_path, override))
    assert not (tmp_path / "morris.csv").exists()
