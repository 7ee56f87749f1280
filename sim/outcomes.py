"""Weekly observations of a team and the per-replicate outcomes (ODD 'observation').

``OBSERVED`` lists the weekly variables in column order. Flows (feedback, exits,
critique...) are counts within the week and 0 at week 0. Variables that describe EBEs
(``ebe_perspective``, ``ebe_stress``, ``trust_cross``, ``irritation_cross``,
``rejection``) are NaN in a week with no EBE present; all others are always defined
(``distinctiveness`` and ``experiential_share`` are 0 when no EBE is present: the
perspective is absent).
"""

from __future__ import annotations

import numpy as np

OBSERVED = (
    "distinctiveness", "survived", "ebe_present", "team_perspective", "ebe_perspective",
    "experiential_share",
    "decision", "rejection", "feedback_given", "feedback_withheld", "feedback_attack",
    "feedback_given_to_ebe", "feedback_withheld_to_ebe", "irritation", "irritation_cross",
    "trust_cross", "ebe_stress", "exits", "hires", "critique_raised", "critique_accepted",
    "dialogue", "workload_pressure", "risk_avoidance",
)
COLUMN = {name: i for i, name in enumerate(OBSERVED)}


def distinctiveness(ebe_view: np.ndarray, team_view: np.ndarray) -> np.ndarray:
    """Mean view of present EBEs minus that of present others ``(R,)``; 0 with no EBE
    (``ebe_view``, from :func:`sim.arrays.masked_mean`, is NaN when no EBE is present)."""
    return np.where(np.isnan(ebe_view), 0.0, ebe_view - team_view)


def perspective_alive(dist: np.ndarray, ebe_present: np.ndarray, start: np.ndarray,
                      survival_fraction: float) -> np.ndarray:
    """The perspective survives while an EBE is present and distinctiveness >= fraction *
    its start value (which must be > 0)."""
    return (ebe_present > 0) & (start > 0) & (dist >= survival_fraction * start)


def survival_outcomes(observed: np.ndarray) -> dict[str, np.ndarray]:
    """Survival of the perspective from the weekly ``survived`` column.

    ``weeks_to_loss`` is the first week in which :func:`perspective_alive` fails (0 if
    there was no distinct perspective at the start), censored at the horizon.
    """
    alive = observed[:, :, COLUMN["survived"]] > 0
    failed = ~alive
    lost = failed.any(1)
    weeks = np.where(lost, failed.argmax(1), observed.shape[1] - 1)
    return {"alive": alive, "survived": ~lost, "lost": lost, "weeks_to_loss": weeks}


def _nanmean_rows(values: np.ndarray) -> np.ndarray:
    count = (~np.isnan(values)).sum(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, np.nansum(values, 1) / count, np.nan)


def summarise(observed: np.ndarray) -> dict[str, np.ndarray]:
    """One value per replicate for every outcome, from the ``(R, weeks + 1, K)`` record."""
    col = {name: observed[:, :, i] for name, i in COLUMN.items()}
    weeks = slice(1, None)
    survival = survival_outcomes(observed)
    out = {
        "survived": survival["survived"],
        "weeks_to_loss": survival["weeks_to_loss"],
        "lost": survival["lost"],
        "perspective_at_horizon": survival["alive"][:, -1],
        "distinctiveness_start": col["distinctiveness"][:, 0],
        "distinctiveness": col["distinctiveness"][:, -1],
        "experiential_share": col["experiential_share"][:, weeks].mean(1),
        "team_shift": col["team_perspective"][:, -1] - col["team_perspective"][:, 0],
        "ebe_shift": col["ebe_perspective"][:, -1] - col["ebe_perspective"][:, 0],
        "decision": col["decision"][:, weeks].mean(1),
        "ebe_weeks_present": (col["ebe_present"][:, weeks] > 0).mean(1),
        "ebe_years": col["ebe_present"][:, weeks].sum(1) / 52.0,
        "distinctiveness_present": _nanmean_rows(np.where(
            col["ebe_present"][:, weeks] > 0, col["distinctiveness"][:, weeks], np.nan)),
        "exits": col["exits"].sum(1),
        "hires": col["hires"].sum(1),
        "irritation": col["irritation"][:, -1],
        "ebe_stress": _nanmean_rows(col["ebe_stress"][:, weeks]),
        "trust_cross": _nanmean_rows(col["trust_cross"][:, weeks]),
        "irritation_cross": _nanmean_rows(col["irritation_cross"][:, weeks]),
        "rejection": _nanmean_rows(col["rejection"][:, weeks]),
        "workload_pressure": col["workload_pressure"][:, weeks].mean(1),
        "risk_avoidance": col["risk_avoidance"][:, weeks].mean(1),
        "dialogues": col["dialogue"].sum(1),
    }
    for name in ("feedback_given", "feedback_withheld", "feedback_attack",
                 "feedback_given_to_ebe", "feedback_withheld_to_ebe", "critique_raised",
                 "critique_accepted"):
        out[name] = col[name].sum(1)
    return out
