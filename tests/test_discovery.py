"""Scenario discovery: the design, its runs and the PRIM boxes in plain words."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from analysis.discovery import (
    Limit,
    box_words,
    brief_section,
    find_boxes,
    inside,
    limit_words,
    locate,
    simplify,
)
from experiments import discovery
from sim import ConfigError, compose, simulate


def test_factors_take_their_values_from_the_unit_interval():
    u = np.array([0.0, 0.24, 0.26, 0.49, 0.51, 0.99])
    size = discovery.Factor("team.size", "int", 8, 20, step=4)
    assert size.values(u).tolist() == [8, 8, 12, 12, 16, 20]
    lever = discovery.Factor("organisation.intervision", "float", 0.0, 1.0, absent=0.5)
    assert lever.values(u).tolist() == pytest.approx([0, 0, 0, 0, 0.02, 0.98])
    team = discovery.Factor("team.name", "category", categories=("fact", "small"))
    assert team.values(u).tolist() == ["fact"] * 4 + ["small"] * 2


def test_the_latin_hypercube_fills_every_stratum_once():
    factors = [discovery.Factor("a", "float", 0.0, 10.0), discovery.Factor("b", "float")]
    design = discovery.latin_hypercube(factors, 50, seed=3)
    for column, width in (("a", 10.0), ("b", 1.0)):
        strata = np.floor(design[column] / width * 50).astype(int)
        assert sorted(strata) == list(range(50))
    assert design.equals(discovery.latin_hypercube(factors, 50, seed=3))


def test_bad_factors_are_named_before_any_run():
    base = compose([])
    with pytest.raises(ConfigError, match="organisation.intervisoin is not a setting"):
        discovery.make_factor(base, "organisation.intervisoin", [0, 1])
    with pytest.raises(ConfigError, match=r"within the schema range \[0.0, 1.0\]"):
        discovery.make_factor(base, "organisation.coaching", [0, 2])
    with pytest.raises(ConfigError, match="choose from employed, external"):
        discovery.make_factor(base, "ebe.employment", ["employed", "freelance"])
    with pytest.raises(ConfigError, match="choose from fact, large, neighbourhood, small"):
        discovery.make_factor(base, "team.name", ["fact", "huge"])
    with pytest.raises(ConfigError, match=r"allowed a range within \[0, 2\]"):
        discovery.make_factor(base, "pressure", [0, 3])
    with pytest.raises(ConfigError, match="'step'"):
        discovery.make_factor(base, "organisation.coaching", {"range": [0, 1], "step": 2})
    node = OmegaConf.create({"discovery": {"points": 5, "replicates": 1, "seed": 1,
                                           "jobs": 1, "block": 1, "threshold": 0.8,
                                           "density": 0.99, "boxes": 1, "peel_alpha": 0.05,
                                           "factors": {"ebe.count": [1, 2]}}})
    with pytest.raises(ConfigError, match="discovery.points = 5 must be >= 10"):
        discovery.settings(node)


def test_pressure_runs_through_the_levels_calm_normal_high():
    levels = discovery.pressure_levels()
    for position, level in enumerate(("calm", "normal", "high")):
        assert discovery.workload_at(position, levels) == pytest.approx(levels[level])
    middle = discovery.workload_at(1.5, levels)
    assert middle["caseload"] == pytest.approx((levels["normal"]["caseload"]
                                               + levels["high"]["caseload"]) / 2)


def test_a_point_runs_as_its_own_config_does(small):
    cfg = small("scenario=single_hire", weeks=26, replicates=16)
    node = OmegaConf.structured(cfg)
    bases = {"small": discovery.team_config(node, "small")}
    levels = discovery.pressure_levels()
    rows = [{"team.name": "small", "ebe.count": 2, "pressure": 2.0,
             "organisation.intervision": 0.3},
            {"team.name": "small", "ebe.count": 2, "pressure": 0.5,
             "organisation.intervision": 0.9}]
    cfgs = [discovery.point_config(bases, row, levels) for row in rows]
    assert discovery.layout_key(cfgs[0]) == discovery.layout_key(cfgs[1])
    assert cfgs[0].workload.caseload == pytest.approx(levels["high"]["caseload"])
    assert cfgs[0].team.disciplines["psychologist"] == 0          # the small team's mix
    block = discovery.evaluate_block(cfgs, 16, cfg.run.seed)
    for i, point in enumerate(cfgs):
        alone = simulate(point, weekly=False).replicates
        assert block.loc[i, "survived"] == alone["survived"].mean()
        assert block.loc[i, "exits"] == alone["exits"].mean()
    other = discovery.point_config(bases, {**rows[0], "ebe.count": 3}, levels)
    assert discovery.layout_key(other) != discovery.layout_key(cfgs[0])


def synthetic(n: int = 1500, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    """Points that work iff 2+ EBEs, or one external EBE (plus 1% noise)."""
    rng = np.random.default_rng(seed)
    points = pd.DataFrame({
        "ebe.count": rng.integers(1, 5, n), "pressure": rng.uniform(0, 2, n),
        "ebe.employment": rng.choice(["employed", "external"], n),
        "organisation.intervision": rng.uniform(0, 1, n)})
    works = (points["ebe.count"] >= 2) | (points["ebe.employment"] == "external")
    points["p_alive"] = np.where(works, 0.95, 0.5)
    record = {"kinds": {"ebe.count": "int", "pressure": "float", "ebe.employment": "category",
                        "organisation.intervision": "float"},
              "factors": {"ebe.count": [1, 4], "pressure": [0, 2],
                          "ebe.employment": ["employed", "external"],
                          "organisation.intervision": [0, 1]},
              "threshold": 0.8, "density": 0.99, "boxes": 3, "peel_alpha": 0.05,
              "points": n, "replicates": 100, "runs": 100 * n, "weeks": 104}
    return points, record


def test_prim_recovers_the_regions_that_work():
    points, record = synthetic()
    boxes = find_boxes(points, record)
    assert [b.limits for b in boxes[:2]] == [
        (Limit("ebe.count", "int", low=2.0),),
        (Limit("ebe.employment", "category", categories=("external",)),)]
    assert boxes[0].density == 1.0 and boxes[1].density == 1.0
    works = points["p_alive"] >= 0.8
    assert boxes[0].coverage == pytest.approx((points["ebe.count"] >= 2).sum() / works.sum())
    external = points["ebe.employment"] == "external"     # the region in the whole design
    assert boxes[1].coverage == pytest.approx((external & works).sum() / works.sum())
    assert boxes[1].n == external.sum()


def test_simplify_drops_restrictions_that_do_not_matter():
    points, _ = synthetic()
    y = (points["p_alive"] >= 0.8).to_numpy(float)
    noisy = (Limit("ebe.count", "int", low=2.0), Limit("pressure", "float", high=1.7))
    assert simplify(noisy, points, y, 0.99) == (Limit("ebe.count", "int", low=2.0),)
    assert inside(points, noisy).sum() < inside(points, noisy[:1]).sum()


def test_boxes_in_plain_words_in_both_languages():
    assert limit_words(Limit("ebe.count", "int", low=1.5)) == "two or more EBEs"
    assert limit_words(Limit("ebe.count", "int", low=1.5), "nl") == \
        "twee of meer ervaringsdeskundigen"
    assert limit_words(Limit("ebe.employment", "category", categories=("external",))) == \
        "an EBE who is external (not employed)"
    pressure = limit_words(Limit("pressure", "float", high=1.02))
    assert pressure.startswith("work pressure up to normal")
    assert limit_words(Limit("pressure", "float", high=1.8), "nl").startswith(
        "een werkdruk tot iets onder hoog (1,8 op een schaal")
    assert limit_words(Limit("pressure", "float", low=1.3)).startswith(
        "work pressure from somewhat above normal (1.3")
    assert limit_words(Limit("organisation.intervision", "float", low=0.35)) == \
        "peer intervision at least 0.35"
    points, record = synthetic()
    box = find_boxes(points, record)[0]
    text = box_words(box, record)
    assert text.startswith("With two or more EBEs: the perspective was alive after two years "
                           f"in at least 80% of teams in 100% of the {box.n:,} simulated "
                           "situations in this region")
    assert f"holds {100 * box.coverage:.0f}% of all situations" in text


def test_the_brief_finds_and_shows_a_discovery_study(tmp_path):
    points, record = synthetic(600)
    study = tmp_path / "discovery"
    study.mkdir()
    points.to_parquet(study / "points.parquet")
    (study / "discovery.json").write_text(json.dumps(record))
    assert locate(tmp_path / "levers") == study
    assert locate(tmp_path / "levers", study) == study
    with pytest.raises(FileNotFoundError, match="teamsim run experiment=discovery"):
        locate(tmp_path / "levers", tmp_path / "nowhere")
    for lang, heading in (("en", "Under which conditions"), ("nl", "Onder welke")):
        section = brief_section(study, lang)
        assert heading in section and "data-fact='box/1'" in section
        assert "data:image/png;base64," in section


@pytest.mark.slow
def test_the_discovery_study_runs_end_to_end(tmp_path):
    node = compose_node(["experiment=discovery", "discovery.points=40",
                         "discovery.replicates=8", "discovery.jobs=1", "run.weeks=26",
                         f"study.dir={tmp_path}"])
    assert discovery.run(node) == 0
    points = pd.read_parquet(tmp_path / "points.parquet")
    assert len(points) == 40 and points["p_alive"].between(0, 1).all()
    states = points[["retained", "diffused", "assimilated", "vacant"]].sum(axis=1)
    assert np.allclose(states, 1.0)
    for name in ("discovery.json", "boxes.json", "boxes.md", "discovery.png"):
        assert (tmp_path / name).stat().st_size > 0


def compose_node(overrides):
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    from sim import config_dir
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir()),
                               job_name="test"):
        return hydra_compose(config_name="config", overrides=overrides)


def test_teamsim_report_on_a_discovery_study_answers_in_both_languages(tmp_path):
    from analysis.report import build

    points, record = synthetic(600)
    study = tmp_path / "discovery"
    study.mkdir()
    points.to_parquet(study / "points.parquet")
    (study / "discovery.json").write_text(json.dumps(record))
    for lang, words in (("en", "With two or more EBEs, or with an EBE who is external"),
                        ("nl", "Met twee of meer ervaringsdeskundigen, of met een "
                               "ervaringsdeskundige die extern")):
        brief = build(study, lang=lang)
        assert brief.kind == "discovery"
        answer = brief.facts[0]
        assert answer.key == "answer" and answer.text.startswith(words)
        assert "<strong>" + answer.text in brief.html
