"""A study's processes end with the `teamsim` process that started them, where the
platform allows.

`teamsim run` starts the launcher (:mod:`experiments.launch`), or the runner of a study
that runs itself (:mod:`experiments.runner`), as the leader of a process group of its own;
its workers (joblib's, submitit's local processes) and their helpers are in that group.
The leader ends the whole group when `teamsim` ends, even by
SIGKILL: on Linux the kernel sends it SIGTERM at once (``prctl(PR_SET_PDEATHSIG)``,
prctl(2)); on every POSIX system a thread also watches ``os.getppid()``, which changes when
the parent dies (within half a second). `teamsim` itself ends the group when the leader
returns or is interrupted. Tasks on a SLURM cluster are not in the group: they run on when
the driver ends, and a rerun skips the points they complete.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a just-forked child of ``parent`` (``Popen(preexec_fn=...)``): be sent SIGTERM
    when ``parent`` ends (Linux)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:          # the parent ended before the line above
        os._exit(1)


def end_group(group: int | None = None, *_: object) -> None:
    """SIGKILL every process of the process group (default: this process's own)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(os.getpgrp() if group is None else group, signal.SIGKILL)


def lead_group(parent: int, interval: float = 0.5) -> None:
    """In the group leader: end the group on SIGTERM or once ``parent`` is gone."""
    signal.signal(signal.SIGTERM, lambda *_: end_group())

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        end_group()

    threading.Thread(target=watch, name="teamsim-lifeline", daemon=True).start()
