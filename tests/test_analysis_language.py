"""Readable names and numbers in English and Dutch."""

from __future__ import annotations

import pytest
import yaml

from analysis.language import (
    describe,
    effect_points,
    horizon,
    number,
    percent_interval,
    phrase,
    points,
)
from analysis.names import (
    DISCIPLINES,
    MECHANISMS,
    SCENARIOS,
    SETTINGS,
    TABLES,
    discipline,
    label,
    name,
)
from analysis.robustness import MECHANISM_GROUPS
from experiments.validation.structural import ROWS
from sim import config_dir

#: Swept keys that :func:`analysis.language.describe` names without the settings table.
DESCRIBED = {"ebe.count", "pressure", "scenario", "team", "ebe.employment"}


def test_every_scenario_file_has_a_name_in_both_languages():
    files = {path.stem for path in (config_dir() / "scenario").glob("*.yaml")}
    assert files <= set(SCENARIOS), sorted(files - set(SCENARIOS))
    for table in TABLES.values():
        for entry in table.values():
            assert entry.en.strip() and entry.nl.strip()


def test_every_discipline_mechanism_and_swept_setting_has_a_name_in_both_languages():
    teams = [yaml.safe_load(path.read_text()) for path in (config_dir() / "team").glob("*.yaml")]
    disciplines = {d for team in teams for d in team["disciplines"]}
    assert disciplines <= set(DISCIPLINES), sorted(disciplines - set(DISCIPLINES))
    rows = {row.name for row in ROWS if row.group in MECHANISM_GROUPS}
    assert rows <= set(MECHANISMS), sorted(rows - set(MECHANISMS))
    swept = set()
    for path in (config_dir() / "experiment").glob("*.yaml"):
        sweep = (yaml.safe_load(path.read_text()).get("hydra") or {}).get("sweeper") or {}
        swept |= set(sweep.get("params") or {})
    assert swept - DESCRIBED <= set(SETTINGS), sorted(swept - DESCRIBED - set(SETTINGS))
    for lang in ("en", "nl"):
        assert "team.turnover" not in describe("team.turnover", 0.15, lang)


def test_disciplines_are_singular_for_one_and_plural_otherwise():
    assert [discipline("nurse", n) for n in (1, 4)] == ["nurse", "nurses"]
    assert [discipline("psychiatrist", n, "nl") for n in (1, 2)] == ["psychiater", "psychiaters"]
    assert discipline("social_psychiatric_nurse", 2) == "social psychiatric nurses"
    assert discipline("art_therapist", 2) == "art therapist"         # unknown: its key


def test_names_and_their_fallback():
    assert name("scenario", "separate_ebe_team") == "a separate EBE team"
    assert label("scenario", "separate_ebe_team", "nl") == "Een apart team van ervaringsdeskundigen"
    assert name("scenario", "my_own_idea") == "my own idea"
    assert name("team", "fact", "nl") == "FACT-team"
    with pytest.raises(ValueError, match="choose one of en, nl"):
        name("scenario", "two_hires", "de")
    with pytest.raises(ValueError, match="kind 'lever'"):
        name("lever", "two_hires")


def test_a_rounded_zero_has_no_sign():
    assert number(-0.004, 2) == "0.00" and number(-0.4) == "0" and number(0.3, sign=True) == "0"
    assert points(-0.004) == "0" and points(0.004) == "0"
    assert points(-0.012) == "-1" and points(0.38) == "+38"
    assert number(-0.014, 3, sign=True) == "-0.014"


def test_dutch_writes_a_decimal_comma_with_the_same_digits():
    assert number(0.125, 3, "nl", sign=True) == "+0,125"
    assert percent_interval(0.234, 0.19, 0.27, "nl") == percent_interval(0.234, 0.19, 0.27)
    assert percent_interval(0.234, 0.19, 0.27) == "23% (19–27%)"
    assert horizon(104, "nl") == "twee jaar" and horizon(30) == "30 weeks"


def test_points_are_described_as_a_reader_sees_them():
    assert describe("pressure", "high") == "high pressure"
    assert describe("pressure", "high", "nl") == "werkdruk hoog"
    assert describe("ebe.count", 1) == "1 EBE" and describe("ebe_count", 3) == "3 EBEs"
    assert describe("label", "two_hires") == "A second EBE"
    assert describe("workload.caseload", 0.35, "nl") == "druk van de caseload (0-1) = 0,35"
    assert phrase("alive_at", "nl", when="twee jaar").startswith("perspectief levend")


def test_an_edge_that_would_round_onto_the_minimum_shows_its_decimal():
    """'+5 to +8, unclear' would hide why: the edge is 4.7, inside the 5 points."""
    assert effect_points(0.0612, 0.0472, 0.0789, 0.05) == {
        "diff": "+6.1", "low": "+4.7", "high": "+7.9"}
    assert effect_points(-0.0612, -0.0789, -0.0531, 0.05, "nl") == {
        "diff": "-6,1", "low": "-7,9", "high": "-5,3"}
    assert effect_points(0.20, 0.152, 0.248, 0.05) == {"diff": "+20", "low": "+15",
                                                       "high": "+25"}


def test_an_interval_within_one_point_shows_its_decimal():
    assert effect_points(0.0, -0.006, 0.006, 0.05) == {"diff": "0.0", "low": "-0.6",
                                                       "high": "+0.6"}
    assert effect_points(0.0, 0.0, 0.0, 0.05) == {"diff": "0", "low": "0", "high": "0"}
    assert effect_points(0.01, 0.002, 0.021, 0.05)["low"] == "0"      # reaches past a point
