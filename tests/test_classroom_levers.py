"""The classroom's levers (experiments.classroom.levers): inputs -> a validated config."""

from __future__ import annotations

import inspect

import pytest

from experiments.classroom.levers import (
    LEVERS,
    MORE,
    PRESSURES,
    TEAMS,
    classroom_config,
    describe,
    levers_of,
    model_params,
    other_settings,
    parse_seed,
)
from experiments.classroom.team import ClassroomTeam
from sim import compose
from sim.config import ConfigError


@pytest.mark.parametrize("lever, value, section, field", [
    ("ebes", 3, "ebe", "count"),
    ("hierarchy_steepness", 2.5, "team", "hierarchy_steepness"),
    ("experiential_authority", 0.7, "organisation", "experiential_authority"),
    ("dialogue_culture", 0.9, "organisation", "dialogue_culture"),
    ("intervision", 1.0, "organisation", "intervision"),
    ("professional_autonomy", 0.8, "organisation", "professional_autonomy"),
    ("employment", "external", "ebe", "employment"),
    ("structure", "duos", "team", "structure"),
    ("subteams", 3, "team", "subteams"),
    ("outside_contact", 0.6, "team", "outside_contact"),
    ("turnover", 0.4, "team", "turnover"),
    ("ally_share", 0.3, "team", "ally_share"),
    ("seed", "42", "run", "seed"),
])
def test_each_lever_sets_its_config_field(lever, value, section, field):
    cfg = classroom_config(**{lever: value})
    expected = int(value) if lever == "seed" else value
    assert getattr(getattr(cfg, section), field) == expected
    default = classroom_config()
    assert getattr(getattr(default, section), field) != expected


def test_team_and_pressure_are_the_config_groups_in_a_sensible_order():
    assert TEAMS == ("small", "neighbourhood", "fact", "large")   # by number of professionals
    assert PRESSURES == ("calm", "normal", "high")                # by caseload
    for team in TEAMS:
        assert classroom_config(team=team).team == compose([f"team={team}"]).team
    for level in PRESSURES:
        assert classroom_config(pressure=level).workload == compose([f"pressure={level}"]).workload


def test_defaults_are_the_model_defaults():
    default, composed = classroom_config(), compose([])
    assert default.label == "classroom"
    for section in ("team", "ebe", "workload", "organisation", "behaviour"):
        assert getattr(default, section) == getattr(composed, section)


@pytest.mark.parametrize("levers, message", [
    ({"seed": "abc"}, "seed 'abc' cannot be used: allowed a whole number of 0 or more with "
                      "at most 18 digits, for example 18"),
    ({"seed": "-1"}, "seed '-1' cannot be used"),
    ({"seed": "9" * 19}, "at most 18 digits"),
    ({"pressure": "extreme"}, "pressure = 'extreme' .* allowed one of calm, normal, high"),
    ({"team": "ward"}, "team = 'ward' .* allowed one of small, neighbourhood, fact, large"),
    ({"employment": "volunteer"}, "ebe.employment = 'volunteer' .* employed, external"),
    ({"dialogue_culture": 1.5}, r"organisation\.dialogue_culture = 1\.5 .* \[0\.0, 1\.0\]"),
])
def test_bad_levers_name_the_setting_and_what_is_allowed(levers, message):
    with pytest.raises(ConfigError, match=message) as caught:
        classroom_config(**levers)
    assert "9223372036854775807" not in str(caught.value)


def test_every_seed_the_page_accepts_is_a_valid_run_seed():
    assert parse_seed(" 18 ") == 18
    assert classroom_config(seed="9" * 18).run.seed == 10**18 - 1


def test_unknown_lever_is_named():
    with pytest.raises(ConfigError, match="lever 'coaching' is unknown: allowed ebes, "):
        classroom_config(coaching=0.5)


def test_mesa_reset_passing_its_scenario_still_builds_the_chosen_team():
    """Mesa 3.5's Reset adds ``scenario=<the model's Scenario>`` to the page's inputs
    (``solara_viz._build_model_init_kwargs``); it must not turn into an unknown lever."""
    chosen = ClassroomTeam(pressure="high", seed=18, scenario=object())
    assert chosen.problem is None
    assert (chosen.config.workload.name, chosen.seed) == ("high", 18)


def test_inputs_match_the_model_and_the_config_ranges():
    signature = inspect.signature(ClassroomTeam).parameters
    named = {name for name, p in signature.items() if p.kind != p.VAR_KEYWORD}
    assert named == {"team", "pressure", "seed", "study", "point", "replicate", "scenario"}
    assert set(model_params) == {"team", "pressure", "seed", *LEVERS}
    start = {name: spec["value"] for name, spec in model_params.items()}
    assert ClassroomTeam(**start).config == ClassroomTeam().config == classroom_config()
    for name, spec in model_params.items():
        if spec["type"].startswith("Slider"):
            assert spec["min"] <= spec["value"] <= spec["max"]
            classroom_config(**{name: spec["min"]})
            classroom_config(**{name: spec["max"]})
        if spec["type"] == "Select":
            for value in spec["values"]:
                classroom_config(**{name: value})


def test_more_settings_are_inputs_and_the_new_team_levers_stay_in_view():
    assert set(MORE) < set(model_params)
    assert {"team", "ebes", "pressure", "experiential_authority", "dialogue_culture",
            "structure", "turnover", "seed"}.isdisjoint(MORE)


def test_levers_of_a_config_give_back_the_same_config():
    """What the sliders show for a team (also a replayed one) builds that team again."""
    cfg = classroom_config(team="small", ebes=2, pressure="high", intervision=0.5,
                           employment="external", seed="7")
    shown = levers_of(cfg)
    assert shown == {"team": "small", "pressure": "high", "ebes": 2,
                     "hierarchy_steepness": 1.0, "experiential_authority": 0.0,
                     "dialogue_culture": 0.2, "intervision": 0.5, "professional_autonomy": 0.3,
                     "employment": "external", "structure": "full", "subteams": 2,
                     "outside_contact": 0.3, "turnover": 0.15, "ally_share": 0.0, "seed": "7"}
    assert classroom_config(**shown) == cfg
    assert set(shown) == set(model_params) == {"team", "pressure", "seed", *LEVERS}


def test_settings_no_lever_shows_are_listed():
    assert other_settings(classroom_config(ebes=2)) == []
    study = compose(["scenario=policy_seat", "pressure=high", "team.size=8"])
    assert other_settings(study) == ["team.size=8", "organisation.policy_seat=1.0"]


def test_describe_lists_the_levers_in_use():
    text = describe(classroom_config(ebes=2, pressure="high", intervision=0.5, seed=18))
    assert text.startswith("fact team · 2 EBEs (employed) · pressure high")
    assert "intervision 0.50" in text and text.endswith("seed 18")
    assert "full team · turnover 0.15/year" in text and "allies 0.00" in text
    assert "duos (outside 0.60)" in describe(classroom_config(structure="duos",
                                                              outside_contact=0.6))
    assert "3 care lines (outside 0.30)" in describe(classroom_config(structure="subteams",
                                                                       subteams=3))
