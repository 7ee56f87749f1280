"""The study's one progress bar: replicates done, with every launcher.

`teamsim run` watches the study's ``points/`` folder from a background thread: a job
records after each block how many replicates of its point are done
(``points/<id>.progress``) and writes the per-replicate file last, atomically. This works
the same whether jobs run in this process, in joblib workers, in submitit processes or on
SLURM nodes sharing the folder. On a terminal the bar counts replicates (so a single
large point moves too); otherwise (log files, CI, batch jobs) one line per finished point.
"""

from __future__ import annotations

import sys
import threading

from tqdm import tqdm

from experiments.plan import Plan
from experiments.store import read_progress, replicates_path


def bar(total: int, desc: str, initial: int = 0, unit: str = "rep") -> tqdm:
    """teamsim's progress bar: replicates (or another ``unit``) done, rate, time left."""
    return tqdm(total=total, initial=initial, unit=unit, unit_scale=True, desc=desc,
                dynamic_ncols=True)


class StudyProgress:
    """Context manager: a tqdm bar of replicates done, points done and time left."""

    def __init__(self, plan: Plan, interval: float = 0.5, enabled: bool | None = None):
        self.plan = plan
        self.interval = interval
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.pending = {p.id: p for p in plan.todo}
        self.before = {pid: self._mtime(pid) for pid in self.pending}
        self.finished: set[str] = set()
        self.replicates = 0                   # done since the start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self.bar: tqdm | None = None

    def _mtime(self, pid: str) -> float | None:
        path = replicates_path(self.plan.study_dir, pid)
        return path.stat().st_mtime_ns if path.exists() else None

    def poll(self) -> None:
        """Count the replicates of points finished since the start and of points running."""
        done = 0
        for pid, point in self.pending.items():
            if pid not in self.finished and self._mtime(pid) not in (None, self.before[pid]):
                self.finished.add(pid)
                if self.bar is None:
                    what = point.describe()   # the point's id when no override names it
                    print(f"  point {len(self.finished) + len(self.plan.complete)}/"
                          f"{len(self.plan.points)} done: {pid}"
                          + (f" ({what})" if what != pid else ""), flush=True)
            done += (point.replicates if pid in self.finished
                     else min(read_progress(self.plan.study_dir, pid), point.replicates))
        if self.bar is not None:
            self.bar.set_postfix_str(f"{len(self.finished) + len(self.plan.complete)}/"
                                     f"{len(self.plan.points)} points", refresh=False)
            self.bar.update(max(done - self.replicates, 0))
        self.replicates = max(done, self.replicates)

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()

    def __enter__(self) -> StudyProgress:
        if not self.pending:
            return self
        if self.enabled:
            done = sum(p.replicates for p in self.plan.points if p.id in self.plan.complete)
            self.bar = bar(sum(p.replicates for p in self.plan.points),
                           self.plan.settings.name, initial=done)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.pending:
            return
        self._stop.set()
        self._thread.join()
        self.poll()
        if self.bar is not None:
            self.bar.close()
