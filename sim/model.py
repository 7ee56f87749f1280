"""``TeamModel``: one replicate of the batched engine as a Mesa model.

``TeamModel(config, seed=s, replicate=r)`` runs exactly the trajectory of replicate
``r`` in ``simulate(config)`` with root seed ``s`` (exact replay), one week per
``step()``. Agents are windows on the engine's state; reporters are small functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mesa
import numpy as np

from sim.agents import ExpertByExperience, Professional, Psychiatrist, TeamMember
from sim.compose import compose
from sim.config import EBE, Config, validate
from sim.engine import TeamEngine, Week
from sim.outcomes import OBSERVED, STATES
from sim.parameters import build_team

PROFESSIONAL_NAMES = ("Dr. Visser", "Mirjam", "Anouk", "Bram", "Fatima", "Joost", "Lotte",
                      "Daan", "Yusuf", "Ingrid", "Pieter", "Sanne", "Ruben", "Esra", "Tim",
                      "Marieke", "Koen", "Naima", "Wouter", "Iris")
EBE_NAMES = ("Sam", "Noor", "Kim", "Robin", "Alex", "Jip", "Charlie", "Sasha", "Lou", "Mo")


def reporter(name: str) -> Callable[[TeamModel], float]:
    """A model reporter for one ``OBSERVED`` variable of the current week."""
    def report(model: TeamModel) -> float:
        return model.observed[name]
    report.__name__ = name
    return report


class TeamModel(mesa.Model):
    """One team, week by week; ``config`` or Hydra ``overrides`` (not both)."""

    def __init__(self, config: Config | None = None, *, seed: int | None = None,
                 replicate: int = 0, overrides: Sequence[str] = ()):
        if config is not None and overrides:
            raise ValueError("pass either a config or overrides, not both")
        cfg = validate(config) if config is not None else compose(overrides)
        seed = cfg.run.seed if seed is None else int(seed)
        # Mesa's own generator gets a stream of its own (the engine never uses it)
        super().__init__(rng=np.random.SeedSequence(seed, spawn_key=(int(replicate), 2)))
        self.config, self.seed, self.replicate = cfg, seed, int(replicate)
        self.params = build_team(cfg)
        self.engine = TeamEngine(self.params, seed, [self.replicate])
        self.members: dict[int, TeamMember] = {}
        self.departed: list[ExpertByExperience] = []
        self._hired = 0
        for seat in range(self.params.seats):
            self._fill(seat)
        self.observed = self.observation()
        self.datacollector = mesa.DataCollector(
            model_reporters={name: reporter(name) for name in OBSERVED},
            agent_reporters={"perspective": "perspective", "stress": "stress"})
        self.datacollector.collect(self)

    @property
    def week(self) -> int:
        return self.engine.week

    @property
    def last_week(self) -> Week | None:
        """Events of the most recent week (None before the first step)."""
        return self.engine.last

    def observation(self) -> dict[str, float | str]:
        """Every ``OBSERVED`` variable of the current week (``state`` by its name)."""
        observed = dict(zip(OBSERVED, self.engine.observation[0].tolist(), strict=True))
        observed["state"] = STATES[int(observed["state"])]
        return observed

    def _fill(self, seat: int) -> TeamMember:
        role = self.params.roles[seat]
        if role == EBE:
            name = EBE_NAMES[self._hired % len(EBE_NAMES)]
            self._hired += 1
            member: TeamMember = ExpertByExperience(self, seat, name, role)
        elif seat == 0:
            member = Psychiatrist(self, seat, PROFESSIONAL_NAMES[0], role)
        else:
            member = Professional(self, seat, PROFESSIONAL_NAMES[seat % len(PROFESSIONAL_NAMES)],
                                  role)
        self.members[seat] = member
        return member

    def step(self) -> None:
        """Advance one week; EBEs who leave are removed and kept in ``departed``."""
        week = self.engine.step()
        for seat in week.exits[:, 0].nonzero()[0]:
            gone = self.members.pop(int(seat))
            gone.left_week = self.week
            self.departed.append(gone)
            gone.remove()
        for seat in week.hires[:, 0].nonzero()[0]:
            self._fill(int(seat))
        self.observed = self.observation()
        self.datacollector.collect(self)
        if self.week >= self.config.run.weeks:
            self.running = False
