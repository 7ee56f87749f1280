"""Benchmark of the batched engine against Mesa's own batch_run over the same model.

Prints, for the default team (FACT, one EBE, 104 weeks):
- replicate-runs per second of ``sim.simulate`` on one core;
- the same replicates through ``mesa.batch_run(TeamModel, ...)`` in the same process,
  and the ratio (both produce identical trajectories: exact replay);
- the time of one ``TeamModel`` run (104 steps, with its DataCollector);
- peak memory (max RSS) of a batch of 10,000 replicates, measured in a fresh process.

Times are CPU seconds of the process; each figure is the best of several repeats (as
``timeit`` advises: slower repeats measure interference, not the code) with the median
beside it. A shared VM drifts by about 10% from minute to minute, so the goals are
judged on the best.

Run: ``python benchmarks/bench_engine.py [--replicates 8192] [--mesa-replicates 100]``.
The machine should be otherwise idle; the numbers are reported in the README.
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import subprocess
import sys
import time

import mesa

from sim import TeamModel, compose, simulate

GOALS = {"runs_per_s": 2000, "model_run_ms": 50, "batch_10k_mb": 1024}


def cpu_seconds(function, repeats: int) -> tuple[float, float]:
    """Best and median CPU time of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times), statistics.median(times)


def engine_rate(replicates: int, repeats: int) -> tuple[float, float]:
    """Replicate-runs per second: best and median."""
    cfg = compose([f"run.replicates={replicates}"])
    best, median = cpu_seconds(lambda: simulate(cfg, weekly=False), repeats)
    return replicates / best, replicates / median


def mesa_rate(replicates: int) -> float:
    cfg = compose([f"run.replicates={replicates}"])

    def run():
        mesa.batch_run(TeamModel, {"config": cfg, "replicate": range(replicates)},
                       max_steps=cfg.run.weeks, number_processes=1, display_progress=False)

    return replicates / cpu_seconds(run, 1)[0]


def model_run_ms(repeats: int) -> tuple[float, float]:
    """Milliseconds per ``TeamModel`` run: best and median."""
    cfg = compose([])

    def run():
        model = TeamModel(cfg, replicate=0)
        while model.running:
            model.step()

    best, median = cpu_seconds(run, repeats)
    return 1000 * best, 1000 * median


def batch_peak_mb(replicates: int) -> float:
    """Max RSS of a fresh process that simulates ``replicates`` with weekly trajectories."""
    code = ("import resource; from sim import compose, simulate; "
            f"simulate(compose(['run.replicates={replicates}'])); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return int(out.stdout.split()[-1]) / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=8192)
    parser.add_argument("--mesa-replicates", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5, help="repeats of the engine batch")
    parser.add_argument("--model-repeats", type=int, default=50,
                        help="repeats of one TeamModel run (about 40 ms each)")
    args = parser.parse_args(argv)
    logging.getLogger("MESA").setLevel(logging.WARNING)
    engine, engine_median = engine_rate(args.replicates, args.repeats)
    # before batch_run, whose models Mesa 3.3 keeps alive
    single, single_median = model_run_ms(args.model_repeats)
    through_mesa = mesa_rate(args.mesa_replicates)
    peak = batch_peak_mb(10_000)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"engine (sim.simulate)     {engine:8.0f} replicate-runs/s on one core, best of "
          f"{args.repeats} (median {engine_median:.0f}; goal >= {GOALS['runs_per_s']})")
    print(f"mesa.batch_run(TeamModel) {through_mesa:8.1f} replicate-runs/s; "
          f"engine / batch_run = {engine / through_mesa:.0f}x")
    print(f"one TeamModel run         {single:8.1f} ms, best of {args.model_repeats} "
          f"(median {single_median:.1f}; goal < {GOALS['model_run_ms']} ms)")
    print(f"batch of 10,000 + weekly  {peak:8.0f} MB peak RSS (goal < {GOALS['batch_10k_mb']} MB;"
          f" this process: {base:.0f} MB)")


if __name__ == "__main__":
    main()
