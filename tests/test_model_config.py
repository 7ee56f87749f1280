"""Bad input fails before any work, naming the field, the value and the allowed range."""

from __future__ import annotations

import dataclasses

import pytest

from sim import ConfigError, TeamModel, compose, simulate, validate
from sim.parameters import build_team, staffing


@pytest.mark.parametrize(("override", "words"), [
    ("workload.crisis_rate=1.5", ["workload.crisis_rate", "1.5", "[0.0, 1.0]"]),
    ("run.weeks=0", ["run.weeks", "0", "[1, 1040]"]),
    ("ebe.employment=freelance", ["ebe.employment", "freelance", "employed, external"]),
    ("+team.disciplines.surgeon=1", ["team.disciplines.surgeon", "psychiatrist"]),
    ("team.hierarchy_weight.nurse=-1", ["team.hierarchy_weight.nurse", "-1"]),
    ("team.final_responsibility=team_leader", ["team.final_responsibility", "team_leader"]),
    ("organisation.intervision=nan", ["organisation.intervision", "nan"]),
])
def test_invalid_values_name_field_value_and_range(override, words):
    with pytest.raises(ConfigError) as err:
        compose([override])
    for word in words:
        assert word in str(err.value)


def test_more_ebes_than_seats():
    with pytest.raises(ConfigError, match=r"ebe.count = 7 .*at most 6 EBEs in a team of size 8"):
        compose(["team.size=8", "ebe.count=7"])


def test_misspelled_key_and_unknown_scenario():
    with pytest.raises(ConfigError, match="cuont"):
        compose(["ebe.cuont=2"])
    with pytest.raises(ConfigError, match=r"ebe.cout is not a field .*count"):
        compose(["+ebe.cout=2"])  # appending does not sneak an unknown field in
    with pytest.raises(ConfigError, match="single_hire"):
        compose(["scenario=one_hire"])  # the message lists the available options


def test_validation_happens_before_work():
    cfg = compose([])
    bad = dataclasses.replace(cfg, run=dataclasses.replace(cfg.run, survival_fraction=2.0))
    with pytest.raises(ConfigError, match="run.survival_fraction"):
        simulate(bad)
    with pytest.raises(ConfigError, match="run.survival_fraction"):
        TeamModel(bad)
    assert validate(cfg) is cfg


def test_team_size_rescales_professionals_and_keeps_final_responsibility():
    cfg = compose(["team.size=20", "ebe.share=0.2"])
    roles = staffing(cfg)
    assert len(roles) == 20 and roles.count("expert_by_experience") == 4
    assert roles[0] == "psychiatrist"
    small = compose(["team.size=8", "ebe.count=2"])
    assert len(staffing(small)) == 8 and staffing(small)[0] == "psychiatrist"
    assert build_team(small).is_ebe.sum() == 2
