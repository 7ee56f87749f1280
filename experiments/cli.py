"""teamsim: run scenarios and studies of the team model, collect and report them.

    teamsim run [OVERRIDES...]           one point: teamsim run scenario=two_hires
    teamsim run experiment=NAME [...]    a whole study (Hydra multirun, all local cores)
    teamsim run -m KEY=A,B [...]         an ad-hoc sweep (a full product of the values)
    teamsim collect STUDY_DIR            one dataset + manifest of a study folder
    teamsim report STUDY_DIR [...]       the policy brief         (analysis.report)
    teamsim classroom [...]              the classroom view       (experiments.classroom)
    teamsim explore [...]                the policy explorer      (analysis.explorer)
    teamsim validate [...]               checks against the field (experiments.validation)

``python -m experiments ...`` is the same command. ``run`` takes Hydra overrides as
Hydra users expect (``pressure=high``, ``run.replicates=200``, ``hydra/launcher=slurm``,
``study.dir=...``); any other Hydra flag (``--help``, ``--cfg job``, ``--info``) goes
straight to Hydra. An experiment whose config sets ``study.runner: module:function`` is
run by calling that function with the composed config instead of the point sweep (see
``experiments/README.md``).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import hydra
from omegaconf import DictConfig, open_dict

from experiments import collect as collecting
from experiments.job import hydra_job, is_complete
from experiments.plan import Plan, make_plan
from experiments.point import override_columns
from experiments.progress import StudyProgress
from sim import ConfigError, config_dir

#: Subcommands that other parts of teamsim provide: name -> (module:function, help).
HOOKS = {
    "report": ("analysis.report:main", "the policy brief of a finished study (HTML; --lang nl)"),
    "classroom": ("experiments.classroom:main", "the interactive classroom view (Solara)"),
    "explore": ("analysis.explorer.serve:main", "what if we...? the policy explorer (Solara)"),
    "validate": ("experiments.validation:main", "checks of the model against field data"),
}
MULTIRUN_FLAGS = ("-m", "--multirun")
#: A task of a job array in submitit's error: "Job 123_4 (task: 0) ... (state: CANCELLED ...)";
#: array index i is job i of the sweep, i.e. the plan's point i.
ARRAY_TASK = re.compile(r"Job (\d+_(\d+)) \(task: \d+\).*?\(state: ([^)\n]*)\)", re.S)


def load(target: str, what: str) -> Callable:
    """The function named by ``module:function``; ConfigError if it cannot be loaded."""
    module_name, _, function = target.partition(":")
    try:
        return getattr(importlib.import_module(module_name), function)
    except (ImportError, AttributeError) as err:
        raise ConfigError(f"{what} '{target}' cannot be loaded: {err}") from err


def launch(args: Sequence[str], errors: list[BaseException] | None = None) -> int:
    """Run Hydra's command line on ``args`` with :func:`experiments.job.hydra_job`; the
    error Hydra printed, if any, is appended to ``errors``."""
    task = hydra.main(version_base="1.3", config_path=str(config_dir()),
                      config_name="config")(hydra_job)
    saved = sys.argv
    sys.argv = ["teamsim", *args]
    try:
        task()
    except SystemExit as stop:      # Hydra exits 1 after printing its own error
        if errors is not None and stop.__context__ is not None:
            errors.append(stop.__context__)
        return stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.argv = saved
    return 0


def unfinished(plan: Plan, error: BaseException | None = None) -> str:
    """What to tell the user when the launcher stopped before the study was complete: the
    points not complete, with the state of the one the launcher reported (a SLURM task
    cancelled, killed or out of time), and how to go on."""
    reported = {}
    for match in ARRAY_TASK.finditer(str(error or "")):
        reported[int(match[2])] = f"job {match[1]} {match[3].strip()}"
    lines = [f"teamsim run: the launcher stopped before the study was complete "
             f"({type(error).__name__ if error else 'no error message'}). Not complete:"]
    for index, point in enumerate(plan.points):
        if not is_complete(point, plan.study_dir):
            label = " ".join(f"{k}={v}" for k, v in override_columns(point.overrides).items())
            state = reported.get(index, "not finished (it may still run on the cluster)")
            lines.append(f"  point {point.id} ({label}): {state}")
    lines.append("Rerun the same command to run only these points; complete points are "
                 "skipped.")
    return "\n".join(lines)


def run_runner(plan: Plan) -> int:
    """Call the experiment's ``study.runner`` with the composed config (no hydra node)."""
    runner = load(plan.settings.runner, "study.runner")
    cfg: DictConfig = plan.config.copy()
    with open_dict(cfg):
        del cfg["hydra"]
    code = runner(cfg)
    return int(code or 0)


