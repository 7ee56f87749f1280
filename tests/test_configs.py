"""The Hydra config tree: every team, scenario, experiment and launcher composes and means
what its file says (compose-level tests: fast, no launch)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hydra import compose as hydra_compose
from hydra import initialize_config_dir

from experiments.plan import make_plan
from experiments.settings import study_settings
from sim import ConfigError, compose, config_dir, to_config
from sim.parameters import staffing

CONFIGS = config_dir()
SCENARIOS = sorted(p.stem for p in (CONFIGS / "scenario").glob("*.yaml"))
TEAMS = sorted(p.stem for p in (CONFIGS / "team").glob("*.yaml"))
LEVERS = {  # scenario -> (field, value) it changes over the single hire
    "external_ebe": ("ebe.employment", "external"),
    "intervision": ("organisation.intervision", 1.0),
    "coaching": ("organisation.coaching", 1.0),
    "clear_role": ("organisation.role_clarity", 0.9),
    "policy_seat": ("organisation.policy_seat", 1.0),
    "professional_autonomy": ("organisation.professional_autonomy", 0.8),
    "dialogue_culture": ("organisation.dialogue_culture", 0.8),
    "experiential_authority": ("organisation.experiential_authority", 0.8),
    "separate_ebe_team": ("ebe.embedding", "separate"),
}
TEAM_CHANGES = {  # scenario -> (field, value): the team changes too (issue 13)
    "duo_work": ("team.structure", "duos"),
    "high_turnover": ("team.turnover", 0.35),
    "allies": ("team.ally_share", 0.2),
}


def flat(cfg) -> dict:
    """Dotted key -> value of a Config (dict fields kept whole)."""
    out = {}
    for section, values in dataclasses.asdict(cfg).items():
        if isinstance(values, dict):
            out.update({f"{section}.{k}": v for k, v in values.items()})
        else:
            out[section] = values
    return out


def test_the_issue_lists_every_situation():
    named = {"no_ebe", "single_hire", "two_hires", "three_hires", "high_pressure", *LEVERS,
             *TEAM_CHANGES}
    assert set(SCENARIOS) == named
    assert set(TEAMS) == {"fact", "neighbourhood", "small", "large"}


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_composes_names_itself_and_cites_a_seed(name):
    text = (CONFIGS / "scenario" / f"{name}.yaml").read_text()
    assert text.startswith("# @package _global_")
    assert re.search(r"seeds? 00[0-4]|\(\w[\w &,.]+ (19|20)\d\d\b", text), \
        "a comment names the seed document or a published source"
    assert compose([f"scenario={name}"]).label == name


@pytest.mark.parametrize("name", sorted({**LEVERS, **TEAM_CHANGES}))
def test_lever_changes_one_thing_over_the_single_hire(name):
    base = flat(compose(["scenario=single_hire"]))
    lever = flat(compose([f"scenario={name}"]))
    changed = {k for k in base if base[k] != lever[k]}
    key, value = {**LEVERS, **TEAM_CHANGES}[name]
    assert changed == {"label", key}
    assert lever[key] == value and lever["ebe.count"] == 1


def test_high_pressure_scenario_uses_the_high_pressure_level():
    assert compose(["scenario=high_pressure"]).workload == compose(["pressure=high"]).workload


def test_teams_compose_and_differ_in_size():
    sizes = {name: len(staffing(compose([f"team={name}", "ebe.count=0"]))) for name in TEAMS}
    assert sizes["small"] < sizes["fact"] < sizes["large"]
    neighbourhood = compose(["team=neighbourhood"])
    roles = set(staffing(neighbourhood))
    assert neighbourhood.team.final_responsibility == "team_leader"
    assert {"team_leader", "social_worker", "community_worker", "debt_counsellor",
            "youth_worker", "nurse"} <= roles
    assert "psychiatrist" not in roles


@pytest.fixture(scope="module")
def plans():
    """Each experiment expanded and every point validated, as `teamsim run` does."""
    cache = {}

    def plan(experiment):
        if experiment not in cache:
            cache[experiment] = make_plan([f"experiment={experiment}", "study.dir=unused"])
        return cache[experiment]

    return plan


@pytest.mark.parametrize(("experiment", "points", "keys"), [
    ("hire_more_than_one", 10, {"ebe.count": {0, 1, 2, 3, 4}, "pressure": {"normal", "high"}}),
    ("levers", 22, {"pressure": {"normal", "high"},
                    "label": {"single_hire", "two_hires", *LEVERS}}),
    ("pressure_by_hires", 24, {"ebe.count": {1, 2, 3, 4},
                               "workload.caseload": {0.2, 0.35, 0.5, 0.65, 0.8, 0.95}}),
    ("critical_mass", 20, {"ebe.share": {0.0, 0.1, 0.2, 0.3, 0.4}, "team.size": {8, 12, 16, 20}}),
])
def test_experiment_expands_into_valid_distinct_points(plans, experiment, points, keys):
    plan = plans(experiment)
    assert plan.multirun and len(plan.points) == points
    assert len({p.id for p in plan.points}) == points
    assert plan.settings.name == experiment
    for key, values in keys.items():
        assert {p.columns[key] for p in plan.points} == values
    assert not any("schema" in p.columns for p in plan.points)


def test_runner_experiments_hand_over_without_expanding(plans):
    plan = plans("sensitivity")
    assert plan.settings.runner == "experiments.sensitivity:run" and not plan.points


def test_hire_more_than_one_has_enough_replicates_for_5_point_intervals():
    cfg = compose(["experiment=hire_more_than_one"])
    assert cfg.run.replicates >= 400   # Wilson half-width <= 1.96 * sqrt(.25 / 400) = 4.9 pp


@pytest.mark.parametrize(("launcher", "target"), [
    ("local", "JoblibLauncher"), ("slurm", "SlurmLauncher"),
    ("submitit_local", "LocalLauncher"), ("basic", "BasicLauncher"),
])
def test_launchers_compose(launcher, target):
    with initialize_config_dir(version_base="1.3", config_dir=str(CONFIGS)):
        cfg = hydra_compose("config", [f"hydra/launcher={launcher}"], return_hydra_config=True)
    assert cfg.hydra.launcher._target_.endswith(target)
    if launcher == "slurm":
        assert cfg.hydra.launcher.array_parallelism > 0 and cfg.hydra.launcher.cpus_per_task == 1


def test_studies_run_on_all_local_cores_by_default():
    with initialize_config_dir(version_base="1.3", config_dir=str(CONFIGS)):
        cfg = hydra_compose("config", ["experiment=hire_more_than_one"], return_hydra_config=True)
    assert cfg.hydra.launcher._target_.endswith("JoblibLauncher")
    assert cfg.hydra.launcher.n_jobs == -1


def test_study_settings_stay_out_of_the_model_config():
    with initialize_config_dir(version_base="1.3", config_dir=str(CONFIGS)):
        node = hydra_compose("config", ["study.trajectories=full", "study.seeds=per_point"])
    assert not hasattr(to_config(node), "study")
    settings = study_settings(node)
    assert (settings.trajectories, settings.seeds, settings.name) == ("full", "per_point",
                                                                     "single_hire")


@pytest.mark.parametrize(("override", "words"), [
    ("study.trajectories=some", ["study.trajectories", "some", "full, quantiles, none"]),
    ("study.seeds=random", ["study.seeds", "random", "common, per_point"]),
    ("study.block_size=0", ["study.block_size", "0", ">= 1"]),
    ("study.runner=nomodule", ["study.runner", "module:function"]),
])
def test_bad_study_settings_name_the_setting_and_the_choices(override, words):
    with initialize_config_dir(version_base="1.3", config_dir=str(CONFIGS)):
        node = hydra_compose("config", [override])
    with pytest.raises(ConfigError) as err:
        study_settings(node)
    for word in words:
        assert word in str(err.value)
