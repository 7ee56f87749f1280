"""Every command in docs/classroom.md works as the guide says.

The shell commands are run as a teacher would type them, in a folder holding the main
study made by ``teamsim run`` (fewer replicates than the study's 500: a point's id and
its first replicates do not depend on how many are asked for); each classroom server
must print its address first, say when it is ready, answer, and stop on Ctrl-C. The
Python block is run as it stands.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from experiments.classroom.replay import study_points, study_run

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "classroom.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
pytestmark = pytest.mark.slow


def blocks(language: str) -> list[str]:
    return [code for lang, code in BLOCK.findall(GUIDE.read_text()) if lang == language]


def commands() -> list[str]:
    return [line.strip() for code in blocks("bash") for line in code.splitlines()
            if line.strip() and not line.startswith("#")]


def teamsim(*args: str) -> list[str]:
    """The ``teamsim`` command of this Python (``python -m experiments``)."""
    return [sys.executable, "-m", "experiments", *args]


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    """A folder with results/hire_more_than_one, where a teacher types the commands."""
    folder = tmp_path_factory.mktemp("class")
    subprocess.run(teamsim("run", "experiment=hire_more_than_one", "run.replicates=18"),
                   cwd=folder, check=True, capture_output=True, timeout=600)
    return folder


def test_the_guide_has_the_commands_a_teacher_needs():
    assert commands() == [
        "teamsim classroom", "teamsim classroom --open",
        'teamsim classroom --replay results/hire_more_than_one "1 EBE high" 17']
    assert len(blocks("python")) == 1


@pytest.mark.parametrize("command", commands())
def test_each_classroom_command_starts_the_page(command, classroom, tmp_path):
    args = shlex.split(command)
    assert args[:2] == ["teamsim", "classroom"]
    env = {**os.environ, "BROWSER": "true", "SOLARA_HOME": str(tmp_path)}  # --open: no GUI
    server = subprocess.Popen(teamsim(*args[1:]), cwd=classroom, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = server.stdout.readline()
        url = re.fullmatch(r"teamsim classroom: (http://127\.0\.0\.1:\d+/)\n", first)
        assert url, first + server.stderr.read() if server.poll() is not None else first
        ready = server.stdout.readline()
        assert ready.startswith(f"  ready: open {url[1]} in a browser"), ready
        with urllib.request.urlopen(url[1], timeout=10) as page:
            assert page.status == 200
        server.send_signal(signal.SIGINT)
        assert server.wait(30) == 0
        assert server.stdout.read().strip() == "teamsim classroom: stopped"
        assert "Warning" not in server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_the_replay_command_opens_the_study_run_it_names(classroom):
    args = shlex.split(commands()[-1])
    study, point, replicate = args[args.index("--replay") + 1:]
    run = study_run(classroom / study, point, replicate)
    assert run.name == "hires: 1 EBE, fact team, high pressure" and run.replicate == 17
    assert run.config.workload.name == "high" and run.config.ebe.count == 1


def test_a_real_study_lists_its_points_by_name_in_order(classroom):
    names = [p.name for p in study_points(classroom / "results" / "hire_more_than_one")]
    assert names == [f"hires: {n} EBE{'' if n == 1 else 's'}, fact team, {level} pressure"
                     for n in range(5) for level in ("normal", "high")]


def test_the_python_block_prints_the_lessons_figures():
    (code,) = blocks("python")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, timeout=600).stdout
    assert out.count("survived") == 6 and out.count("experiential_share") == 6
