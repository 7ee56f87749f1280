"""Fault injection: bad input, corrupt files, concurrent runs, code changes, killed
processes (issue 17, items 1-14) and the command line's rough edges for researchers
(issue 16, items 9-13 and 15). Command-line cases run `teamsim` in a subprocess and check
the exit code, that the message names the bad thing and the valid choices, and that
nothing was written."""

from __future__ import annotations

import csv
import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hydra import compose as hydra_compose
from hydra import initialize_config_dir

import experiments.job as job
import experiments.store as store
from experiments.classroom.replay import study_run
from experiments.collect import CollectError, collect
from experiments.job import is_complete, run_point
from experiments.plan import make_plan
from experiments.point import make_point, read_point
from experiments.progress import StudyProgress
from experiments.settings import register
from sim import ConfigError, compose, config_dir, simulate, validate

SHORT = ["run.weeks=20", "run.replicates=40"]
ROOT = Path(__file__).resolve().parent.parent


def teamsim(*args: str, cwd: Path, timeout: float = 180,
            env: dict | None = None) -> subprocess.CompletedProcess:
    """`teamsim ARGS` in a subprocess (``python -m experiments``)."""
    return subprocess.run([sys.executable, "-m", "experiments", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


def refused(done: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 2, one clear message naming ``words``, no traceback."""
    assert done.returncode == 2, done.stdout + done.stderr
    for word in words:
        assert word in done.stderr, done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def point(*overrides: str, study_dir: Path | None = None):
    """The point of ``overrides`` (plus a short horizon) as a job would see it."""
    overrides = [*SHORT, *overrides]
    register()
    with initialize_config_dir(version_base="1.3", config_dir=str(config_dir())):
        node = hydra_compose("config", overrides)
    return make_point(node, overrides)


# ---------------------------------------------------------------- bad input (17.1-17.8)

@pytest.mark.parametrize(("override", "section", "guess"), [
    ("+organization.intervision=1", "organization", "organisation"),
    ("+new.key=1", "new", None),
    ("+ebee.count=2", "ebee", "ebe"),
    ("+ru.weeks=5", "ru", "run"),
])
def test_a_section_outside_the_schema_is_refused(tmp_path, override, section, guess):
    done = teamsim("run", override, f"study.dir={tmp_path / 'study'}", cwd=tmp_path)
    refused(done, f"unknown section '{section}'", "organisation", "behaviour", "study")
    if guess:
        assert f"did you mean '{guess}" in done.stderr
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ConfigError, match=f"unknown section '{section}'"):
        compose([override])


def test_a_mapping_on_the_command_line_replaces_the_default():
    team = compose(["team.disciplines={psychiatrist:1,nurse:2}"]).team
    assert team.disciplines == {"psychiatrist": 1, "nurse": 2}
    with pytest.raises(ConfigError, match="team.final_responsibility = 'psychiatrist'"):
        compose(["team.disciplines={nurse:2}"])
    with pytest.raises(ConfigError, match=r"team.disciplines = \{\} .*at least 2 professionals"):
        compose(["team.disciplines={}"])
    # a single key still changes only that key
    assert compose(["team.disciplines.nurse=2"]).team.disciplines["psychologist"] == 1


def test_a_replaced_mapping_is_what_the_study_runs(tmp_path):
    plan = make_plan(["team.disciplines={psychiatrist:1,nurse:3}", *SHORT,
                      f"study.dir={tmp_path}"])
    (only,) = plan.points
    assert only.config.team.disciplines == {"psychiatrist": 1, "nurse": 3}
    assert only.resolved["team"]["disciplines"] == {"psychiatrist": 1, "nurse": 3}


@pytest.mark.parametrize("name", ["..", "."])
def test_a_study_name_cannot_leave_the_results_folder(tmp_path, name):
    done = teamsim("run", f"study.name={name}", *SHORT, cwd=tmp_path)
    refused(done, f"study.name = '{name}'")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("count", ["0", "1"])
def test_ebe_count_and_share_together_are_a_conflict(tmp_path, count):
    done = teamsim("run", f"ebe.count={count}", "ebe.share=0.3",
                   f"study.dir={tmp_path / 'study'}", cwd=tmp_path)
    refused(done, "ebe.count", "ebe.share")
    assert not (tmp_path / "study").exists()


def test_validate_refuses_a_count_beside_a_share():
    cfg = compose(["team.size=10"])
    cfg.ebe.count, cfg.ebe.share = 0, 0.3
    with pytest.raises(ConfigError, match="ebe.count = 0.*ebe.share"):
        validate(cfg)


@pytest.mark.parametrize(("args", "words", "not_words"), [
    (["team.disciplines.nurse=40", "team.disciplines.psychologist=40",
      "team.disciplines.social_worker=40"], ["team.disciplines", "124 professionals", "120"],
     ["-3"]),
    (["ebee.count=2"], ["unknown section 'ebee'", "did you mean 'ebe'", "organisation"], []),
    (["label="], ["label = ''"], ["study.name = "]),
])
def test_messages_blame_the_right_thing(tmp_path, args, words, not_words):
    done = teamsim("run", *args, f"study.dir={tmp_path / 'study'}", cwd=tmp_path)
    refused(done, *words)
    for word in not_words:
        assert word not in done.stderr


@pytest.mark.parametrize(("section", "field", "value", "words"), [
    ("ebe", "count", 1.5, ["ebe.count = 1.5", "whole number"]),
    ("run", "weeks", 10.0, ["run.weeks = 10.0", "whole number"]),
    ("organisation", "rehire", "no", ["organisation.rehire = 'no'", "true or false"]),
    ("workload", "caseload", "0.5", ["workload.caseload = '0.5'", "number"]),
    ("label", None, "", ["label = ''"]),
])
def test_validate_checks_types(section, field, value, words):
    cfg = compose([])
    if field is None:
        setattr(cfg, section, value)
    else:
        setattr(getattr(cfg, section), field, value)
    with pytest.raises(ConfigError) as err:
        validate(cfg)
    for word in words:
        assert word in str(err.value)


def test_validate_takes_numpy_numbers_as_plain_ones():
    cfg = compose(["run.weeks=10", "run.replicates=4"])
    cfg.ebe.count = np.int64(2)
    cfg.run.weeks = np.int32(10)
    cfg.organisation.rehire = np.bool_(False)
    cfg.workload.caseload = np.float32(0.25)
    assert validate(cfg) is cfg
    assert type(cfg.ebe.count) is int and type(cfg.run.weeks) is int
    assert type(cfg.organisation.rehire) is bool and type(cfg.workload.caseload) is float
    assert len(simulate(cfg).replicates) == 4


def test_an_unwritable_study_folder_is_named(tmp_path):
    done = teamsim("run", *SHORT, "study.dir=/sys/teamsim-cannot-write", cwd=tmp_path)
    refused(done, "/sys/teamsim-cannot-write", "study.dir")


def test_a_study_folder_that_is_a_file_is_named(tmp_path):
    (tmp_path / "taken").write_text("not a folder")
    done = teamsim("run", *SHORT, f"study.dir={tmp_path / 'taken'}", cwd=tmp_path)
    refused(done, "study.dir", "is a file")
    assert (tmp_path / "taken").read_text() == "not a folder"


def test_a_launcher_without_workers_is_refused_before_anything_is_written(tmp_path):
    done = teamsim("run", "-m", "ebe.count=1,2", *SHORT, "hydra.launcher.n_jobs=0",
                   f"study.dir={tmp_path / 'study'}", cwd=tmp_path)
    refused(done, "hydra.launcher.n_jobs = 0")
    assert not (tmp_path / "study").exists()


@pytest.mark.parametrize("flags", [["-cn", "other"], ["--config-dir", "/tmp"],
                                   ["-cp", "elsewhere"]])
def test_hydra_flags_that_bypass_planning_are_refused(tmp_path, flags):
    done = teamsim("run", *flags, *SHORT, f"study.dir={tmp_path / 'study'}", cwd=tmp_path)
    refused(done, flags[0], "experiment=")
    assert list(tmp_path.iterdir()) == []


def test_collect_of_a_folder_that_holds_no_study_fails(tmp_path):
    (tmp_path / "empty").mkdir()
    done = teamsim("collect", str(tmp_path / "empty"), cwd=tmp_path)
    refused(done, "holds no study")
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_request_beyond_the_memory_limit_is_refused_with_the_estimate(tmp_path):
    done = teamsim("run", "study.block_size=200000", "run.replicates=200000", "run.weeks=1040",
                   "study.trajectories=full", f"study.dir={tmp_path / 'study'}", cwd=tmp_path)
    refused(done, "study.block_size", "GB", "study.memory_gb")
    assert not (tmp_path / "study").exists()


@pytest.mark.slow
def test_the_memory_estimate_bounds_what_a_job_uses(tmp_path):
    """Peak RSS of one point in a fresh process stays below the plan's estimate, and the
    estimate is not a gross overstatement (within 3x)."""
    probe = ("import resource, sys; from experiments.plan import make_plan;"
             "from experiments.job import run_point;"
             "plan = make_plan(sys.argv[1:]); run_point(plan.points[0], plan.study_dir);"
             "print(plan.memory, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)")
    for case in (["study.trajectories=full", "study.block_size=2048", "run.replicates=2048",
                  "run.weeks=208"],
                 ["study.trajectories=quantiles", "run.replicates=3000", "team.size=30",
                  "study.quantile_replicates=3000"],
                 ["study.trajectories=none", "run.replicates=2048", "study.block_size=2048",
                  "team.size=60"]):
        folder = tmp_path / case[0].split("=")[1]
        done = subprocess.run([sys.executable, "-c", probe, *case, f"study.dir={folder}"],
                              capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        estimate, used = map(int, done.stdout.split())
        assert used <= estimate <= 3 * used, (case, estimate / 2**20, used / 2**20)


def test_a_simulate_request_beyond_its_memory_limit_stops_before_any_work(monkeypatch):
    """simulate() of 2,000 replicates x 1,041 weeks of a team of 60 with weekly
    trajectories (issue 17.8) says what it needs and stops before it builds the team."""
    def no_work(cfg):
        raise AssertionError("simulate started work")

    monkeypatch.setattr(importlib.import_module("sim.simulate"), "build_team", no_work)
    cfg = compose(["run.replicates=2000", "run.weeks=1040", "team.size=60"])
    with pytest.raises(ConfigError, match=r"need about [0-9.]+ GB, more than memory_limit_gb"):
        simulate(cfg, memory_limit_gb=0.5)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="Linux peak RSS reset")
def test_simulates_memory_estimate_bounds_what_it_uses():
    """The rise of peak RSS over the resident memory before the call (libraries and the
    compiled engine loaded; the peak reset through /proc) stays below ``memory_needed``,
    which is not a gross overstatement (within 3x), with and without weekly
    trajectories."""
    probe = """
import re, sys
from pathlib import Path
from sim import compose, simulate
from sim.simulate import memory_needed

def status(key):
    return int(re.search(key + r":\\s+(\\d+) kB", Path("/proc/self/status").read_text())[1]) * 1024

weekly = sys.argv[1] == "weekly"
simulate(compose(["run.replicates=2", "team.size=40"]), weekly=weekly)   # compiled, loaded
Path("/proc/self/clear_refs").write_text("5")                           # peak := now
base = status("VmRSS")
cfg = compose(["run.replicates=400", "run.weeks=520", "team.size=40"])
simulate(cfg, weekly=weekly)
print(memory_needed(cfg, 400, weekly), status("VmHWM") - base)
"""
    for case in ("weekly", "summaries"):
        done = subprocess.run([sys.executable, "-c", probe, case], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        estimate, used = map(int, done.stdout.split())
        assert used <= estimate <= 3 * used, (case, estimate / 2**20, used / 2**20)


# ------------------------------------------------------------- faults that lose data (17.9-14)

def flip_a_bit(path: Path) -> None:
    """Flip one bit in the middle of the file's largest data page."""
    chunks = [(c.total_compressed_size, c.data_page_offset) for rg in
              range(pq.ParquetFile(path).metadata.num_row_groups) for c in
              (pq.ParquetFile(path).metadata.row_group(rg).column(i)
               for i in range(pq.ParquetFile(path).metadata.num_columns))]
    size, offset = max(chunks)
    data = bytearray(path.read_bytes())
    data[offset + size // 2] ^= 0x08
    path.write_bytes(bytes(data))


def test_point_files_carry_page_checksums_and_are_verified(tmp_path):
    p = point("ebe.count=2")
    assert run_point(p, tmp_path) == "done"
    path = store.replicates_path(tmp_path, p.id)
    assert store.verify(path) is None and is_complete(p, tmp_path)
    flip_a_bit(path)
    assert "checksum" in store.verify(path) or "corrupt" in store.verify(path).lower()
    with pytest.warns(UserWarning, match=f"{p.id}.*recomputed"):
        assert not is_complete(p, tmp_path)


def test_a_truncated_point_file_is_recomputed_on_rerun(tmp_path):
    plan = make_plan(["ebe.count=1,2", *SHORT, f"study.dir={tmp_path}"])
    for p in plan.points:
        run_point(p, tmp_path)
    first = store.replicates_path(tmp_path, plan.points[0].id)
    expected = pd.read_parquet(first)
    first.write_bytes(first.read_bytes()[:-300])          # truncated: no footer
    weekly = store.weekly_path(tmp_path, plan.points[1].id)
    weekly.write_bytes(weekly.read_bytes()[:len(weekly.read_bytes()) // 2])
    with pytest.warns(UserWarning, match="recomputed"):
        again = make_plan(["ebe.count=1,2", *SHORT, f"study.dir={tmp_path}"])
    assert again.complete == set()
    for p in again.points:
        assert run_point(p, tmp_path) == "done"
    pd.testing.assert_frame_equal(pd.read_parquet(first), expected, check_exact=True)
    assert sorted(collect(tmp_path)["complete"]) == sorted(p.id for p in plan.points)


def test_collect_counts_a_corrupt_point_as_missing_and_keeps_no_broken_data(tmp_path):
    plan = make_plan(["ebe.count=1,2", *SHORT, f"study.dir={tmp_path}"])
    plan.write()
    for p in plan.points:
        run_point(p, tmp_path)
    assert collect(tmp_path)["missing"] == []
    flip_a_bit(store.weekly_path(tmp_path, plan.points[1].id))
    with pytest.warns(UserWarning, match=plan.points[1].id):
        manifest = collect(tmp_path)
    assert manifest["complete"] == [plan.points[0].id]
    assert [m["point_id"] for m in manifest["missing"]] == [plan.points[1].id]
    assert "corrupt" in manifest["missing"][0]["problem"]
    assert set(pd.read_parquet(tmp_path / "weekly.parquet")["point_id"]) == {
        plan.points[0].id}


def test_collect_refuses_values_outside_their_documented_bounds(tmp_path):
    p = point("ebe.count=1")
    run_point(p, tmp_path)
    assert collect(tmp_path)["complete"] == [p.id]
    before = (tmp_path / "replicates.parquet").read_bytes()
    path = store.replicates_path(tmp_path, p.id)
    table = pq.read_table(path)
    share = table.column("experiential_share").to_numpy().copy()
    share[17] = 2.5e306
    table = table.set_column(table.schema.get_field_index("experiential_share"),
                             "experiential_share", pa.array(share))
    pq.write_table(table, path)                           # no checksums: a foreign writer
    with pytest.raises(CollectError) as err:
        collect(tmp_path)
    for word in ("experiential_share", "2.5e+306", "[0, 1]", p.id):
        assert word in str(err.value)
    assert (tmp_path / "replicates.parquet").read_bytes() == before
    done = teamsim("collect", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1 and "experiential_share" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_second_run_into_a_locked_study_exits_naming_the_holder(tmp_path):
    study = tmp_path / "study"
    run_point(point("ebe.count=1"), study)
    with store.lock(study):
        done = teamsim("run", *SHORT, f"study.dir={study}", cwd=tmp_path)
        refused(done, f"pid {os.getpid()}", str(study))
        collected = teamsim("collect", str(study), cwd=tmp_path)
        refused(collected, f"pid {os.getpid()}")
    assert teamsim("run", *SHORT, f"study.dir={study}", "study.report=false",
                   cwd=tmp_path).returncode == 0


def test_a_temporary_file_is_removed_only_when_its_writer_is_gone(tmp_path):
    target = tmp_path / "points" / "abc.parquet"
    target.parent.mkdir()
    mine = store.temporary(target)
    mine.write_text("being written")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = store.temporary(target, pid=gone.pid)
    dead.write_text("left by a killed writer")
    store.remove_temporaries(target)
    assert mine.exists() and not dead.exists()


def test_a_killed_collect_keeps_the_old_dataset_and_leaves_nothing(tmp_path, monkeypatch):
    plan = make_plan(["ebe.count=1,2", *SHORT, f"study.dir={tmp_path}"])
    plan.write()
    run_point(plan.points[0], tmp_path)
    collect(tmp_path)
    files = {name: (tmp_path / name).read_bytes()
             for name in ("replicates.parquet", "weekly.parquet", "manifest.json")}
    run_point(plan.points[1], tmp_path)
    real = store.ParquetStream.write
    calls = []

    def dies_midway(self, table):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(self, table)

    monkeypatch.setattr(store.ParquetStream, "write", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        collect(tmp_path)
    monkeypatch.undo()
    for name, data in files.items():
        assert (tmp_path / name).read_bytes() == data, name
    assert not list(tmp_path.rglob("*.tmp*"))
    # a leftover of a writer that is gone is cleaned by the next collect
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    leftover = store.temporary(tmp_path / "weekly.parquet", pid=gone.pid)
    leftover.write_bytes(b"x" * 1000)
    assert len(collect(tmp_path)["complete"]) == 2
    assert not leftover.exists()


def test_resume_after_a_code_change_follows_the_setting(tmp_path, monkeypatch):
    p = point("ebe.count=1")
    run_point(p, tmp_path)
    assert is_complete(p, tmp_path)
    assert store.read_meta(store.replicates_path(tmp_path, p.id))["model"] == \
        store.model_fingerprint()
    monkeypatch.setattr(job, "model_fingerprint", lambda: "0" * 16)
    with pytest.warns(UserWarning, match="different model code"):
        assert not is_complete(p, tmp_path)
    assert is_complete(point("ebe.count=1", "study.on_code_change=reuse"), tmp_path)
    with pytest.raises(ConfigError, match="study.on_code_change"):
        make_plan(["ebe.count=1", *SHORT, f"study.dir={tmp_path}",
                   "study.on_code_change=stop"])


def test_metadata_from_a_file_is_data_not_interpolated(tmp_path, monkeypatch):
    monkeypatch.setenv("TEAMSIM_SECRET", "s3cret")
    p = point("ebe.count=1")
    run_point(p, tmp_path)
    path = store.replicates_path(tmp_path, p.id)
    table = pq.read_table(path)
    meta = json.loads(table.schema.metadata[store.META_KEY])
    meta["config"]["label"] = "${oc.env:TEAMSIM_SECRET}"
    meta["columns"]["label"] = "${oc.env:TEAMSIM_SECRET}"
    pq.write_table(table.replace_schema_metadata({store.META_KEY: json.dumps(meta)}), path)
    read = read_point(path)
    assert read.config.label == "${oc.env:TEAMSIM_SECRET}"
    assert "s3cret" not in json.dumps(read.resolved)
    replayed = study_run(tmp_path, p.id, 3)             # teamsim classroom --replay
    assert replayed.config.label == "${oc.env:TEAMSIM_SECRET}"


def descendants(pid: int) -> list[int]:
    psutil = pytest.importorskip("psutil")
    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


@pytest.mark.slow
def test_workers_end_with_a_killed_driver(tmp_path):
    psutil = pytest.importorskip("psutil")
    args = [sys.executable, "-m", "experiments", "run", "-m", "ebe.count=1,2,3,4",
            "run.replicates=20000", "run.weeks=104", "hydra.launcher.n_jobs=2",
            f"study.dir={tmp_path / 'study'}"]
    driver = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while len(descendants(driver.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)     # the launcher process and two joblib workers
    family = descendants(driver.pid)
    assert len(family) >= 3, "workers did not start"
    driver.kill()
    driver.wait()
    deadline = time.monotonic() + 15
    while any(psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"
              for pid in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    alive = [pid for pid in family
             if psutil.pid_exists(pid) and psutil.Process(pid).status() != "zombie"]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert alive == []


# ---------------------------------------------------------- researchers (issue 16)

def test_a_new_plan_does_not_overwrite_another_study(tmp_path):
    first = teamsim("run", "scenario=two_hires", "pressure=high", *SHORT, "study.dir=results/x",
                    cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "high" in first.stdout                       # the table shows the pressure
    more = teamsim("run", "scenario=two_hires", "pressure=high", "run.weeks=20",
                   "run.replicates=60", "study.dir=results/x", cwd=tmp_path)
    assert more.returncode == 0, more.stderr            # more replicates: the same study
    other = teamsim("run", "scenario=two_hires", *SHORT, "study.dir=results/x", cwd=tmp_path)
    refused(other, "results/x", "study.overwrite=true", "study.name=")
    points = sorted(p.name for p in (tmp_path / "results/x/points").glob("*.parquet"))
    replaced = teamsim("run", "scenario=two_hires", *SHORT, "study.dir=results/x",
                       "study.overwrite=true", cwd=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert "normal" in replaced.stdout
    now = sorted(p.name for p in (tmp_path / "results/x/points").glob("*.parquet"))
    assert len(now) == 2 and not set(now) & set(points)   # no orphan of the old study


def test_an_adhoc_sweep_is_labelled_by_its_overrides(tmp_path):
    plan = make_plan(["ebe.count=2,3", *SHORT, f"study.dir={tmp_path}"])
    assert [p.columns["label"] for p in plan.points] == ["ebe.count=2", "ebe.count=3"]
    plan = make_plan(["scenario=intervision,coaching", "pressure=calm,high", *SHORT,
                      f"study.dir={tmp_path}"])
    assert [p.columns["label"] for p in plan.points] == [
        "intervision", "intervision", "coaching", "coaching"]
    plan = make_plan(["scenario=two_hires", "ebe.anchor_strength=0.1,0.2", *SHORT,
                      f"study.dir={tmp_path}"])
    assert [p.columns["label"] for p in plan.points] == [
        "two_hires ebe.anchor_strength=0.1", "two_hires ebe.anchor_strength=0.2"]
    experiment = make_plan(["experiment=hire_more_than_one", f"study.dir={tmp_path}"])
    assert {p.columns["label"] for p in experiment.points} == {"hires"}


def test_collect_writes_spreadsheet_tables(tmp_path):
    p = point("ebe.count=1", "study.trajectories=full")
    run_point(p, tmp_path)
    done = teamsim("collect", str(tmp_path), "--csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "replicates.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 40 and rows[0]["point_id"] == p.id
    assert {r["state"] for r in rows} <= {"retained", "diffused", "assimilated", "vacant"}
    with open(tmp_path / "weekly.csv", newline="") as f:
        weekly = list(csv.DictReader(f))
    assert len(weekly) == 40 * 21
    assert {r["state"] for r in weekly} <= {"retained", "diffused", "assimilated", "vacant"}
    assert float(weekly[5]["team_perspective"]) == pytest.approx(
        pd.read_parquet(tmp_path / "weekly.parquet")["team_perspective"][5], abs=0)


def test_ctrl_c_prints_one_line_and_exits_130(tmp_path):
    args = [sys.executable, "-m", "experiments", "run", "-m", "ebe.count=1,2",
            "run.replicates=30000", "hydra.launcher.n_jobs=2", "study.block_size=256",
            f"study.dir={tmp_path / 'study'}"]
    driver = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while not list((tmp_path / "study" / "points").glob("*.progress")):
        assert driver.poll() is None and time.monotonic() < deadline, driver.stderr.read()
        time.sleep(0.1)
    driver.send_signal(signal.SIGINT)
    out, err = driver.communicate(timeout=60)
    assert driver.returncode == 130, out + err
    assert err.strip().splitlines()[-1] == "interrupted; rerun the same command to resume"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert len(err.strip().splitlines()) <= 2


def test_quiet_by_default_and_chatty_with_v(tmp_path):
    args = ["run", "-m", "ebe.count=1,2", *SHORT, "hydra.launcher.n_jobs=2",
            "study.report=false"]
    quiet = teamsim(*args, f"study.dir={tmp_path / 'quiet'}", cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    for noise in ("[HYDRA]", "Joblib", "Launching"):
        assert noise not in quiet.stdout + quiet.stderr
    chatty = teamsim(*args, "-v", f"study.dir={tmp_path / 'chatty'}", cwd=tmp_path)
    assert chatty.returncode == 0, chatty.stderr
    assert "[HYDRA]" in chatty.stdout + chatty.stderr


def test_the_progress_bar_counts_replicates_as_blocks_finish(tmp_path):
    plan = make_plan(["ebe.count=1", "run.weeks=10", "run.replicates=300",
                      "study.block_size=100", f"study.dir={tmp_path}"])
    (p,) = plan.points
    with StudyProgress(plan, interval=60, enabled=True) as progress:
        assert progress.bar.total == 300 and progress.bar.n == 0
        store.write_progress(tmp_path, p.id, 100)
        progress.poll()
        assert progress.bar.n == 100
        run_point(p, tmp_path)
        progress.poll()
        assert progress.bar.n == 300
    assert not store.progress_path(tmp_path, p.id).exists()


def test_version_and_help(tmp_path):
    done = teamsim("--version", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("teamsim 0.")
    assert "model" in done.stdout
    helped = teamsim("--help", cwd=tmp_path)
    assert "policy brief" in helped.stdout and "analysis report" not in helped.stdout


# ----------------------------------------------------- the house (issue 12, items 3 and 4)

def test_importing_sim_registers_nothing_and_compose_still_works(tmp_path):
    code = ("import sim; from hydra.core.config_store import ConfigStore;"
            "assert 'schema' not in ConfigStore.instance().repo, 'registered on import';"
            "from sim import compose; assert compose(['ebe.count=2']).ebe.count == 2;"
            "assert 'schema' in ConfigStore.instance().repo")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_no_private_hydra_api_and_no_argv_swap():
    for path in (ROOT / "experiments").rglob("*.py"):
        text = path.read_text()
        assert "hydra._internal" not in text, path
        assert "sys.argv =" not in text, path
