"""What the model's calibration leaves open: the robustness results the brief quotes.

The validation (``teamsim validate``) examines how far the model's answers depend on
choices that no field data pins down: structural variants (horizon, Latané's group-size
term, survival per EBE or on the EBEs' mean, exits off, each mechanism off in turn) and
Morris/Sobol over the region the calibration leaves admissible. It writes its verdict on
each claim of the briefs to :data:`DEFAULT_FILE` (``docs/robustness.json``)::

    {
      "source": "docs/validation.md",          # where the reader finds the detail
      "commit": "<git commit the results were made on>",
      "claims": [
        {"claim": "second_ebe",                # a second EBE raises P(alive at 2 years)
         "variants": 16, "holds": 14,          # structural variants run / where it held
         "low": 0.04, "high": 0.55,            # range of the difference (proportion
                                               # points) over the admissible region
         "reverses": false,                    # its sign flips somewhere in that region
         "carried_by": ["peer support", "..."]},  # mechanisms the claim rests on (optional)
        {"claim": "lever:intervision", ...}    # one per lever scenario of the levers study
      ]
    }

Until that file exists the brief says so in plain words instead of quoting numbers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "docs" / "robustness.json"
SECOND_EBE = "second_ebe"


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
class Robustness:
    """The claims of one robustness file and where its detail is."""

    source: str
    commit: str | None
    claims: dict[str, Claim]


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


def read(path: Path | str | None = None) -> Robustness | None:
    """The robustness results at ``path`` (default :data:`DEFAULT_FILE`), or None if the
    file does not exist yet. A file of another form raises :class:`RobustnessError`."""
    path = Path(path) if path is not None else DEFAULT_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise RobustnessError(f"{path} is not valid JSON: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("claims"), list):
        raise RobustnessError(f"{path}: expected an object with a list 'claims'")
    claims = [_claim(entry, path) for entry in data["claims"]]
    return Robustness(str(data.get("source", "docs/validation.md")), data.get("commit"),
                      {c.claim: c for c in claims})
