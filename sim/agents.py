"""Team members as Mesa agents.

Unlike the agents of Mesa's examples, these hold no behaviour and no state of their own:
an agent is a window on one seat of the engine's arrays (replicate 0 of a
:class:`~sim.model.TeamModel`). The mechanisms run in the compiled engine
(:mod:`sim.engine`), on arrays, for speed and exact replay; every attribute here reads
those arrays, so agents and engine can never disagree. Roles follow the ethnography of
FACT teams (seed 004): a psychiatrist with final responsibility, other disciplines, and
experts by experience.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from sim.layout import ALLY, MEMBER, RETAINS

if TYPE_CHECKING:
    from sim.model import TeamModel


class TeamMember(mesa.Agent):
    """A member of the team in seat ``seat``."""

    model: TeamModel
    left_week: int | None = None

    def __init__(self, model: TeamModel, seat: int, name: str, role: str):
        super().__init__(model)
        self.seat = seat
        self.name = name
        self.role = role
        self.joined_week = model.week

    def _state(self, name: str) -> float:
        if self.left_week is not None:      # the seat may hold a newcomer by now
            return self._last[name]
        return float(getattr(self.model.engine.state, name)[0, self.seat])

    def leave(self, week: int) -> None:
        """Leave the team in ``week``: keep the last values, then stop reading the seat."""
        self._last = {name: self._state(name) for name in MEMBER}
        self._last_trust = self.model.engine.state.trust[0, self.seat].copy()
        self._last_irritation = self.model.engine.state.irritation[0, self.seat].copy()
        self._last_trained = bool(self.model.engine.state.trained[0, self.seat])
        self.left_week = week
        self.remove()

    @property
    def perspective(self) -> float:
        """1 = life-world, recovery-oriented, experiential; 0 = system world, risk control."""
        return self._state("perspective")

    @property
    def anchor(self) -> float:
        """The view this member is pulled back to (training, or lived experience)."""
        return self._state("anchor")

    @property
    def anchor_strength(self) -> float:
        """Base weekly pull back to the anchor (how firmly the member holds it)."""
        return self._state("anchor_strength")

    @property
    def hierarchy_weight(self) -> float:
        """Weight of this member's voice at the case review (knowledge hierarchy)."""
        return float(self.model.params.hierarchy[self.seat])

    @property
    def feedback_tolerance(self) -> float:
        """Chance that feedback is taken as about the work rather than as an attack."""
        return self._state("feedback_tolerance")

    @property
    def stress(self) -> float:
        return self._state("stress")

    @property
    def tenure(self) -> int:
        """Weeks in this team."""
        return int(self._state("tenure"))

    def trust_in(self, other: TeamMember) -> float:
        """How much this member trusts ``other`` (at leaving, for a member who left)."""
        if self.left_week is not None:
            return float(self._last_trust[other.seat])
        return float(self.model.engine.state.trust[0, self.seat, other.seat])

    def irritation_toward(self, other: TeamMember) -> float:
        """Unspoken irritation this member holds toward ``other`` (at leaving, if gone)."""
        if self.left_week is not None:
            return float(self._last_irritation[other.seat])
        return float(self.model.engine.state.irritation[0, self.seat, other.seat])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, seat={self.seat})"


class Professional(TeamMember):
    """A professional of a discipline (nurse, psychologist, social worker, ...)."""

    @property
    def discipline(self) -> str:
        return self.role

    @property
    def ally(self) -> bool:
        """Brings lived experience of their own into the team (``team.ally_share``)."""
        return bool(self.model.params.parameters.seat[0, ALLY, self.seat])


class Psychiatrist(Professional):
    """The professional carrying final responsibility (seed 004)."""


class ExpertByExperience(TeamMember):
    """An EBE: brings lived experience and the life-world perspective (seeds 001-003)."""

    @property
    def authority(self) -> float:
        """Experiential authority, earned and lost (0..1; ``experiential_authority``)."""
        return self._state("authority")

    @property
    def retains(self) -> bool:
        """Keeps the experience perspective, as observed this week (ODD 7.14)."""
        return self.left_week is None and bool(self.model.engine.events.seat[0, RETAINS,
                                                                             self.seat])

    @property
    def seniority(self) -> int:
        """Weeks of experience as an EBE."""
        return int(self._state("seniority"))

    @property
    def trained(self) -> bool:
        if self.left_week is not None:
            return self._last_trained
        return bool(self.model.engine.state.trained[0, self.seat])

    @property
    def employment(self) -> str:
        """'employed' by the organisation, or 'external'."""
        return self.model.config.ebe.employment

    @property
    def production(self) -> float:
        """Share of time pulled into regular caseload work (non-peer tasks)."""
        return self._state("production")
