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
NEWCOMER_NAMES = ("Lisa", "Hamza", "Eva", "Thijs", "Meryem", "Jeroen", "Femke", "Omar", "Julia",
                  "Sem", "Amira", "Niels")


def numbered(names: Sequence[str], i: int) -> str:
    """The ``i``-th name of ``names``, numbered from the second round on ('Sam 2')."""
    return names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")


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
        self.departed: list[TeamMember] = []
        self._hired = self._newcomers = 0
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
        """A member for ``seat``: the first team, then newcomers under new names."""
        role = self.params.roles[seat]
        if role == EBE:
            name = numbered(EBE_NAMES, self._hired)
            self._hired += 1
            member: TeamMember = ExpertByExperience(self, seat, name, role)
        elif self.week == 0:
            names = PROFESSIONAL_NAMES
            kind = Psychiatrist if seat == 0 else Professional
            member = kind(self, seat, names[0] if seat == 0 else names[seat % len(names)], role)
        else:   # a newcomer, or a locum in the final-responsibility seat
            name = numbered(NEWCOMER_NAMES, self._newcomers)
            self._newcomers += 1
            member = (Psychiatrist(self, seat, f"{name} (locum)", role) if seat == 0
                      else Professional(self, seat, name, role))
        self.members[seat] = member
        return member

    def step(self) -> None:
        """Advance one week; members who leave are removed and kept in ``departed``, and
        newcomers join the seats filled this week."""
        week = self.engine.step()
        for seat in week.exits[:, 0].nonzero()[0]:
            gone = self.members.pop(int(seat))
            gone.leave(self.week)
            self.departed.append(gone)
        for seat in week.hires[:, 0].nonzero()[0]:
            self._fill(int(seat))
        self.observed = self.observation()
        self.datacollector.collect(self)
        if self.week >= self.config.run.weeks:
            self.running = False
