"""A study-wide progress bar that works with every launcher and never floods logs.

`teamsim run` watches the study's ``points/`` folder from a background thread: a point
is done when its per-replicate file appears (each job writes it last, atomically).
This works the same whether jobs run in this process, in joblib workers, in submitit
processes or on SLURM nodes sharing the folder. The bar is drawn only on a terminal;
otherwise (log files, CI, batch jobs) each job logs one line per point instead.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from tqdm import tqdm

from experiments.job import PROGRESS_ENV
from experiments.plan import Plan
from experiments.store import replicates_path


class StudyProgress:
    """Context manager: a tqdm bar of points done, replicates/s and time left."""

    def __init__(self, plan: Plan, interval: float = 0.5, enabled: bool | None = None):
        self.plan = plan
        self.interval = interval
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.pending = {p.id: p.replicates for p in plan.points if p.id not in plan.complete}
        self.before = {pid: self._mtime(pid) for pid in self.pending}
        self.replicates = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self.bar: tqdm | None = None

    def _mtime(self, pid: str) -> float | None:
        path = replicates_path(self.plan.study_dir, pid)
        return path.stat().st_mtime_ns if path.exists() else None

    def poll(self) -> None:
        """Count points whose file appeared (or was rewritten) since the start."""
        done = [pid for pid in self.pending
                if (m := self._mtime(pid)) is not None and m != self.before[pid]]
        for pid in done:
            self.replicates += self.pending.pop(pid)
        if self.bar is not None and done:
            elapsed = max(time.monotonic() - self.start, 1e-9)
            self.bar.set_postfix_str(f"{self.replicates / elapsed:,.0f} rep/s", refresh=False)
            self.bar.update(len(done))

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()

    def __enter__(self) -> StudyProgress:
        if not self.enabled or not self.pending:
            return self
        os.environ[PROGRESS_ENV] = "1"
        self.start = time.monotonic()
        self.bar = tqdm(total=len(self.plan.points), initial=len(self.plan.complete),
                        unit="point", desc=self.plan.settings.name, dynamic_ncols=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is None:
            return
        self._stop.set()
        self._thread.join()
        self.poll()
        self.bar.close()
        os.environ.pop(PROGRESS_ENV, None)
