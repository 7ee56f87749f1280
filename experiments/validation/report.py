"""The validation report (``docs/validation.md``) and its machine-readable twin
(``docs/validation.json``), both generated from one run.

The JSON file is what other parts of teamsim read (the policy brief's plain-words
uncertainty, the freshness test): the verdict and numbers of every check, the structural
table, the fingerprints and the commits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict

from experiments.validation.evaluate import Validation
from experiments.validation.measures import AGENT_FRACTION, MEASURES
from experiments.validation.patterns import ARMS, LEVEL, RATIO
from experiments.validation.structural import (
    CONTRASTS,
    HEADLINE,
    LEVERS,
    MINIMUM,
    PRESSURES,
    ROWS,
    Cell,
    carriers,
    flips,
)

COMMAND = "teamsim validate"


def number(x: float) -> str:
    if not math.isfinite(x):
        return "nan"
    return f"{x:.3g}" if abs(x) >= 1e-3 or x == 0 else f"{x:.2e}"


def signed(x: float) -> str:
    return f"{x:+.3f}" if math.isfinite(x) else "nan"


def command(v: Validation, pattern: int | None = None) -> str:
    """The command that reproduces a run (or one pattern of it)."""
    s = v.settings
    size = "--quick" if s.quick else f"--replicates {s.replicates}"
    which = f" --pattern {pattern}" if pattern is not None else ""
    extra = "".join(f" --override {o}" for o in s.overrides)
    return f"{COMMAND}{which} {size} --seed {s.seed}{extra}"


def statistic_text(o) -> str:
    arms = o.check.arms
    if o.check.statistic == LEVEL:
        return f"mean in {arms[0]}"
    if o.check.statistic == RATIO:
        return f"{arms[0]} / {arms[1]}"
    return f"{arms[0]} - {arms[1]}"


def pattern_table(v: Validation) -> list[str]:
    rows = ["| # | Pattern | Theme | Source | Verdict |", "|---|---|---|---|---|"]
    for p in v.patterns:
        verdict = "**pass**" if v.pattern_passed(p.number) else "**FAIL**"
        rows.append(f"| V{p.number} | {p.claim} | {p.odd} | {p.source} | {verdict} |")
    return rows


def check_table(v: Validation) -> list[str]:
    rows = ["| Check | What | Arm means | Statistic | Estimate [95% CI] | n | Rule | Verdict |",
            "|---|---|---|---|---|---|---|---|"]
    for o in v.outcomes:
        means = "; ".join(f"{arm} {number(x)}" for arm, x in o.values.items())
        rows.append(f"| {o.id} | {o.check.text} | {means} | {statistic_text(o)} | "
                    f"{number(o.estimate)} [{number(o.low)}, {number(o.high)}] | {o.n} | "
                    f"{o.check.rule.text} | {'pass' if o.passed else '**FAIL**'} |")
    return rows


def reasons(v: Validation) -> list[str]:
    lines = []
    for p in v.patterns:
        lines.append(f"**{p.number}. {p.claim}.** Mechanisms: {p.mechanisms}.")
        lines.append("")
        for i, c in enumerate(p.checks):
            lines.append(f"- {p.number}.{i + 1}: {c.rule.side} {c.rule.threshold:g}, because "
                         f"{c.rule.reason}.")
        lines.append("")
    return lines


def findings(v: Validation) -> list[str]:
    """What the model does instead, for every failing pattern."""
    if not v.failed:
        return []
    lines = ["## Findings: the patterns the model does not reproduce", "",
             "Each is a finding about the model, reported as measured; its rule stays as "
             "it was fixed.", ""]
    for p in v.failed:
        lines.append(f"**V{p.number}. {p.claim}.**")
        for o in (o for o in v.outcomes if o.pattern == p.number and not o.passed):
            side = ("the effect has the predicted direction but is smaller than the minimum "
                    "that matters" if o.check.rule.margin(o.estimate) < 0 and
                    _same_direction(o) else "the interval reaches the minimum")
            lines.append(f"- {o.id} ({o.check.text}): {number(o.estimate)} "
                         f"[{number(o.low)}, {number(o.high)}] against {o.check.rule.side} "
                         f"{o.check.rule.threshold:g}: {side}.")
        lines += [f"- The mechanisms that would have to carry it: {p.mechanisms}.", ""]
    return lines


def _same_direction(o) -> bool:
    """Whether the estimate lies on the side of 'no effect' that the rule points to."""
    neutral = 1.0 if o.check.statistic == RATIO else 0.0
    if o.check.statistic == LEVEL:
        return True
    return (o.estimate - neutral) * (o.check.rule.threshold - neutral) > 0


def arm_table(v: Validation) -> list[str]:
    rows = ["| Arm | Overrides of the defaults (FACT team, one EBE, normal pressure) |",
            "|---|---|"]
    for arm in v.tables:
        rows.append(f"| {arm} | `{' '.join(ARMS[arm]) or '(defaults)'}` |")
    return rows


def measure_table(v: Validation) -> list[str]:
    used = dict.fromkeys(o.check.measure for o in v.outcomes)
    rows = ["| Measure | Per replicate | Unit |", "|---|---|---|"]
    rows += [f"| `{m}` | {MEASURES[m].description} | {MEASURES[m].unit} |" for m in used]
    return rows


def cell_text(c: Cell, reference: Cell | None) -> str:
    text = f"{signed(c.difference)} [{signed(c.low)}, {signed(c.high)}]"
    if reference is not None and c.sign != reference.sign:
        text = f"**{text}**"
    return text


def headline_table(cells: Sequence[Cell]) -> list[str]:
    by = {(c.row, c.contrast, c.pressure): c for c in cells}
    head = ["| Row | Group | Switched | " + " | ".join(
        f"2 vs 1 EBE, {p}" for p in PRESSURES) + " |", "|---|---|---|" + "---|" * len(PRESSURES)]
    for row in ROWS:
        if (row.name, HEADLINE.name, PRESSURES[0]) not in by:
            continue
        cells_text = " | ".join(cell_text(by[(row.name, HEADLINE.name, p)],
                                          by.get(("defaults", HEADLINE.name, p)))
                                for p in PRESSURES)
        note = f" ({row.note})" if row.note else ""
        head.append(f"| {row.name}{note} | {row.group} | `{' '.join(row.overrides) or '-'}` "
                    f"| {cells_text} |")
    return head


def lever_table(cells: Sequence[Cell], pressure: str) -> list[str]:
    by = {(c.row, c.contrast, c.pressure): c for c in cells}
    names = [c.name for c in LEVERS]
    lines = ["| Row | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for row in ROWS:
        if (row.name, names[0], pressure) not in by:
            continue
        out = []
        for name in names:
            c, ref = by[(row.name, name, pressure)], by.get(("defaults", name, pressure))
            text = signed(c.difference) + ("" if c.sign else " (0)")
            out.append(f"**{text}**" if ref is not None and c.sign != ref.sign else text)
        lines.append(f"| {row.name} | " + " | ".join(out) + " |")
    return lines


def structural_words(cells: Sequence[Cell]) -> list[str]:
    """The table's main reading, in words generated from the numbers."""
    lines = []
    for pressure in PRESSURES:
        ref = next(c for c in cells if c.row == "defaults" and c.contrast == HEADLINE.name
                   and c.pressure == pressure)
        carry = carriers(cells, pressure)
        parts = [f"At {pressure} pressure a second EBE raises P(alive at two years) by "
                 f"{signed(ref.difference)} [{signed(ref.low)}, {signed(ref.high)}] on the "
                 "defaults."]
        if carry["lost"]:
            parts.append("The gain vanishes (interval reaches zero or turns negative) with: "
                         + "; ".join(carry["lost"]) + ".")
        if carry["below minimum"]:
            parts.append(f"It may fall below the {MINIMUM:g} that matters with: "
                         + "; ".join(carry["below minimum"]) + ".")
        if carry["halved"]:
            parts.append("It is less than half as large with: " + "; ".join(carry["halved"])
                         + ".")
        if carry["grown"]:
            parts.append("It is more than half as large again with: "
                         + "; ".join(carry["grown"]) + ".")
        if not any(carry.values()):
            parts.append("No single structural choice or mechanism in the table changes it "
                         "by half or more.")
        lines += [" ".join(parts), ""]
    flipped = flips(cells)
    unstable = [f"{name} at {pressure} ({'; '.join(rows)})"
                for (name, pressure), rows in flipped.items()
                if rows and name != HEADLINE.name]
    stable = [f"{name} at {pressure}" for (name, pressure), rows in flipped.items()
              if not rows and name != HEADLINE.name]
    if stable:
        lines += ["Levers whose sign holds in every row: " + "; ".join(stable) + ".", ""]
    if unstable:
        lines += ["Levers whose sign (or its clarity) depends on a row: " + "; ".join(unstable)
                  + ".", ""]
    return lines


