"""Benchmark of the engine: throughput, closeness to the random-number floor, one
``TeamModel`` run, scaling with team size, memory, the cold compile, and Mesa's own
``batch_run`` over the same model.

Prints, for the default team (FACT, one EBE, 104 weeks, summaries only):

- replicate-runs per second of ``sim.simulate`` on one core;
- the time to draw the same random numbers alone (each replicate's stream, one call per
  replicate, as numpy draws them: the floor of this design) and the engine's time over
  that floor, measured in the same process;
- one ``TeamModel`` run (104 steps with its DataCollector);
- the cost per run of teams of 12, 24, 48 and 96 members, relative to 12;
- peak memory of 10,000 replicates with weekly trajectories, in a fresh process;
- the first call of a fresh process with an empty compile cache (the cold compile), and
  with the cache that compile left (what every later process pays);
- the same replicates through ``mesa.batch_run(TeamModel, ...)``, and the ratio.

Times are CPU seconds of the process; each figure is the best of several repeats (as
``timeit`` advises: slower repeats measure interference, not the code), with the median
beside it. Run ``python benchmarks/bench_engine.py`` on an otherwise idle machine; the
README reports the numbers.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

from sim import TeamModel, build_team, compose, simulate
from sim.streams import replicate_stream

#: The goals of issue 18.
GOALS = {"runs_per_s": 5000, "floor_ratio": 6.0, "model_run_ms": 15.0, "scale_48": 16.0,
         "batch_10k_mb": 600}
SIZES = (12, 24, 48, 96)


def cpu_seconds(function, repeats: int) -> tuple[float, float]:
    """Best and median CPU time of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return min(times), statistics.median(times)


def engine_and_floor(replicates: int, repeats: int) -> dict[str, float]:
    """Engine throughput and its time over the floor, both measured here, alternately."""
    cfg = compose([f"run.replicates={replicates}"])
    simulate(compose(["run.replicates=4"]), weekly=False)          # compiled and loaded
    team = build_team(cfg)
    draws = team.draws_per_week * cfg.run.weeks + 4 * team.seats   # a whole run's stream
    generators = [replicate_stream(cfg.run.seed, r) for r in range(replicates)]
    buffer = np.empty(draws)

    def floor():
        for generator in generators:
            generator.random(out=buffer)

    engine, floors = [], []
    for _ in range(repeats):
        engine.append(cpu_seconds(lambda: simulate(cfg, weekly=False), 1)[0])
        floors.append(cpu_seconds(floor, 1)[0])
    return {"runs_per_s": replicates / min(engine),
            "runs_per_s_median": replicates / statistics.median(engine),
            "floor_s": min(floors), "engine_s": min(engine),
            "floor_ratio": min(engine) / min(floors),
            "floor_ratio_median": statistics.median(engine) / statistics.median(floors)}


def model_run_ms(repeats: int) -> tuple[float, float]:
    """Milliseconds per ``TeamModel`` run: best and median."""
    cfg = compose([])

    def run():
        model = TeamModel(cfg, replicate=0)
        while model.running:
            model.step()

    run()
    best, median = cpu_seconds(run, repeats)
    return 1000 * best, 1000 * median


def scaling(repeats: int) -> dict[int, float]:
    """Microseconds per run of teams of ``SIZES`` members (one EBE), summaries only."""
    out = {}
    for size in SIZES:
        replicates = max(64, 4096 * 144 // size ** 2)
        cfg = compose([f"team.size={size}", f"run.replicates={replicates}"])
        simulate(compose([f"team.size={size}", "run.replicates=2"]), weekly=False)
        best, _ = cpu_seconds(lambda cfg=cfg: simulate(cfg, weekly=False), repeats)
        out[size] = 1e6 * best / replicates
    return out


def fresh_process(code: str, env: dict[str, str] | None = None) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, **(env or {})})
    return out.stdout.split()[-1]


def batch_peak_mb(replicates: int) -> float:
    """Max RSS of a fresh process that simulates ``replicates`` with weekly trajectories."""
    return int(fresh_process(
        "import resource; from sim import compose, simulate; "
        f"simulate(compose(['run.replicates={replicates}'])); "
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")) / 1024


def first_call_s() -> tuple[float, float]:
    """CPU seconds of a fresh process's first run with an empty compile cache (it
    compiles), then of another fresh process's first run with the cache it left."""
    code = ("import time; from sim import compose, simulate; cfg = compose(); "
            "t = time.process_time(); simulate(cfg, replicates=[0]); "
            "print(time.process_time() - t)")
    with tempfile.TemporaryDirectory() as cache:
        env = {"TEAMSIM_CACHE_DIR": cache}
        return float(fresh_process(code, env)), float(fresh_process(code, env))


def mesa_rate(replicates: int) -> float:
    import mesa

    cfg = compose([f"run.replicates={replicates}"])

    def run():
        mesa.batch_run(TeamModel, {"config": cfg, "replicate": range(replicates)},
                       max_steps=cfg.run.weeks, number_processes=1, display_progress=False)

    return replicates / cpu_seconds(run, 1)[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=8192)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model-repeats", type=int, default=50)
    parser.add_argument("--mesa-replicates", type=int, default=100)
    args = parser.parse_args(argv)
    logging.getLogger("MESA").setLevel(logging.WARNING)
    speed = engine_and_floor(args.replicates, args.repeats)
    single, single_median = model_run_ms(args.model_repeats)
    curve = scaling(3)
    peak = batch_peak_mb(10_000)
    cold, cached = first_call_s()
    through_mesa = mesa_rate(args.mesa_replicates)   # last: Mesa 3.3 keeps its models alive
    print(f"engine (sim.simulate)     {speed['runs_per_s']:8.0f} replicate-runs/s on one core, "
          f"best of {args.repeats} (median {speed['runs_per_s_median']:.0f}; "
          f"goal >= {GOALS['runs_per_s']})")
    print(f"random-number floor       {speed['floor_s']:8.3f} s for the same draws; engine "
          f"{speed['engine_s']:.3f} s = {speed['floor_ratio']:.1f}x the floor "
          f"(median {speed['floor_ratio_median']:.1f}x; goal <= {GOALS['floor_ratio']:g})")
    print(f"one TeamModel run         {single:8.1f} ms, best of {args.model_repeats} "
          f"(median {single_median:.1f}; goal <= {GOALS['model_run_ms']:g} ms)")
    print("team size (members)       " + "  ".join(
        f"{size}: {curve[size]:.0f} us ({curve[size] / curve[SIZES[0]]:.1f}x)"
        for size in SIZES) + f"  (goal: 48 <= {GOALS['scale_48']:g}x of 12)")
    print(f"batch of 10,000 + weekly  {peak:8.0f} MB peak RSS (goal <= {GOALS['batch_10k_mb']} MB)")
    print(f"first run, fresh process  {cached:8.2f} s CPU with the compile cache (goal: a few "
          f"seconds); {cold:.1f} s with an empty cache, once per version of sim/ (it compiles)")
    print(f"mesa.batch_run(TeamModel) {through_mesa:8.1f} replicate-runs/s; "
          f"engine / batch_run = {speed['runs_per_s'] / through_mesa:.0f}x")


if __name__ == "__main__":
    main()
