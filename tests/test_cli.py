"""The `teamsim` command: bad input fails before any output, hooks and runners dispatch."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from experiments import cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("args", "words"), [
    (["scenario=one_hire"], ["unknown scenario 'one_hire'", "single_hire", "two_hires"]),
    (["experiment=hire_many"], ["unknown experiment 'hire_many'", "hire_more_than_one"]),
    (["ebe.cuont=2"], ["unknown key 'ebe.cuont'", "did you mean 'ebe.count'", "share"]),
    (["scenaro=two_hires"], ["unknown key 'scenaro'", "did you mean 'scenario'"]),
    (["workload.caseload=1.5"], ["workload.caseload = 1.5", "[0.0, 1.0]"]),
    (["experiment=hire_more_than_one", "ebe.count=0,45"], ["ebe.count = 45", "[0, 40]"]),
    (["ebe.count=two"], ["ebe.count=two", "could not be converted to Integer"]),
    (["study.trajectories=some"], ["study.trajectories", "full, quantiles, none"]),
    (["hydra/launcher=cluster"], ["unknown hydra/launcher 'cluster'", "slurm", "local"]),
])
def test_bad_input_names_the_thing_and_leaves_nothing(tmp_path, capsys, args, words):
    study = tmp_path / "study"
    assert cli.main(["run", *args, f"study.dir={study}"]) == 2
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert "Traceback" not in err
    assert not study.exists() and list(tmp_path.iterdir()) == []


def test_python_m_experiments_is_the_teamsim_command(tmp_path):
    done = subprocess.run([sys.executable, "-m", "experiments", "run", "scenario=nope"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "unknown scenario 'nope': choose one of" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_lists_the_subcommands(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    for command in ("run", "collect", "report", "classroom", "validate"):
        assert command in out


def test_run_help_names_teamsims_flags_and_where_the_ranges_are():
    done = subprocess.run([sys.executable, "-m", "experiments", "run", "--help"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    for words in ("-m, --multirun", "-v, --verbose", "docs/parameters.yaml",
                  "hydra/launcher=slurm", "experiment: authority_regimes", "feedback_tolerance:"):
        assert words in done.stdout
    for document in ("docs/ODD.md", "docs/parameters.yaml", "docs/running.md",
                     "experiments/README.md"):
        assert document in done.stdout and (ROOT / document).is_file()


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    """``teamsim run ... | head -1``: the pipe closes after the first line."""
    child = subprocess.Popen([sys.executable, "-m", "experiments", "run", "run.replicates=20",
                              f"study.dir={tmp_path / 'study'}"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert child.stdout.readline().startswith("single_hire: 1 point(s)")
    child.stdout.close()
    err = child.stderr.read()
    assert child.wait(timeout=300) == 1
    assert "Traceback" not in err and "BrokenPipeError" not in err


def test_an_experiment_runner_gets_the_composed_config(tmp_path, monkeypatch):
    """The runner runs in a child process (its own process group) on the composed config;
    its exit code is the command's."""
    (tmp_path / "fake_runner.py").write_text(
        "import os\n"
        "from omegaconf import OmegaConf\n"
        "def run(cfg):\n"
        "    OmegaConf.save(cfg, os.environ['SEEN'])\n"
        "    return 3\n")
    monkeypatch.syspath_prepend(str(tmp_path))          # checked here, run in the child
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("SEEN", str(tmp_path / "seen.yaml"))
    study = tmp_path / "study"
    code = cli.main(["run", "study.runner=fake_runner:run", "ebe.count=2", f"study.dir={study}"])

    assert code == 3
    cfg = OmegaConf.load(tmp_path / "seen.yaml")
    assert cfg.ebe.count == 2 and cfg.study.runner == "fake_runner:run" and "hydra" not in cfg
    assert not study.exists()           # the runner, not the point sweep, decides outputs


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_killed_runner_study_takes_its_workers_with_it(tmp_path, monkeypatch):
    """SIGKILL of `teamsim run` on a study with its own runner ends the runner's workers
    too (experiments.lifeline), within seconds."""
    (tmp_path / "sleepy_runner.py").write_text(
        "import os, pathlib, subprocess, sys, time\n"
        "def run(cfg):\n"
        "    worker = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
        "    pathlib.Path(os.environ['WORKER']).write_text(str(worker.pid))\n"
        "    time.sleep(120)\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setenv("WORKER", str(tmp_path / "worker.pid"))
    command = subprocess.Popen([sys.executable, "-m", "experiments", "run",
                                "study.runner=sleepy_runner:run"], cwd=ROOT)
    worker_file = tmp_path / "worker.pid"
    deadline = time.monotonic() + 60
    while not worker_file.exists() or not worker_file.read_text():
        assert time.monotonic() < deadline, "the runner never started its worker"
        time.sleep(0.2)
    worker = int(worker_file.read_text())
    command.kill()
    command.wait()
    deadline = time.monotonic() + 10
    while _alive(worker):
        assert time.monotonic() < deadline, "the runner's worker outlived teamsim run"
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_a_runner_that_cannot_be_loaded_is_named(capsys):
    assert cli.main(["run", "study.runner=no_such_module:run"]) == 2
    assert "study.runner 'no_such_module:run' cannot be loaded" in capsys.readouterr().err


def test_hooks_pass_their_arguments_on(tmp_path, monkeypatch, capsys):
    (tmp_path / "fake_report.py").write_text(
        "SEEN = []\n"
        "def main(argv):\n"
        "    SEEN.append(argv)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(cli.HOOKS, "report", ("fake_report:main", "test"))
    assert cli.main(["report", "results/x", "--format", "md"]) == 0
    import fake_report

    assert fake_report.SEEN == [["results/x", "--format", "md"]]
    monkeypatch.setitem(cli.HOOKS, "classroom", ("experiments.no_such_view:main", "test"))
    assert cli.main(["classroom"]) == 2
    assert "teamsim classroom 'experiments.no_such_view:main' cannot be loaded" in \
        capsys.readouterr().err


def test_collect_of_a_missing_folder_fails_clearly(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["collect", str(tmp_path / "nowhere")])
    assert stop.value.code == 2
    assert "no study folder at" in capsys.readouterr().err


def test_the_first_run_after_a_change_says_it_compiles_and_later_runs_do_not(tmp_path):
    """With an empty compile cache the command says it compiles before it does (about
    10 s of silence otherwise); a second run loads the engine from the cache."""
    env = {**os.environ, "TEAMSIM_CACHE_DIR": str(tmp_path / "cache")}

    def run(study: str) -> str:
        done = subprocess.run([sys.executable, "-m", "experiments", "run", "run.replicates=2",
                               "run.weeks=4", f"study.dir={tmp_path / study}"],
                              cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout

    first = run("first")
    assert "compiling the engine" in first
    assert first.index("compiling the engine") < first.index("compiled in") < first.index(
        "point 1/1 done")
    assert "compiling the engine" not in run("second")
