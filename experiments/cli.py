"""teamsim: run scenarios and studies of the team model, collect and report them.

    teamsim run [OVERRIDES...]           one point: teamsim run scenario=two_hires
    teamsim run experiment=NAME [...]    a whole study (one job per point, all local cores)
    teamsim run -m KEY=A,B [...]         an ad-hoc sweep (a full product of the values)
    teamsim collect STUDY_DIR [--csv]    one dataset + manifest of a study folder
    teamsim report STUDY_DIR [...]       the policy brief         (analysis.report)
    teamsim classroom [...]              the classroom view       (experiments.classroom)
    teamsim explore [...]                the policy explorer      (analysis.explorer)
    teamsim validate [...]               checks against the field (experiments.validation)

``python -m experiments ...`` is the same command. ``run`` takes Hydra overrides
(``pressure=high``, ``run.replicates=200``, ``hydra/launcher=slurm``, ``study.dir=...``),
``-m`` for a sweep and ``-v`` to show the launcher's own output; Hydra's informational
flags (``--help``, ``--cfg job``, ``--info``) go to Hydra. An experiment whose config sets
``study.runner: module:function`` is run by calling that function with the composed
config instead of the point sweep (see ``experiments/README.md``).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import importlib
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from importlib import metadata
from pathlib import Path

from omegaconf import DictConfig, OmegaConf, open_dict
from tqdm import tqdm

from experiments import collect as collecting
from experiments import lifeline
from experiments.job import is_complete, run_point
from experiments.plan import Plan, claim_folder, make_plan
from experiments.point import override_columns
from experiments.progress import StudyProgress
from experiments.settings import register
from experiments.store import (
    StudyLocked,
    lock,
    progress_path,
    provenance,
)
from sim import ConfigError
from sim.simulate import ensure_compiled

#: Subcommands that other parts of teamsim provide: name -> (module:function, help).
HOOKS = {
    "report": ("analysis.report:main", "the policy brief of a finished study (HTML; --lang nl)"),
    "classroom": ("experiments.classroom:main", "the interactive classroom view (Solara)"),
    "explore": ("analysis.explorer.serve:main", "what if we...? the policy explorer (Solara)"),
    "validate": ("experiments.validation:main", "checks of the model against field data"),
}
MULTIRUN_FLAGS = ("-m", "--multirun")
VERBOSE_FLAGS = ("-v", "--verbose")
#: Hydra's flags that only print something: handed to Hydra as they are.
HYDRA_INFO_FLAGS = ("--help", "-h", "--hydra-help", "--cfg", "-c", "--package", "-p",
                    "--resolve", "--info", "-i")
INTERRUPTED = "interrupted; rerun the same command to resume"
#: A task of a job array in submitit's error: "Job 123_4 (task: 0) ... (state: CANCELLED ...)";
#: array index i is job i of the launch, i.e. the plan's point ``todo[i]``.
ARRAY_TASK = re.compile(r"Job (\d+_(\d+)) \(task: \d+\).*?\(state: ([^)\n]*)\)", re.S)
HYDRA_APP = [sys.executable, "-m", "experiments.launch"]
RUNNER_APP = [sys.executable, "-m", "experiments.runner"]


def load(target: str, what: str) -> Callable:
    """The function named by ``module:function``; ConfigError if it cannot be loaded."""
    module_name, _, function = target.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function)
    except (ImportError, AttributeError) as err:
        raise ConfigError(f"{what} '{target}' cannot be loaded: {err}") from err


def launch(plan: Plan, verbose: bool) -> tuple[int, str]:
    """Run the plan's points to do through Hydra's launcher in a child process; return
    its exit code and the tail of its output (all of it is shown with ``verbose``)."""
    child = subprocess.Popen([*HYDRA_APP, *plan.launch_args()], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, bufsize=1, process_group=0,
                             preexec_fn=functools.partial(lifeline.die_with_parent,
                                                          os.getpid()))
    tail: collections.deque[str] = collections.deque(maxlen=60)

    def relay() -> None:
        for line in child.stdout:
            tail.append(line)
            if verbose:
                tqdm.write(line.rstrip("\n"), file=sys.stderr)

    reader = threading.Thread(target=relay, daemon=True)
    reader.start()
    try:
        code = child.wait()
    except BaseException:            # Ctrl-C: let the launcher stop its jobs, briefly
        child.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=10)
        raise
    finally:
        lifeline.end_group(child.pid)  # whatever of the launcher's group is left
    reader.join()
    return code, "".join(tail)


def unfinished(plan: Plan, error: BaseException | str | None = None) -> str:
    """What to tell the user when the launcher stopped before the study was complete: the
    points not complete, with the state of the one the launcher reported (a SLURM task
    cancelled, killed or out of time), and how to go on."""
    launched, text = plan.todo, str(error or "")
    reported = {}
    for match in ARRAY_TASK.finditer(text):
        if int(match[2]) < len(launched):
            reported[launched[int(match[2])].id] = f"job {match[1]} {match[3].strip()}"
    names = ([type(error).__name__] if isinstance(error, BaseException)
             else re.findall(r"(\w+(?:Error|Exception)):", text))
    lines = ["teamsim run: the launcher stopped before the study was complete "
             f"({names[-1] if names else 'no error message'}). Not complete:"]
    for point in plan.points:
        if not is_complete(point, plan.study_dir):
            state = reported.get(point.id, "not finished (it may still run on the cluster)")
            lines.append(f"  point {point.id} ({point.describe()}): {state}")
    lines.append("Rerun the same command to run only these points; complete points are "
                 "skipped.")
    return "\n".join(lines)


def run_runner(plan: Plan) -> int:
    """Call the experiment's ``study.runner`` with the composed config (no hydra node), in
    a child process that leads its own process group (:mod:`experiments.runner`), so
    that its workers end with this process."""
    load(plan.settings.runner, "study.runner")      # a bad name stops here, before any work
    cfg: DictConfig = plan.config.copy()
    with open_dict(cfg):
        del cfg["hydra"]
    with tempfile.TemporaryDirectory(prefix="teamsim-runner-") as folder:
        path = Path(folder) / "config.yaml"
        OmegaConf.save(cfg, path)
        child = subprocess.Popen([*RUNNER_APP, str(path)], process_group=0,
                                 preexec_fn=functools.partial(lifeline.die_with_parent,
                                                              os.getpid()))
        try:
            code = child.wait()
        except BaseException:        # Ctrl-C reaches this group only: pass it on, briefly
            child.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=10)
            raise
        finally:
            lifeline.end_group(child.pid)   # the runner's workers, if any are left
    if code == 130:
        raise KeyboardInterrupt
    return code


def report(study_dir: Path, order: Sequence[str] = ()) -> None:
    """Print the summary table; write summary.csv and the figure beside the data."""
    from analysis.study import report as study_report

    study_report(study_dir, order)


def flags(args: Sequence[str]) -> tuple[set[str], list[str]]:
    """(teamsim's own flags given, the overrides); ConfigError on a flag that would
    bypass planning (``-cn``, ``--config-dir`` ...)."""
    own, overrides = set(), []
    for arg in args:
        if arg in MULTIRUN_FLAGS or arg in VERBOSE_FLAGS:
            own.add("multirun" if arg in MULTIRUN_FLAGS else "verbose")
        elif arg.startswith("-"):
            raise ConfigError(f"{arg} is not a flag of teamsim run: a study is chosen with "
                              "experiment=NAME and the configs folder with $TEAMSIM_CONFIG_DIR; "
                              "flags: -m (sweep), -v (show the launcher's output), "
                              + ", ".join(HYDRA_INFO_FLAGS[:2]) + ", --cfg job, --info")
        else:
            overrides.append(arg)
    return own, overrides


def header(plan: Plan) -> str:
    todo = plan.todo
    return (f"{plan.settings.name}: {len(plan.points)} point(s), {len(todo)} to run, "
            f"{len(plan.complete)} complete -> {plan.study_dir}\n"
            f"  {sum(p.replicates for p in todo):,} replicates to run; each job needs about "
            f"{plan.memory / 2**20:,.0f} MB (limit study.memory_gb = "
            f"{plan.settings.memory_gb:g})")


def run(args: Sequence[str]) -> int:
    """``teamsim run``: plan and check, launch, collect, report."""
    if any(a.split("=")[0] in HYDRA_INFO_FLAGS for a in args):
        return subprocess.run([*HYDRA_APP, *args]).returncode
    try:
        own, overrides = flags(args)
        plan = make_plan(overrides, "multirun" in own)
        if plan.settings.runner is not None:
            return run_runner(plan)
        with claimed(plan):
            return execute(plan, "verbose" in own)
    except (ConfigError, StudyLocked) as err:
        print(f"teamsim run: {err}", file=sys.stderr)
        return 2
    except collecting.CollectError as err:
        print(f"teamsim run: refused: {err}", file=sys.stderr)
        return 1


@contextlib.contextmanager
def claimed(plan: Plan) -> Iterator[None]:
    """Hold the study folder (lock) and make it this plan's; a folder that cannot be
    written is a ConfigError naming ``study.dir``."""
    held = contextlib.ExitStack()
    try:
        held.enter_context(lock(plan.study_dir))
    except OSError as err:
        raise ConfigError(f"cannot write the study folder {plan.study_dir} (study.dir): "
                          f"{err.strerror or err}") from err
    with held:
        claim_folder(plan)
        for point in plan.todo:
            progress_path(plan.study_dir, point.id).unlink(missing_ok=True)
        plan.write()
        yield


def execute(plan: Plan, verbose: bool) -> int:
    """Run the plan's points to do (a single point in this process), collect, report."""
    print(header(plan), flush=True)
    logging.getLogger("MESA").setLevel(logging.WARNING)
    if verbose:
        logging.basicConfig(level=logging.INFO, format="[%(name)s] %(message)s")
    if plan.todo:
        ensure_compiled(lambda line: print(line, flush=True))   # here, not in every worker
        with StudyProgress(plan):
            if plan.multirun:
                code, output = launch(plan, verbose)
            else:
                code, output = (0 if run_point(plan.points[0], plan.study_dir) != "failed"
                                else 1), ""
        if code and plan.multirun:
            said = [line for line in output.splitlines() if line.strip()][-8:]
            if said and not verbose:
                print("the launcher said:\n  " + "\n  ".join(said), file=sys.stderr)
            print(unfinished(plan, output), file=sys.stderr, flush=True)
            return code
    manifest = collecting.collect(plan.study_dir)
    print(collecting.describe(manifest), flush=True)
    if plan.settings.report and manifest["complete"]:
        report(plan.study_dir, list(override_columns(plan.points[0].overrides)))
    return 0 if not (manifest["failed"] or manifest["missing"]) else 1


def hook(name: str, args: Sequence[str]) -> int:
    try:
        function = load(HOOKS[name][0], f"teamsim {name}")
    except ConfigError as err:
        print(f"teamsim: {err}", file=sys.stderr)
        return 2
    return int(function(list(args)) or 0)


def version() -> str:
    """teamsim's version, the model fingerprint and the git commit of the code."""
    code = provenance()
    commit = (f", git {code['git_commit'][:12]}{' with changes' if code['git_dirty'] else ''}"
              if code["git_commit"] else "")
    return f"teamsim {metadata.version('teamsim')} (model {code['model']}{commit})"


class Version(argparse.Action):
    """``--version``, computed only when asked for (it runs git)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        print(version())
        parser.exit(0)


def parser() -> argparse.ArgumentParser:
    front = argparse.ArgumentParser(
        prog="teamsim", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=__doc__.split("\n\n")[0] + "\n\n" + __doc__.split("\n\n")[1])
    front.add_argument("--version", action=Version, nargs=0,
                       help="show teamsim's version, model fingerprint and git commit")
    commands = front.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", add_help=False,
                        help="run a point or a study (Hydra overrides; --help: Hydra's help)")
    commands.add_parser("collect", add_help=False, help="collect a study folder")
    for name, (_, text) in HOOKS.items():
        commands.add_parser(name, add_help=False, help=text)
    return front


def plain_warning(message: Warning | str, *_: object, **__: object) -> None:
    """A warning as one line on stderr (no source line: this is a command line)."""
    print(f"teamsim: warning: {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``teamsim`` console command."""
    register()
    warnings.showwarning = plain_warning
    try:
        args, rest = parser().parse_known_args(sys.argv[1:] if argv is None else argv)
        if args.command == "run":
            return run(rest)
        if args.command == "collect":
            return collecting.main(rest)
        return hook(args.command, rest)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr, flush=True)
        return 130
    except BrokenPipeError:         # e.g. `teamsim run ... | head`: the reader has gone
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs do
        return 1
