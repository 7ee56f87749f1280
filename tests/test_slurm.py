"""The `slurm` launcher on a real SLURM cluster: results equal to the local launcher's bit
for bit, and a cancelled task stops the driver with a message naming its point; a rerun
redoes only that point.

The cluster is the one-node cluster that `.ci/slurm-cluster` starts (as root: Debian's
Slurm with munge and accounting through slurmdbd + MariaDB; partition `debug`). The study
folders are under pytest's temporary folder, which the jobs can write because they run
on this machine. Without such a cluster the tests marked `slurm` skip and say why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from experiments.cli import unfinished
from experiments.plan import make_plan

PARTITION = "debug"
COMMANDS = ("sinfo", "squeue", "sbatch", "scancel", "sacct")
#: The main study, small: 4 points (1-2 EBEs x 2 pressures) whose tasks run for a few
#: seconds each, long enough to cancel one mid-way; 2 run at once on a 2-core node.
STUDY = ["experiment=hire_more_than_one", "ebe.count=1,2", "run.replicates=20000",
         "run.weeks=26", "study.report=false"]
LOCAL = ["hydra/launcher=local", "hydra.launcher.n_jobs=2"]


def slurm_command(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def cluster() -> str:
    """The partition to use; skips unless SLURM answers with a usable node and accounting."""
    missing = [c for c in COMMANDS if shutil.which(c) is None]
    if missing:
        pytest.skip(f"SLURM is not installed here (no {', '.join(missing)}); as root, "
                    ".ci/slurm-cluster installs and starts a one-node cluster")
    try:
        state = slurm_command("sinfo", "-h", "-p", PARTITION, "-o", "%t", timeout=15)
        accounting = slurm_command("sacct", "-n", "-X", timeout=15)
    except subprocess.TimeoutExpired:
        pytest.skip("SLURM does not answer within 15 s (are slurmctld and slurmdbd running? "
                    "as root, .ci/slurm-cluster starts them)")
    states = state.stdout.split()
    if state.returncode or not {"idle", "mix", "alloc"} & set(states):
        said = " ".join((state.stdout + state.stderr).split()) or "nothing"
        pytest.skip(f"no usable node in SLURM partition '{PARTITION}' (sinfo: {said}); "
                    "as root, .ci/slurm-cluster starts a one-node cluster")
    if accounting.returncode:
        said = " ".join(accounting.stderr.split())
        pytest.skip(f"SLURM accounting does not answer (sacct: {said}); without it "
                    "submitit cannot see a cancelled task")
    return PARTITION


@pytest.fixture(scope="module")
def reference(cluster, tmp_path_factory) -> Path:
    """The study on the local launcher (joblib, 2 processes), uninterrupted."""
    root = tmp_path_factory.mktemp("local")
    done = teamsim(*STUDY, *LOCAL, f"study.dir={root / 'study'}", cwd=root)
    assert done.returncode == 0, done.stderr
    return root / "study"


def on_slurm(partition: str, name: str = "teamsim-test") -> list[str]:
    """Overrides that run a study as a job array on ``partition`` with this Python."""
    venv_bin = Path(sys.executable).parent
    setup = f'["export PATH={venv_bin}:$PATH","export OMP_NUM_THREADS=1"]'
    return ["hydra/launcher=slurm", f"hydra.launcher.partition={partition}",
            f"hydra.launcher.name={name}", "hydra.launcher.mem_gb=1",
            "hydra.launcher.timeout_min=10", f"hydra.launcher.setup={setup}"]


def teamsim_args(*args: str) -> list[str]:
    return [sys.executable, "-m", "experiments", "run", *args]


def teamsim(*args: str, cwd: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(teamsim_args(*args), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def array_jobs(study: Path) -> list[str]:
    """Ids of the job arrays submitit submitted for ``study``."""
    return sorted(p.parent.name for p in (study / ".submitit").glob("*/*_submission.sh"))


def task_states(job: str, count: int, timeout: float = 30) -> dict[str, str]:
    """{task id: state} of job array ``job`` in sacct, once ``count`` tasks have finished
    (the accounting records arrive a moment after the tasks end)."""
    deadline = time.monotonic() + timeout
    while True:
        listed = slurm_command("sacct", "-n", "-X", "-P", "-j", job, "-o", "JobID,State")
        tasks = dict(line.split("|") for line in listed.stdout.split())
        finished = {k: v for k, v in tasks.items() if v not in ("PENDING", "RUNNING")}
        if len(finished) >= count or time.monotonic() > deadline:
            return tasks
        time.sleep(0.5)


def column_bits(column: pa.ChunkedArray) -> tuple[list[bool], list]:
    """(validity, values) of a column; floats as their bit patterns."""
    array = column.combine_chunks()
    valid = array.is_valid().to_pylist()
    values = array.to_numpy(zero_copy_only=False)
    if values.dtype.kind == "f":
        values = values.view(f"u{values.dtype.itemsize}")
    return valid, [v for v, ok in zip(values.tolist(), valid, strict=True) if ok]


def assert_same_data(got: Path, expected: Path) -> None:
    """The two Parquet files hold the same columns, types and values, bit for bit (their
    provenance metadata, which names the study folder, may differ)."""
    a, b = pq.read_table(got), pq.read_table(expected)
    assert a.schema.equals(b.schema, check_metadata=False)
    assert a.num_rows == b.num_rows > 0
    for name in a.column_names:
        assert column_bits(a[name]) == column_bits(b[name]), f"{got.name}: column {name}"


def wait_until_gone(name: str, timeout: float = 90) -> None:
    """Wait until no job called ``name`` is queued or running."""
    deadline = time.monotonic() + timeout
    while slurm_command("squeue", "-h", "-n", name, "-o", "%i").stdout.strip():
        assert time.monotonic() < deadline, f"jobs '{name}' still in squeue after {timeout} s"
        time.sleep(0.5)


@pytest.mark.slurm
@pytest.mark.slow
def test_slurm_gives_the_local_launchers_results_bit_for_bit(cluster, reference, tmp_path):
    done = teamsim(*STUDY, *on_slurm(cluster), f"study.dir={tmp_path / 'slurm'}", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "4/4 points complete" in done.stdout
    # it ran as one job array on the cluster, every task completed according to sacct
    jobs = array_jobs(tmp_path / "slurm")
    assert len(jobs) == 1
    tasks = task_states(jobs[0], 4)
    assert sorted(tasks) == [f"{jobs[0]}_{i}" for i in range(4)]
    assert set(tasks.values()) == {"COMPLETED"}, tasks
    for name in ("replicates.parquet", "weekly.parquet"):
        assert_same_data(tmp_path / "slurm" / name, reference / name)


@pytest.mark.slurm
@pytest.mark.slow
def test_a_cancelled_task_stops_the_driver_and_a_rerun_redoes_only_its_point(cluster, reference,
                                                                              tmp_path):
    name = f"teamsim-cancel-{os.getpid()}"
    study = tmp_path / "slurm"
    args = [*STUDY, *on_slurm(cluster, name), f"study.dir={study}"]
    driver = subprocess.Popen(teamsim_args(*args), cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        # cancel a task that runs: a pending one would leave no record in sacct
        deadline = time.monotonic() + 60
        task = ""
        while not task:
            if driver.poll() is not None:
                pytest.fail(f"the driver ended before a task ran: {driver.communicate()[1]}")
            assert time.monotonic() < deadline, "no task of the array ran within 60 s"
            running = slurm_command("squeue", "-h", "-n", name, "-t", "RUNNING", "-o", "%i")
            task = (running.stdout.split() or [""])[0]
            time.sleep(0.1)
        assert slurm_command("scancel", task).returncode == 0
        try:
            out, err = driver.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            pytest.fail("the driver did not notice the cancelled task within 120 s")
        wait_until_gone(name)
    finally:
        if driver.poll() is None:
            driver.kill()
            driver.communicate()
        slurm_command("scancel", "-n", name)

    plan = json.loads((study / "plan.json").read_text())["points"]
    cancelled = plan[int(task.split("_")[1])]["point_id"]
    assert driver.returncode == 1, out + err
    assert f"point {cancelled} " in err and f"job {task} CANCELLED" in err, err
    assert "Rerun the same command" in err
    assert not (study / "replicates.parquet").exists()
    points = study / "points"
    assert not (points / f"{cancelled}.parquet").exists()
    # the other tasks went on after the driver stopped
    others = {p["point_id"]: points / f"{p['point_id']}.parquet" for p in plan
              if p["point_id"] != cancelled}
    assert len(others) == 3 and all(path.exists() for path in others.values())
    others = {pid: path.stat() for pid, path in others.items()}

    rerun = teamsim(*args, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    assert "4 point(s), 1 to run, 3 complete" in rerun.stdout
    for pid, before in others.items():          # complete points were not redone
        after = (points / f"{pid}.parquet").stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    for file in ("replicates.parquet", "weekly.parquet"):
        assert_same_data(study / file, reference / file)


def test_the_message_after_a_failed_launch_names_the_reported_point(tmp_path):
    plan = make_plan([*STUDY, f"study.dir={tmp_path / 'study'}"])
    error = RuntimeError(f"Job 812_2 (task: 0) with path {tmp_path}/812_2_0_result.pkl\n"
                         "has not produced any output (state: CANCELLED by 0)")
    message = unfinished(plan, error)
    lines = [line.strip() for line in message.splitlines()]
    assert len(plan.points) == 4 and len(lines) == 6
    assert f"point {plan.points[2].id} (ebe.count=2 pressure=normal run.weeks=26): " \
           "job 812_2 CANCELLED by 0" in lines
    for point in (plan.points[0], plan.points[1], plan.points[3]):
        assert any(point.id in line and "not finished" in line for line in lines)
    assert "only these points" in lines[-1]
