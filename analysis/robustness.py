"""What the model's calibration leaves open: the robustness results the brief quotes.

Two kinds of file are read. The default, :data:`DEFAULT_FILE` (``docs/validation.json``,
written by ``teamsim validate``), holds the structural table: each contrast of the advice
(a second EBE, each lever) at normal and high pressure under structural variants (horizon,
Latané's group-size term, survival per EBE or on the EBEs' mean, exits off, each mechanism
off in turn). :func:`derive` turns it, with the sign-flip table of the sensitivity analysis
beside it (``docs/sensitivity.json``, written by ``teamsim run experiment=sensitivity``) when
that exists, into one verdict per claim:

* ``variants`` / ``holds``: the (variant, pressure) cells run, and those where the gain is
  clear (95% interval above zero);
* ``low`` / ``high``: 5th and 95th percentile of the difference over the region the
  calibration leaves admissible (sensitivity, 16 replicates per point);
* ``reverses``: a clear loss in some variant, or a sign flip beyond two standard errors at
  some point of the admissible region;
* ``carried_by``: the mechanisms without which the gain at some pressure is less than half
  as large (the structural rows that switch them off, by name; :func:`mechanism` puts
  them in the reader's words).

A file in the same form written by other means can be given instead::

    {
      "source": "docs/validation.md",          # where the reader finds the detail
      "claims": [
        {"claim": "second_ebe",                # a second EBE raises P(alive at 2 years)
         "variants": 16, "holds": 14,          # structural variants run / where it held
         "low": 0.04, "high": 0.55,            # range of the difference (proportion
                                               # points) over the admissible region
         "reverses": false,                    # its sign flips somewhere in that region
         "carried_by": ["peer support", "..."]},  # mechanisms the claim rests on (optional)
        {"claim": "lever:intervision", ...}    # one per lever scenario of the levers study
      ],
      "basis": {"weeks": 104, "team": "fact",  # what it was measured on (optional): the
                "pressures": ["normal", "high"],  # horizon, team and pressure levels, and
                "range_pressures": ["normal"]}    # where the range (low, high) was measured
    }

The brief says what the results were measured on (for the validation's table: the
model's defaults at the pressure levels of its cells, the range at the sensitivity's
pressure), and, when its own study differs from that (horizon, team, pressure levels or
other varied settings), that the checks describe the default study, not this one.

Until the validation has written its structural table the brief says so in plain words
instead of quoting numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from analysis.names import MECHANISMS, PRESSURE

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "docs" / "validation.json"
SENSITIVITY_FILE = "sensitivity.json"   # beside the validation's file
SECOND_EBE = "second_ebe"
BASELINE = "single_hire"
MECHANISM_GROUPS = ("mechanism off", "team renewal off")


class RobustnessError(ValueError):
    """A robustness file that does not have the documented form."""


@dataclass(frozen=True)
class Claim:
    """How one claim of the brief fared under the model's open assumptions."""

    claim: str
    variants: int
    holds: int
    low: float | None = None
    high: float | None = None
    reverses: bool | None = None
    carried_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Basis:
    """What the robustness results were measured on: the horizon (weeks), the team type
    and the pressure levels of the variants, and the pressure levels of the range over
    the calibration (the sensitivity analysis; empty when it was not read)."""

    weeks: int
    team: str
    pressures: tuple[str, ...]
    range_pressures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Robustness:
    """The claims of one robustness file, where its detail is and what it was measured
    on (``basis``; None when the file does not say)."""

    source: str
    commit: str | None
    claims: dict[str, Claim]
    basis: Basis | None = None


def lever_claim(scenario: str) -> str:
    """The claim id of a lever scenario: ``lever:<scenario>``."""
    return f"lever:{scenario}"


def _claim(entry: object, path: Path) -> Claim:
    if not isinstance(entry, dict) or not {"claim", "variants", "holds"} <= set(entry):
        raise RobustnessError(f"{path}: every claim needs 'claim', 'variants' and 'holds'")
    variants, holds = int(entry["variants"]), int(entry["holds"])
    if not 0 <= holds <= variants:
        raise RobustnessError(f"{path}: claim {entry['claim']!r} holds in {holds} of "
                              f"{variants} variants: need 0 <= holds <= variants")
    bounds = [entry.get("low"), entry.get("high")]
    return Claim(str(entry["claim"]), variants, holds,
                 *(None if b is None else float(b) for b in bounds),
                 reverses=entry.get("reverses"),
                 carried_by=tuple(map(str, entry.get("carried_by", ()))))


def scenario_of(contrast: dict) -> str:
    """The scenario a structural contrast switches on (``scenario=<name>``)."""
    return next(o.split("=", 1)[1] for o in contrast["overrides"] if o.startswith("scenario="))


