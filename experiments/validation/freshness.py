"""Is a written validation report still about the current model and rules?

:func:`model_fingerprint` hashes the per-replicate outcomes of a tiny fixed set of runs
(four replicates of 52 weeks of five configurations that together switch on every lever
and mechanism). Any change to a mechanism, a default or the outcome definitions changes
it; a faster engine that gives the same bits does not. :func:`rules_fingerprint` hashes
the pattern definitions. The report records both, and a test recomputes them (well under
a second) and fails when the report is stale.

Where the code comes from: :func:`commits` reads git (when the source tree is a
repository) for the commit the report ran on and every commit that changed the rules.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import numpy as np

from experiments.validation import measures, patterns
from sim import compose, simulate

ROOT = Path(__file__).resolve().parents[2]
RULE_FILES = ("experiments/validation/patterns.py", "experiments/validation/measures.py")
#: The fixed runs behind the model fingerprint (every mechanism and lever is active in
#: at least one of them).
PROBES: tuple[tuple[str, ...], ...] = (
    (),
    ("scenario=two_hires", "pressure=high"),
    ("pressure=calm", "ebe.employment=external", "organisation.intervision=0.5",
     "organisation.coaching=0.5", "organisation.policy_seat=0.5",
     "organisation.experiential_authority=0.3", "organisation.dialogue_culture=0.6"),
    ("scenario=three_hires", "ebe.embedding=separate", "organisation.rehire_delay_weeks=0",
     "behaviour.exit_rate=0.5"),
    ("run.retention=ebe_mean", "team.hierarchy_steepness=2", "ebe.seniority_weeks=0"),
)
PROBE_SIZE = ("run.replicates=4", "run.weeks=52", "run.seed=1")


def model_fingerprint() -> str:
    """SHA-256 (16 hex digits) of the outcomes of the :data:`PROBES` runs."""
    digest = hashlib.sha256()
    for overrides in PROBES:
        table = simulate(compose([*overrides, *PROBE_SIZE]), weekly=False).replicates
        digest.update(" ".join(overrides).encode())
        digest.update(",".join(table.columns).encode())
        numbers = table.select_dtypes("number").to_numpy(float)
        digest.update(np.round(numbers, 10).tobytes())
        for column in table.select_dtypes(exclude="number").columns:
            digest.update("|".join(map(str, table[column])).encode())
    return digest.hexdigest()[:16]


def rules_fingerprint() -> str:
    """SHA-256 (16 hex digits) of the arms, rules and measures of every pattern."""
    text = repr((patterns.ARMS, patterns.PATTERNS,
                 {k: (m.description, m.unit, m.compute.__name__)
                  for k, m in measures.MEASURES.items()}, measures.AGENT_FRACTION))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                             timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def commits() -> dict:
    """``code``: the commit the run is on (``+changes`` if the model, experiments or
    analysis differ from it); ``rules``: every commit that touched the pattern
    definitions, oldest first (hash, date, subject)."""
    head = _git("rev-parse", "--short", "HEAD")
    if head is None:
        return {"code": "unknown (not a git checkout)", "rules": []}
    dirty = _git("status", "--porcelain", "--", "sim", "experiments", "analysis", "configs")
    log = _git("log", "--reverse", "--format=%h%x09%ad%x09%s", "--date=short", "--", *RULE_FILES)
    rules = [dict(zip(("commit", "date", "subject"), line.split("\t", 2), strict=True))
             for line in (log or "").splitlines() if line]
    return {"code": head + ("+changes" if dirty else ""), "rules": rules}