def structural_section(cells: Sequence[Cell], replicates: int) -> list[str]:
    return [
        "## What the headline rests on (structural sensitivity)", "",
        f"Each row changes one structural choice or switches one mechanism off at its "
        f"neutral setting; every contrast is the paired difference in P(alive at the "
        f"horizon) against one EBE (`scenario=single_hire`) on {replicates} common-random-"
        f"number replicates per arm, with a 95% BCa interval. Bold: the sign (interval "
        f"above 0, below 0, or reaching 0) differs from the defaults' row. A mechanism "
        f"*carries* the headline when switching it off removes the gain or cuts it below "
        f"the {MINIMUM:g} that matters.", "",
        *structural_words(cells),
        "### The second EBE", "", *headline_table(cells), "",
        *[line for p in PRESSURES for line in (
            f"### Each lever against one EBE, {p} pressure (difference in P(alive); "
            "(0): interval reaches 0)", "", *lever_table(cells, p), "")],
    ]


def markdown(v: Validation, cells: Sequence[Cell] | None, record: dict,
             structural_replicates: int = 0) -> str:
    """The whole report."""
    s = v.settings
    passed = len(v.patterns) - len(v.failed)
    rules = record["commits"]["rules"]
    history = "; ".join(f"`{r['commit']}` ({r['date']}: {r['subject']})" for r in rules)
    lines = [
        "# Validation: patterns the model was not built to show",
        "",
        "Generated by `teamsim validate` (`experiments/validation/`); do not edit by hand. "
        "Pattern-oriented modelling (Grimm et al. 2005): one set of defaults must reproduce "
        "several patterns from the field at once. These patterns set nothing: the targets "
        "that set parameters are in [calibration.md](calibration.md), and the checks that "
        "a mechanism has the sign its equation gives are tests "
        "(`tests/test_model_mechanisms.py`).",
        "",
        f"**{passed} of {len(v.patterns)} patterns pass.** {s.replicates} replicates per arm "
        f"(`trust_gap`: the first {s.replicates // AGENT_FRACTION}), root seed {s.seed}, "
        f"common random numbers across arms, BCa bootstrap with {s.resamples} resamples; "
        f"{'quick (CI) run; ' if s.quick else ''}patterns {v.seconds:.0f} s"
        + (f", structural table {record['structural_seconds']:.0f} s" if cells else "")
        + f". Reproduce: `{command(v)}`.",
        "",
        f"Code: commit `{record['commits']['code']}`. Rules (`experiments/validation/"
        f"patterns.py`, `measures.py`): fixed in {history or 'unknown'} before their first "
        "run; every later commit that touched them is listed here, so a change of a rule "
        "after a run shows. Model fingerprint "
        f"`{record['model_fingerprint']}`, rules fingerprint `{record['rules_fingerprint']}` "
        "(`tests/test_validation.py` fails when either no longer matches).",
        "",
        "**Rules.** Each check states the smallest effect that matters and why; it passes "
        "only when the whole 95% interval lies beyond it (a sign alone never passes). A "
        "pattern passes when all its checks pass. A failing pattern is a finding about the "
        "model, not a check to change.",
        "",
        "## Patterns", "", *pattern_table(v), "",
        "## Checks", "", *check_table(v), "",
        *findings(v),
        "## Why each minimum, and which mechanisms interact", "", *reasons(v),
    ]
    if cells:
        lines += structural_section(cells, structural_replicates)
    lines += ["## What the calibration leaves open", "",
              "Which assumptions each difference of the advice depends on over the admissible "
              "region the calibration leaves, and whether its sign can flip there (Morris and "
              "Sobol on the differences): [sensitivity.md](sensitivity.md).", "",
              "## Arms", "", *arm_table(v), "", "## Measures", "", *measure_table(v), "",
              "Machine-readable results: [validation.json](validation.json).", ""]
    return "\n".join(lines)