def claim_of(scenario: str) -> str:
    """The claim id the brief asks for: a second EBE, or ``lever:<scenario>``."""
    return SECOND_EBE if scenario == "two_hires" else lever_claim(scenario)


def mechanism(row: str, lang: str = "en") -> str:
    """A structural row's mechanism in the reader's words (:data:`analysis.names.MECHANISMS`):
    'anchor drift off' -> 'anchor drift' / 'het verschuiven van het eigen anker'. A row
    the table does not know (or a mechanism a robustness file names in its own words) is
    shown as it is, without a trailing ' off'."""
    found = MECHANISMS.get(row)
    return found(lang) if found is not None else row.removesuffix(" off")


def _pressures(levels) -> tuple[str, ...]:
    """Pressure levels in their natural order (calm, normal, high)."""
    order = {p: i for i, p in enumerate(PRESSURE)}
    return tuple(sorted(set(levels), key=lambda p: order.get(p, len(order))))


def basis_of(structural: dict, sensitivity: dict | None) -> Basis:
    """What the structural table was run on: the model's defaults (its rows change one
    setting each, from ``sim.compose([])``) at the pressure levels of its cells; and the
    pressure of the sensitivity's range."""
    from sim import compose

    defaults = compose([])
    ranged = () if not sensitivity or "pressure" not in sensitivity \
        else _pressures([sensitivity["pressure"]])
    return Basis(defaults.run.weeks, defaults.team.name,
                 _pressures(c["pressure"] for c in structural["cells"]), ranged)


def derive(validation: dict, sensitivity: dict | None, source: str) -> Robustness | None:
    """One :class:`Claim` per contrast of the validation's structural table (see the
    module docstring for each field); None when the table was not run."""
    structural = validation.get("structural")
    if not structural:
        return None
    groups = {r["row"]: r["group"] for r in structural["rows"]}
    flips = {f["output"]: f for f in (sensitivity or {}).get("flips", [])}
    claims = []
    for contrast in structural["contrasts"]:
        scenario = scenario_of(contrast)
        cells = [c for c in structural["cells"] if c["contrast"] == contrast["name"]]
        reference = {c["pressure"]: c["difference"] for c in cells if c["row"] == "defaults"}
        variants = [c for c in cells if c["row"] != "defaults"]
        weak = {c["row"] for c in variants if groups[c["row"]] in MECHANISM_GROUPS
                and reference[c["pressure"]] > 0
                and c["difference"] < reference[c["pressure"]] / 2}
        carried = [row for row in groups if row in weak]
        flip = flips.get(f"{scenario} - {BASELINE}")
        reverses = any(c["sign"] < 0 for c in variants) or bool(
            flip and flip["other_sign_beyond_2se"] > 0)
        claims.append(Claim(
            claim_of(scenario), len(variants), sum(c["sign"] > 0 for c in variants),
            low=None if flip is None else flip["p05"],
            high=None if flip is None else flip["p95"],
            reverses=reverses, carried_by=tuple(carried)))
    return Robustness(source, validation.get("commits", {}).get("code"),
                      {c.claim: c for c in claims}, basis_of(structural, sensitivity))


def read(path: Path | str | None = None) -> Robustness | None:
    """The robustness results at ``path`` (default :data:`DEFAULT_FILE`): derived from a
    validation results file, or read from a file in the documented form. None if the file
    does not exist yet, or holds no structural table; a file of another form raises
    :class:`RobustnessError`."""
    path = Path(path) if path is not None else DEFAULT_FILE
    if not path.exists():
        return None
    data = _json(path)
    if isinstance(data, dict) and "structural" in data:
        beside = path.with_name(SENSITIVITY_FILE)
        sensitivity = _json(beside) if beside.exists() else None
        return derive(data, sensitivity, str(path.with_suffix(".md").name))
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise RobustnessError(f"{path}: expected an object with a list 'claims', or the "
                              "results of teamsim validate")
    claims = [_claim(entry, path) for entry in data["claims"]]
    return Robustness(str(data.get("source", "docs/validation.md")), data.get("commit"),
                      {c.claim: c for c in claims}, _basis(data.get("basis"), path))


def _basis(entry: object, path: Path) -> Basis | None:
    """The optional ``basis`` of a file in the documented form."""
    if entry is None:
        return None
    if not isinstance(entry, dict) or not {"weeks", "team", "pressures"} <= set(entry):
        raise RobustnessError(f"{path}: 'basis' needs 'weeks', 'team' and 'pressures'")
    return Basis(int(entry["weeks"]), str(entry["team"]), _pressures(entry["pressures"]),
                 _pressures(entry.get("range_pressures", ())))


def _json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise RobustnessError(f"{path} is not valid JSON: {err}") from None
