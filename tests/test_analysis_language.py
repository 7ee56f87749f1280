"""Readable names and numbers in English and Dutch."""

from __future__ import annotations

import pytest

from analysis.language import describe, horizon, number, percent_interval, phrase, points
from analysis.names import SCENARIOS, TABLES, label, name
from sim import config_dir


def test_every_scenario_file_has_a_name_in_both_languages():
    files = {path.stem for path in (config_dir() / "scenario").glob("*.yaml")}
    assert files <= set(SCENARIOS), sorted(files - set(SCENARIOS))
    for table in TABLES.values():
        for entry in table.values():
            assert entry.en.strip() and entry.nl.strip()


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
