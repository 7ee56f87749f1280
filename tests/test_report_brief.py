"""The policy brief: its numbers equal the data's, computed here by another route."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.proportion import proportion_confint
from test_analysis_load import write_study

from analysis.load import load_replicates
from analysis.report import build, main

REPLICATES = 60


class Facts(HTMLParser):
    """Collect the text of every element carrying ``data-fact`` and every image source."""

    def __init__(self):
        super().__init__()
        self.facts: dict[str, str] = {}
        self.images: list[str] = []
        self._key = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-fact" in attrs:
            self._key = attrs["data-fact"]
            self.facts[self._key] = ""
        if tag == "img":
            self.images.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag == "li":
            self._key = None

    def handle_data(self, data):
        if self._key:
            self.facts[self._key] += data


def parse(page: str) -> Facts:
    parser = Facts()
    parser.feed(page)
    return parser


def wilson_text(k: int, n: int) -> str:
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    return f"{100 * k / n:.0f}% ({100 * low:.0f}–{100 * high:.0f}%)"


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("briefs")
    hires = [("hires", [f"ebe.count={n}", f"pressure={p}"])
             for p in ("normal", "high") for n in (0, 1, 2)]
    levers = [(s, [f"scenario={s}", f"pressure={p}"])
              for p in ("normal", "high") for s in ("single_hire", "two_hires", "intervision")]
    return {"hires": write_study(root, "hire_more_than_one", hires, REPLICATES,
                                 swept=["ebe.count"], collect=True),
            "levers": write_study(root, "levers", levers, REPLICATES, weekly="quantiles")}


@pytest.fixture(scope="module")
def briefs(studies):
    return {kind: build(path) for kind, path in studies.items()}


def test_every_fact_appears_verbatim_and_figures_are_embedded(briefs):
    for brief in briefs.values():
        page = parse(brief.html)
        assert page.facts == {f.key: f.text for f in brief.facts}
        assert len(page.images) >= 4
        assert all(src.startswith("data:image/png;base64,") for src in page.images)
        assert "http://" not in brief.html and "https://" not in brief.html


def test_hires_survival_numbers_equal_the_data(studies, briefs):
    frame = load_replicates(studies["hires"])
    facts = parse(briefs["hires"].html).facts
    for pressure in ("normal", "high"):
        text = facts[f"survival/{pressure}"]
        assert text.startswith(f"In a {pressure}-pressure team, with one EBE the perspective "
                               "survived two years in ")
        for n in (1, 2):
            rows = frame[(frame["pressure"] == pressure) & (frame["ebe.count"] == n)]
            assert len(rows) == REPLICATES
            assert wilson_text(int(rows["survived"].sum()), len(rows)) in text


def test_hires_paired_effect_and_hazard_ratio_equal_the_data(studies, briefs):
    frame = load_replicates(studies["hires"])
    facts = parse(briefs["hires"].html).facts
    for pressure in ("normal", "high"):
        rows = frame[frame["pressure"] == pressure]
        wide = rows.pivot_table(index=["seed", "replicate"], columns="ebe.count",
                                values="survived", aggfunc="first").astype(float)
        effect = (wide[2] - wide[1]).mean()
        assert f"by {100 * effect:+.0f} percentage points" in facts[f"extra/{pressure}/2"]
    with_ebe = frame[frame["ebe.count"] > 0].assign(lost=lambda f: f["lost"].astype(int))
    fit = smf.phreg("weeks_to_loss ~ ebe_count", with_ebe, status=with_ebe["lost"],
                    strata=with_ebe["pressure"], ties="efron").fit()
    ratio = np.exp(fit.params[0])
    assert f"by {ratio:.2f} (95% interval" in facts["hazard_ratio"]


def test_hires_means_equal_the_data(studies, briefs):
    frame = load_replicates(studies["hires"])
    facts = parse(briefs["hires"].html).facts
    rows = frame[(frame["pressure"] == "high") & (frame["ebe.count"] == 2)]
    text = facts["means/high/2"]
    assert f"{100 * rows['experiential_share'].mean():.1f}% of the weight" in text
    assert f"{rows['exits'].mean():.2f} EBEs left per team" in text
    assert f"professionals' views moved by {rows['team_shift'].mean():+.3f}" in text
    with_ebe = rows["ebe_shift"].dropna()  # teams with an EBE at the end
    assert f"EBEs' own views by {with_ebe.sum() / len(with_ebe):+.3f}" in text


def test_levers_numbers_equal_the_data(studies, briefs):
    frame = load_replicates(studies["levers"])
    facts = parse(briefs["levers"].html).facts
    assert briefs["levers"].kind == "levers"
    for pressure in ("normal", "high"):
        base = frame[(frame["pressure"] == pressure) & (frame["label"] == "single_hire")]
        assert wilson_text(int(base["survived"].sum()), len(base)) in facts[f"baseline/{pressure}"]
        lever = frame[(frame["pressure"] == pressure) & (frame["label"] == "intervision")]
        diff = lever["survived"].mean() - base["survived"].mean()  # same replicates: paired
        text = facts[f"lever/{pressure}/intervision"]
        assert wilson_text(int(lever["survived"].sum()), len(lever)) in text
        assert f"{100 * diff:+.0f} percentage points" in text
    ranks = [int(facts[k].split(".")[0]) for k in facts if k.startswith("lever/normal/")]
    assert sorted(ranks) == [1, 2]


def test_links_point_to_the_odd_and_the_data(studies, briefs):
    page = briefs["hires"].html
    assert "docs/ODD.md'" in page and "replicates.parquet'" in page
    assert "points/'" in briefs["levers"].html


def test_main_writes_the_page_and_names_bad_input(studies, tmp_path, capsys):
    out = tmp_path / "brief.html"
    assert main([str(studies["levers"]), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main([str(tmp_path / "missing")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main([str(studies["levers"]), "--baseline", "nobody"]) == 2
    assert "baseline scenario 'nobody'" in capsys.readouterr().err
    flat = write_study(tmp_path, "flat", [("single_hire", [])], 10)
    assert main([str(flat)]) == 2
    assert "varies neither" in capsys.readouterr().err
