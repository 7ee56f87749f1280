"""Submodel ``experiential_authority`` (ODD 7.5).

Source: Steenvoorde (seed 000): experiential knowledge is often treated as the guide,
'ten professionals say left, one EBE says right, and everyone goes right', and
professionals then handle EBEs with silk gloves: feedback is withheld.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.config import Config


def experiential_authority(cfg: Config, is_ebe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per seat ``(M,)``: the multiplier on an EBE's decision weight and the feedback factor.

    weight multiplier = 1 + authority_gain * experiential_authority (EBE seats, else 1);
    feedback factor = 1 - experiential_authority (feedback *to* an EBE, else 1).
    It has no state, so it is evaluated once per parameter point (``build_team``).
    """
    authority = cfg.organisation.experiential_authority
    weight = np.where(is_ebe, 1.0 + cfg.behaviour.authority_gain * authority, 1.0)
    feedback = np.where(is_ebe, 1.0 - authority, 1.0)
    return weight, feedback
