"""``ClassroomTeam``: the team a class watches, with its story and its running counts.

A :class:`~sim.model.TeamModel` built from the classroom's levers (or replaying one run
of a study), which keeps what the page shows beside the model's own record: the
narrated journal of every week, everyone's view per week, and the running counts of
feedback that a lesson quotes. It adds no behaviour: every number comes from the
model's public API (``datacollector``, ``observation()``, ``last_week``, agents).
"""

from __future__ import annotations

import textwrap
import threading
from typing import Any

import mesa
import pandas as pd

from experiments.classroom.levers import DEFAULT_SEED, classroom_config, levers_of
from experiments.classroom.narration import AuthorityMarks, introduce, narrate, role_label
from experiments.classroom.replay import ReplayError, StudyRun, study_run
from sim.config import EBE, ConfigError
from sim.model import TeamModel

#: Running counts the page shows (sums over the weeks so far), so that a lesson's numbers
#: can be checked: words -> the weekly variable summed (:data:`sim.outcomes.WEEKLY`).
COUNTS = {
    "feedback given": "feedback_given",
    "held back": "feedback_withheld",
    "taken as an attack": "feedback_attack",
    "given to EBEs": "feedback_given_to_ebe",
    "held back from EBEs": "feedback_withheld_to_ebe",
    "open conversations": "dialogue",
    "critiques raised": "critique_raised",
    "taken up": "critique_accepted",
    "professionals left": "professional_exits",
    "newcomers": "professional_hires",
}


class ClassroomTeam(TeamModel):
    """A team built from the classroom's levers, keeping a journal of its weeks.

    ``levers`` are the keywords of :data:`~experiments.classroom.levers.LEVERS`; a lever
    left at ``None`` keeps the model's default. If ``study`` is given, the levers
    are ignored and run ``replicate`` of ``point`` in that study is replayed exactly.
    Input that cannot be used (a seed that is not a number, an unknown study point) does
    not break the page: the default team is built instead and ``problem`` holds the
    error, which names the setting and the allowed values. ``scenario`` is what Mesa
    3.5's Reset passes beside the page's inputs (the model's
    ``mesa.experimental.scenarios.Scenario``); the inputs alone set the team, so it is
    not used.
    """

    def __init__(self, team: str = "fact", pressure: str = "normal",
                 seed: int | str = DEFAULT_SEED, study: str = "", point: str = "",
                 replicate: int | str = 0, scenario: object = None, **levers: Any):
        self.problem: str | None = None
        self.replay: StudyRun | None = None
        try:
            if str(study).strip():
                run = self.replay = study_run(str(study).strip(), str(point).strip(),
                                              replicate)
                name = textwrap.shorten(run.name, 48, placeholder="…")
                title = f"Replay: {name} · run {run.replicate}"
            else:
                cfg = classroom_config(team, pressure, seed, **levers)
                run = StudyRun(cfg, seed=cfg.run.seed, replicate=0, point_id="classroom")
                title = f"Seed {run.seed}"
        except (ConfigError, ReplayError) as err:
            cfg = classroom_config()
            run = StudyRun(cfg, seed=cfg.run.seed, replicate=0, point_id="classroom")
            title, self.problem, self.replay = "default team (settings not applied)", str(err), None
        super().__init__(run.config, seed=run.seed, replicate=run.replicate)
        self.title = title
        self.journal: list[list[str]] = [introduce(self)]
        self.marks = AuthorityMarks(self)
        self.people = mesa.DataCollector(agent_reporters={
            "name": "name", "role": "role", "perspective": "perspective",
            "authority": lambda member: getattr(member, "authority", None)})
        self.people.collect(self)
        self._stepping = threading.Lock()  # the page's play loop runs in a thread

    @property
    def levers(self) -> dict:
        """The page's inputs that describe this team (a replay shows its own settings)."""
        return levers_of(self.config)

    def step(self) -> None:
        """One week, then its narration and everyone's view; nothing after the horizon."""
        with self._stepping:
            if not self.running:
                return
            super().step()
            self.journal.append(narrate(self, self.marks))
            self.people.collect(self)

    def run_until_lost(self) -> None:
        """Step until the perspective is not alive (or the run ends)."""
        while self.running and self.observation()["alive"]:
            self.step()

    def counts(self) -> dict[str, int]:
        """Every :data:`COUNTS` entry summed over the weeks so far."""
        weeks = self.datacollector.model_vars
        return {label: int(sum(weeks[name])) for label, name in COUNTS.items()}

    def states(self) -> list[str]:
        """The state of the perspective in every week so far (week 0 first)."""
        return list(self.datacollector.model_vars["state"])

    def table(self) -> pd.DataFrame:
        """One row per week: the settings (as BehaviorSpace's table output has them), every
        observed variable, each member's view, each EBE's authority and the week's
        narration."""
        weeks = self.datacollector.get_model_vars_dataframe().rename_axis("week").reset_index()
        people = self.people.get_agent_vars_dataframe().reset_index()
        first = people.drop_duplicates("AgentID").set_index("AgentID")
        views = people.pivot_table(index="Step", columns="AgentID", values="perspective")
        views.columns = [f"view of {first.at[i, 'name']} ({role_label(first.at[i, 'role'])})"
                         for i in views.columns]
        ebes = people[people["role"] == EBE]
        authority = ebes.pivot_table(index="Step", columns="AgentID", values="authority",
                                     dropna=False).reindex(views.index)
        authority.columns = [f"authority of {first.at[i, 'name']}" for i in authority.columns]
        settings = pd.DataFrame([self.levers] * len(weeks))
        story = pd.Series([" ".join(lines) for lines in self.journal], name="what happened")
        return pd.concat([settings, weeks, views.reset_index(drop=True),
                          authority.reset_index(drop=True), story], axis=1)
