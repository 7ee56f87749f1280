"""Whole studies through `teamsim run` in a subprocess: the results do not depend on the
launcher (basic, joblib, submitit) and a study killed mid-way resumes to the same data."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow

STUDY = ["experiment=hire_more_than_one", "ebe.count=1,2", "run.replicates=600",
         "run.weeks=26"]


def teamsim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "experiments", "run", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def data(study: Path, name: str = "replicates") -> pd.DataFrame:
    return pd.read_parquet(study / f"{name}.parquet")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The study on Hydra's basic launcher (one process, points one after another)."""
    root = tmp_path_factory.mktemp("basic")
    done = teamsim(*STUDY, "hydra/launcher=basic", f"study.dir={root / 'study'}", cwd=root)
    assert done.returncode == 0, done.stderr
    return root / "study", done.stdout


def test_the_study_prints_its_table_and_writes_figure_and_data(reference):
    study, stdout = reference
    assert "alive@26 % [95% CI]" in stdout and "median 1st loss" in stdout
    table = pd.read_csv(study / "summary.csv")
    assert table[["ebe.count", "pressure"]].values.tolist() == [
        [1, "normal"], [1, "high"], [2, "normal"], [2, "high"]]
    assert (table["n"] == 600).all()
    assert ((table["p_alive_high"] - table["p_alive_low"]) / 2 <= 0.05).all()
    for name in ("figure.png", "figure.svg", "replicates.parquet", "weekly.parquet",
                 "manifest.json", "plan.json"):
        assert (study / name).stat().st_size > 0


@pytest.mark.parametrize("launcher", [["hydra/launcher=local", "hydra.launcher.n_jobs=2"],
                                      ["hydra/launcher=submitit_local", "pressure=high"]],
                         ids=["joblib", "submitit_local"])
def test_launchers_give_the_basic_launchers_results_bit_for_bit(reference, tmp_path, launcher):
    study, _ = reference
    done = teamsim(*STUDY, *launcher, f"study.dir={tmp_path / 'study'}", "study.report=false",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for name in ("replicates", "weekly"):
        got = data(tmp_path / "study", name)
        expected = data(study, name)
        expected = expected[expected["point_id"].isin(got["point_id"])].reset_index(drop=True)
        assert len(got) > 0
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_a_killed_study_resumes_to_the_uninterrupted_results(reference, tmp_path):
    study, _ = reference
    target = tmp_path / "study"
    # Small blocks make each point slow enough to be caught mid-way; block size never
    # changes results.
    args = [sys.executable, "-m", "experiments", "run", *STUDY, "hydra/launcher=basic",
            f"study.dir={target}", "study.report=false", "study.block_size=60"]
    process = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    points = target / "points"
    deadline = time.monotonic() + 120
    while not list(points.glob("*[0-9a-f].parquet")) and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    complete = list(points.glob("*[0-9a-f].parquet"))
    assert 1 <= len(complete) < 4, "killed mid-way"
    assert not (target / "replicates.parquet").exists()
    done = teamsim(*STUDY, "hydra/launcher=basic", f"study.dir={target}", "study.report=false",
                   cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("complete, skipped") + done.stderr.count("complete, skipped") \
        == len(complete)
    assert not list(points.glob("*.tmp*"))
    for name in ("replicates", "weekly"):
        pd.testing.assert_frame_equal(data(target, name), data(study, name), check_exact=True)
