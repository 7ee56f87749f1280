"""The kind of brief a study gets follows from its design, never from its name."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from test_analysis_load import write_study

from analysis.load import StudyError
from analysis.report import build, study_kind

LEVERS = ("single_hire", "two_hires", "intervision", "coaching")


def frame(study: str, points: list[dict]) -> pd.DataFrame:
    """Two replicates per point, with the columns of a collected study: the point's
    columns before ``seed``, the derived ``ebe_count`` last."""
    rows = []
    for i, point in enumerate(points):
        count = point.pop("ebe_count")
        for replicate in (0, 1):
            rows.append({"study": study, "point_id": f"p{i:03d}", **point, "seed": 0,
                         "replicate": replicate, "survived": True, "ebe_count": count})
    return pd.DataFrame(rows)


def hire_more_than_one(study: str) -> pd.DataFrame:
    return frame(study, [{"label": "hires", "pressure": p, "ebe.count": n, "ebe_count": n}
                         for p in ("normal", "high") for n in range(5)])


def pressure_by_hires(study: str) -> pd.DataFrame:
    return frame(study, [{"label": "hires", "pressure": "normal", "workload.caseload": c,
                          "ebe.count": n, "ebe_count": n}
                         for c in (0.2, 0.5, 0.8) for n in range(1, 5)])


def team_renewal(study: str) -> pd.DataFrame:
    return frame(study, [{"label": "renewal", "team.turnover": t, "ebe.count": n,
                          "ebe_count": n} for n in range(1, 5) for t in (0.0, 0.15, 0.35)])


def authority_regimes(study: str) -> pd.DataFrame:
    grid = itertools.product((0.0, 0.5, 1.0), (0.0, 0.8), (1, 2, 3))
    return frame(study, [{"label": "regimes", "organisation.experiential_authority": a,
                          "organisation.dialogue_culture": d, "ebe.count": n, "ebe_count": n}
                         for a, d, n in grid])


def levers(study: str) -> pd.DataFrame:
    return frame(study, [{"label": s, "pressure": p, "scenario": s,
                          "ebe_count": 2 if s == "two_hires" else 1}
                         for p in ("normal", "high") for s in LEVERS])


@pytest.mark.parametrize(("design", "kind"), [
    (hire_more_than_one, "hires"), (pressure_by_hires, "hires"), (team_renewal, "hires"),
    (authority_regimes, "hires"), (levers, "levers")])
def test_a_renamed_study_gets_the_kind_of_its_design(design, kind):
    assert study_kind(design(design.__name__)) == kind
    for name in ("levers", "levers_small", "hire_more_than_one", "mine"):
        assert study_kind(design(name)) == kind, name


def test_scenarios_that_differ_only_by_their_hires_are_a_hires_study():
    hires = frame("levers", [{"label": s, "pressure": "normal", "scenario": s, "ebe_count": n}
                             for s, n in (("single_hire", 1), ("two_hires", 2),
                                          ("three_hires", 3))])
    assert study_kind(hires) == "hires"


def test_a_study_that_varies_neither_has_no_brief():
    flat = frame("levers", [{"label": "single_hire", "pressure": p, "ebe_count": 1}
                            for p in ("normal", "high")])
    with pytest.raises(StudyError, match="varies neither"):
        study_kind(flat)


def test_the_levers_study_under_another_name_gets_the_levers_brief(tmp_path):
    grid = [(s, [f"scenario={s}", f"pressure={p}"])
            for p in ("normal", "high") for s in ("single_hire", "two_hires", "intervision")]
    study = write_study(tmp_path, "levers_small", grid, 20, weekly="quantiles")
    brief = build(study, baseline="single_hire", robustness=None)
    assert brief.kind == "levers"
    assert {"lever/two_hires", "lever/intervision"} <= {f.key for f in brief.facts}