def machine_readable(v: Validation, cells: Sequence[Cell] | None, record: dict) -> dict:
    """Everything in the report, as data (the file ``docs/validation.json``)."""
    out = {**record, "settings": asdict(v.settings), "seconds": round(v.seconds, 1),
           "passed": len(v.patterns) - len(v.failed), "patterns_run": len(v.patterns),
           "failed": [p.number for p in v.failed],
           "patterns": [{"number": p.number, "claim": p.claim, "theme": p.odd,
                         "source": p.source, "passed": v.pattern_passed(p.number)}
                        for p in v.patterns],
           "checks": [{"id": o.id, "text": o.check.text, "measure": o.check.measure,
                       "statistic": o.check.statistic, "arms": list(o.check.arms),
                       "estimate": o.estimate, "low": o.low, "high": o.high, "n": o.n,
                       "rule": {"side": o.check.rule.side,
                                "threshold": o.check.rule.threshold},
                       "margin": o.check.rule.margin(o.estimate), "passed": o.passed}
                      for o in v.outcomes]}
    if cells:
        out["structural"] = {
            "claim": "a second EBE raises P(alive at the horizon); each lever's sign",
            "minimum": MINIMUM,
            "rows": [{"row": r.name, "group": r.group, "overrides": list(r.overrides),
                      "note": r.note} for r in ROWS],
            "contrasts": [{"name": c.name, "overrides": list(c.overrides)} for c in CONTRASTS],
            "cells": [asdict(c) | {"sign": c.sign} for c in cells],
            "headline_carriers": {p: carriers(cells, p) for p in PRESSURES},
            "sign_changes": [{"contrast": k[0], "pressure": k[1], "rows": rows}
                             for k, rows in flips(cells).items()],
            "words": [line for line in structural_words(cells) if line],
        }
    return out
