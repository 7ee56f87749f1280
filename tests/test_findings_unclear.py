"""An unclear comparison (its interval reaches across the minimum important difference)
is called unclear, never 'no meaningful difference', and no answer rests on it."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.findings import Design, hires_answer, levers_answer, uncertainty

PRESSURES = (("normal",), ("high",))
DESIGN = Design("ebe_count", ("pressure",), PRESSURES)
N = 10


def step(difference: float, low: float, high: float) -> pd.Series:
    return pd.Series({"difference": difference, "low": low, "high": high, "n": N})


def hires_frame() -> pd.DataFrame:
    return pd.DataFrame([{"point_id": f"{p}{c}", "pressure": p, "ebe_count": c,
                          "horizon": 104} for p in ("normal", "high") for c in (1, 2, 3)
                         for _ in range(N)])


def hires_props() -> pd.DataFrame:
    alive = {1: 0.6, 2: 0.9, 3: 0.95}
    return pd.DataFrame([{"pressure": p, "ebe_count": c, "p": alive[c], "low": alive[c] - 0.2,
                          "high": min(1.0, alive[c] + 0.2)}
                         for p in ("normal", "high") for c in (1, 2, 3)])


GAIN, NONE, UNCLEAR = step(0.3, 0.1, 0.5), step(0.0, 0.0, 0.0), step(0.1, 0.0, 0.4)


def answer(second: dict, third: dict, lang: str = "en"):
    steps = {level: {2: second[level], 3: third[level]} for level in PRESSURES}
    return hires_answer(hires_frame(), DESIGN, hires_props(), steps, lang, 0.05)


def test_no_hiring_advice_rests_on_an_unclear_second_ebe():
    fact = answer({("normal",): NONE, ("high",): UNCLEAR}, {("normal",): NONE,
                                                            ("high",): NONE})
    assert fact.numbers["enough"] is None                 # not 'one EBE was enough'
    assert fact.text.startswith("Not yet clear") and "at high pressure" in fact.text
    assert "about 160 per situation would tell" in fact.text
    dutch = answer({("normal",): NONE, ("high",): UNCLEAR}, {("normal",): NONE,
                                                             ("high",): NONE}, "nl")
    assert dutch.text.startswith("Nog niet duidelijk") and "bij hoge werkdruk" in dutch.text


def test_a_further_ebe_is_unclear_not_no_further_difference():
    fact = answer({level: GAIN for level in PRESSURES},
                  {("normal",): UNCLEAR, ("high",): NONE})
    assert fact.text.startswith("Hire at least two")
    assert "no meaningful further difference" not in fact.text
    assert "Whether a third EBE makes a further meaningful difference at normal pressure " \
           "is unclear with 10 simulated teams per situation" in fact.text
    clear = answer({level: GAIN for level in PRESSURES}, {level: NONE for level in PRESSURES})
    assert "A third EBE made no meaningful further difference." in clear.text


LEVERS = Design("label", ("pressure",), PRESSURES)


def levers_fact(effects: dict[str, tuple[float, float, float]], lang: str = "en"):
    labels = ["single_hire", *effects]
    frame = pd.DataFrame([{"point_id": f"{lab}{p}", "label": lab, "pressure": p,
                           "ebe_count": 1, "horizon": 104}
                          for lab in labels for p in ("normal", "high") for _ in range(N)])
    props = pd.DataFrame([{"label": lab, "pressure": p, "p": 0.5, "low": 0.3, "high": 0.7}
                          for lab in labels for p in ("normal", "high")])
    alive = pd.DataFrame([{"label": lab, "pressure": p, "difference": d, "low": lo,
                           "high": hi, "n": N} for lab, (d, lo, hi) in effects.items()
                          for p in ("normal", "high")])
    rank = alive.groupby("label")["difference"].mean().sort_values(ascending=False)
    return levers_answer(frame, LEVERS, props, alive, rank, set(), "single_hire", lang,
                         0.05, "two years")


def test_a_measure_ranked_above_the_best_with_an_unclear_effect_is_named():
    fact = levers_fact({"intervision": (0.20, 0.10, 0.30), "coaching": (0.25, 0.0, 0.5)})
    assert fact.numbers["best"] == "intervision" and fact.numbers["unclear"] == ["coaching"]
    assert "Whether coaching and supervision might help as much or more is unclear" \
        in fact.text
    clear = levers_fact({"intervision": (0.20, 0.10, 0.30), "coaching": (0.1, 0.08, 0.12)})
    assert "unclear" not in clear.text


def test_without_a_clear_gain_unclear_measures_ask_for_more_runs():
    fact = levers_fact({"intervision": (0.10, 0.0, 0.40), "coaching": (0.0, 0.0, 0.0)})
    assert fact.text.startswith("Not yet clear") and "peer intervision" in fact.text
    assert "No measure made a meaningful difference" not in fact.text
    nl = levers_fact({"intervision": (0.10, 0.0, 0.40), "coaching": (0.0, 0.0, 0.0)}, "nl")
    assert nl.text.startswith("Nog niet duidelijk") and "intervisie" in nl.text


@pytest.mark.parametrize(("half", "small"), [(0.03, True), (0.05, False), (0.26, False)])
def test_the_noise_is_called_small_only_against_the_minimum_important_difference(half, small):
    props = hires_props().assign(low=lambda f: f["p"] - half, high=lambda f: f["p"] + half)
    noise = uncertainty(hires_frame(), props, "en", None, [], 0.05)[0]
    assert noise.numbers["small"] is small
    assert ("noise is small" in noise.text) is small
    assert ("too wide to answer" in noise.text) is not small


@pytest.mark.parametrize(("half", "shown"), [(0.044, "±4.4 percentage"),
                                             (0.031, "±4 percentage")])
def test_a_small_noise_never_reads_as_the_minimum_itself(half, shown):
    """Half-widths are rounded up; ±4.4 rounded up to a whole point would read ±5, the very
    edge the sentence says it stays below."""
    props = hires_props().assign(low=lambda f: f["p"] - half, high=lambda f: f["p"] + half)
    noise = uncertainty(hires_frame(), props, "en", None, [], 0.05)[0]
    assert noise.numbers["small"] and shown in noise.text