def report(study_dir: Path, manifest: dict, order: Sequence[str] = ()) -> None:
    """Print the summary table; write summary.csv and the figure beside the data."""
    from analysis.study import report as study_report

    study_report(study_dir, order)


def run(args: Sequence[str]) -> int:
    """``teamsim run``: plan and check, launch through Hydra, collect, report."""
    if any(a.startswith("-") and a not in MULTIRUN_FLAGS for a in args):
        return launch(args)         # Hydra's own flags (--help, --cfg job, --info ...)
    multirun = any(a in MULTIRUN_FLAGS for a in args)
    overrides = [a for a in args if a not in MULTIRUN_FLAGS]
    try:
        plan = make_plan(overrides, multirun)
        if plan.settings.runner is not None:
            return run_runner(plan)
    except ConfigError as err:
        print(f"teamsim run: {err}", file=sys.stderr)
        return 2
    logging.getLogger("MESA").setLevel(logging.WARNING)
    if plan.points:
        todo = len(plan.points) - len(plan.complete)
        print(f"{plan.settings.name}: {len(plan.points)} point(s), {todo} to run, "
              f"{len(plan.complete)} complete -> {plan.study_dir}", flush=True)
        plan.write()
    if not plan.points or len(plan.complete) < len(plan.points):
        errors: list[BaseException] = []
        with StudyProgress(plan):
            code = launch((["--multirun"] if plan.multirun else []) + plan.task + plan.hydra,
                          errors)
        if code and plan.points:
            print(unfinished(plan, errors[0] if errors else None), file=sys.stderr, flush=True)
        if code or not plan.study_dir.is_dir():
            return code or 1
    manifest = collecting.collect(plan.study_dir)
    print(collecting.describe(manifest), flush=True)
    if plan.settings.report and manifest["complete"]:
        order = override_columns(plan.points[0].overrides) if plan.points else {}
        report(plan.study_dir, manifest, list(order))
    return 0 if not (manifest["failed"] or manifest["missing"]) else 1


def hook(name: str, args: Sequence[str]) -> int:
    try:
        function = load(HOOKS[name][0], f"teamsim {name}")
    except ConfigError as err:
        print(f"teamsim: {err}", file=sys.stderr)
        return 2
    return int(function(list(args)) or 0)


def parser() -> argparse.ArgumentParser:
    front = argparse.ArgumentParser(
        prog="teamsim", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=__doc__.split("\n\n")[0] + "\n\n" + __doc__.split("\n\n")[1])
    commands = front.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", add_help=False,
                        help="run a point or a study (Hydra overrides; --help: Hydra's help)")
    commands.add_parser("collect", add_help=False, help="collect a study folder")
    for name, (_, text) in HOOKS.items():
        commands.add_parser(name, add_help=False, help=text)
    return front


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``teamsim`` console command."""
    args, rest = parser().parse_known_args(sys.argv[1:] if argv is None else argv)
    if args.command == "run":
        return run(rest)
    if args.command == "collect":
        return collecting.main(rest)
    return hook(args.command, rest)
