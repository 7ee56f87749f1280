"""The ODD's pattern list (section 1), generated from the pattern definitions.

The ODD names ten themes from its sources (P1-P10). Each theme is tested by validation
patterns (:data:`~experiments.validation.patterns.PATTERNS`, which set nothing) or was
used as a calibration target (:data:`~experiments.validation.calibration.TARGETS`), or
both. ``python -m experiments.validation.odd`` rewrites the list between the markers of
``docs/ODD.md``; ``--check`` only reports (exit 1) when it is stale, and a test does the
same, so the ODD and the validation report cannot list different patterns.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from experiments.validation.calibration import TARGETS
from experiments.validation.freshness import ROOT
from experiments.validation.patterns import PATTERNS

ODD_PATH = ROOT / "docs" / "ODD.md"
START, END = "<!-- patterns:start -->", "<!-- patterns:end -->"

#: The ODD's themes: what the sources report, in the ODD's numbering.
THEMES: dict[str, tuple[str, str]] = {
    "P1": ("A lone EBE in a team that barely knows its value, under high workload, \"takes "
           "on the colour of the environment\": the experiential perspective disappears",
           "001"),
    "P2": ("Several EBEs, peers, intervision and seniority slow that assimilation (\"hire "
           "several, not just one\")", "002, 003"),
    "P3": ("Experiential knowledge is selectively used and often absent from collective "
           "decision making; a knowledge hierarchy with final responsibility at the "
           "psychiatrist", "004"),
    "P4": ("In high-load teams accountability dominates, decisions are driven by risk "
           "avoidance, and there is little room for recovery-oriented work; professional "
           "autonomy gives room", "004"),
    "P5": ("Feedback across the EBE-professional line is withheld (\"silk gloves\") although "
           "professionals give it to each other; unspoken issues build irritation; deeper "
           "dialogue makes friction productive", "000"),
    "P6": ("EBEs often take feedback on their work as a personal attack", "000"),
    "P7": ("Over-deference to the EBE (\"ten say left, one says right, all go right\") "
           "coexists with withheld feedback", "000"),
    "P8": ("Incumbents feel their professional identity touched by a newcomer with another "
           "background", "000"),
    "P9": ("EBEs can act as a bridge and offer critique of rules; with room, a policy seat, "
           "seniority (and more independently when external) the system adapts",
           "002, 003, 000"),
    "P10": ("Peer workers leave often: 42% consider leaving, about 18% within a year; extra "
            "tasks outside the peer role predict intent to leave (OR 2.9)",
            "Lombardi et al. 2025"),
}


def pattern_list() -> str:
    """The markdown between the markers: every theme with what tests or set it."""
    lines = ["| Theme | Source | Validation patterns (set nothing; "
             "[validation.md](validation.md)) | Calibration targets (set parameters; "
             "[calibration.md](calibration.md)) |", "|---|---|---|---|"]
    for key, (text, source) in THEMES.items():
        tested = "<br>".join(f"V{p.number}: {p.claim}" for p in PATTERNS if p.odd == key)
        used = "<br>".join(f"{t.key}: {t.claim}" for t in TARGETS if t.theme == key)
        lines.append(f"| {key} {text} | {source} | {tested or '-'} | {used or '-'} |")
    return "\n".join(lines) + "\n"


def list_in(text: str) -> str:
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the ODD needs the markers {START} and then {END}")
    return text[start + len(START):end].removeprefix("\n")


def update(path: Path = ODD_PATH, check: bool = False) -> bool:
    """Rewrite the list in ``path`` (unless ``check``); return whether it was stale."""
    text = path.read_text(encoding="utf-8")
    start = text.find(START)
    current = list_in(text)
    stale = current != pattern_list()
    if stale and not check:
        end = text.find(END)
        path.write_text(text[:start + len(START)] + "\n" + pattern_list() + text[end:],
                        encoding="utf-8")
    return stale


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=ODD_PATH)
    parser.add_argument("--check", action="store_true", help="exit 1 if the list is stale")
    args = parser.parse_args(argv)
    stale = update(args.path, check=args.check)
    print(f"{args.path}: pattern list {'stale' if stale else 'up to date'}"
          + ("" if args.check or not stale else " (rewritten)"))
    return int(stale and args.check)


if __name__ == "__main__":
    sys.exit(main())
