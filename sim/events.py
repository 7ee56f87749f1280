"""What happened in each replicate's latest week: the engine's event record.

The mechanisms write it and ``observe`` reads it; :class:`~sim.engine.Week` turns it
into the per-week story a ``TeamModel`` narrates. Like the state, events of one kind
share an array, a row per event.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.layout import (  # the kinds of feedback, re-exported as the events' public names
    ATTACK,
    CONTENT,
    FEEDBACK,
    REVIEW,
    SEAT_EVENT,
    WEEK_EVENT,
    WITHHELD,
)

__all__ = ["ATTACK", "CONTENT", "WITHHELD", "WeekEvents", "new_events"]


class WeekEvents(NamedTuple):
    """The latest week of every replicate."""

    week: np.ndarray             # (R, len(WEEK_EVENT)) float
    review: np.ndarray           # (R, len(REVIEW), M) float
    seat: np.ndarray             # (R, len(SEAT_EVENT), M) bool
    feedback: np.ndarray         # (R, len(FEEDBACK), M * M) int16: the week's events
    feedback_counts: np.ndarray  # (R, kind, toward an EBE) int; their sum is the number


def new_events(replicates: int, seats: int) -> WeekEvents:
    return WeekEvents(
        week=np.zeros((replicates, len(WEEK_EVENT))),
        review=np.zeros((replicates, len(REVIEW), seats)),
        seat=np.zeros((replicates, len(SEAT_EVENT), seats), bool),
        feedback=np.zeros((replicates, len(FEEDBACK), seats * seats), np.int16),
        feedback_counts=np.zeros((replicates, 3, 2), np.int64))
