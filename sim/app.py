"""Classroom view: one team, week by week, in the browser (Mesa SolaraViz).

Run with ``teamsim classroom`` (or ``solara run sim/app.py --production``). The sliders
are the levers a class plays with; they apply on Reset. The page shows the team drawn
as people (colour = perspective, lines = trust and unspoken irritation), plots of
perspectives, the EBEs' share of decisions and feedback, and a plain-language
narration of each week (:mod:`sim.narration`). A run of a finished study can be
replayed exactly by its study folder, point and replicate (:mod:`sim.replay`).

Built like the Mesa examples: a model class with scalar keyword arguments, a
``model_params`` dict of inputs, components ``callable(model) -> element`` and a
module-level ``page``.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import fields, replace

import matplotlib as mpl
import networkx as nx
import numpy as np
import solara
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from mesa.visualization import SolaraViz

from sim.compose import compose
from sim.config import EBE, Config, ConfigError, EBEConfig, OrganisationConfig, TeamConfig, validate
from sim.model import TeamModel
from sim.narration import introduce, narrate, role_label
from sim.replay import study_run

PRESSURES = ("calm", "normal", "high")  # the groups in configs/pressure/
EMPLOYMENT = ("employed", "external")
MAX_EBES = 5
DEFAULT_SEED = 20261123
REPLAY_ENV = ("TEAMSIM_REPLAY_STUDY", "TEAMSIM_REPLAY_POINT", "TEAMSIM_REPLAY_REPLICATE")
# Okabe & Ito (2008) colour-blind-safe palette; perspective uses cividis (Nuñez et al. 2018).
BLUE, ORANGE, VERMILLION, GREEN, GREY = "#0072B2", "#E69F00", "#D55E00", "#009E73", "#999999"
EBE_COLOURS = (VERMILLION, GREEN, ORANGE, "#CC79A7", "#56B4E9")
PERSPECTIVE_MAP = mpl.colormaps["cividis"]


@functools.cache
def base_config(pressure: str) -> Config:
    """The default team composed with one pressure level (``pressure=calm|normal|high``)."""
    if pressure not in PRESSURES:
        raise ConfigError(f"pressure = {pressure!r} is out of range: allowed one of "
                          + ", ".join(PRESSURES))
    return compose([f"pressure={pressure}"])


def parse_seed(seed: int | str) -> int:
    """The seed from a slider or a text box (text arrives as a string)."""
    try:
        return int(str(seed).strip())
    except ValueError:
        raise ConfigError(f"run.seed = {seed!r} is out of range: allowed a whole number "
                          f"in [0, {2**63 - 1}]") from None


def classroom_config(ebes: int = 1, pressure: str = "normal",
                     hierarchy_steepness: float = 1.0, experiential_authority: float = 0.0,
                     dialogue_culture: float = 0.2, intervision: float = 0.0,
                     professional_autonomy: float = 0.3, employment: str = "employed",
                     seed: int | str = DEFAULT_SEED) -> Config:
    """The classroom's scalar levers mapped onto a validated :class:`Config`."""
    base = base_config(pressure)
    return validate(replace(
        base,
        label="classroom",
        team=replace(base.team, hierarchy_steepness=float(hierarchy_steepness)),
        ebe=replace(base.ebe, count=int(ebes), employment=employment),
        organisation=replace(base.organisation,
                             experiential_authority=float(experiential_authority),
                             dialogue_culture=float(dialogue_culture),
                             intervision=float(intervision),
                             professional_autonomy=float(professional_autonomy)),
        run=replace(base.run, seed=parse_seed(seed)),
    ))


class ClassroomTeam(TeamModel):
    """A :class:`TeamModel` built from the classroom's levers, keeping a journal of weeks.

    If ``study`` is given, the levers are ignored and run ``replicate`` of ``point`` in
    that study is replayed exactly.
    """

    def __init__(self, ebes: int = 1, pressure: str = "normal",
                 hierarchy_steepness: float = 1.0, experiential_authority: float = 0.0,
                 dialogue_culture: float = 0.2, intervision: float = 0.0,
                 professional_autonomy: float = 0.3, employment: str = "employed",
                 seed: int | str = DEFAULT_SEED, study: str = "", point: str = "",
                 replicate: int | str = 0):
        if str(study).strip():
            run = study_run(str(study).strip(), str(point).strip(), replicate)
            super().__init__(run.config, seed=run.seed, replicate=run.replicate)
            self.title = f"Replay: point {run.point_id}, run {run.replicate}"
        else:
            super().__init__(classroom_config(
                ebes, pressure, hierarchy_steepness, experiential_authority,
                dialogue_culture, intervision, professional_autonomy, employment, seed))
            self.title = f"Seed {self.seed}"
        self.journal: list[list[str]] = [introduce(self)]

    def step(self) -> None:
        """One week, then its narration."""
        super().step()
        self.journal.append(narrate(self))


def slider(section: type, name: str, label: str, step: float) -> dict:
    """A float slider over a Config field's allowed range, starting at its default."""
    spec = next(f for f in fields(section) if f.name == name)
    lo, hi = spec.metadata["range"]
    return {"type": "SliderFloat", "label": label, "value": spec.default, "min": lo,
            "max": hi, "step": step}


model_params = {
    "ebes": {"type": "SliderInt", "label": "Number of EBEs", "value": EBEConfig.count,
             "min": 0, "max": MAX_EBES, "step": 1},
    "pressure": {"type": "Select", "label": "Pressure (caseload)", "value": "normal",
                 "values": list(PRESSURES)},
    "hierarchy_steepness": slider(TeamConfig, "hierarchy_steepness",
                                  "Knowledge hierarchy (steepness)", 0.1),
    "experiential_authority": slider(OrganisationConfig, "experiential_authority",
                                     "Experiential authority", 0.05),
    "dialogue_culture": slider(OrganisationConfig, "dialogue_culture",
                               "Dialogue (feedback culture)", 0.05),
    "intervision": slider(OrganisationConfig, "intervision", "Intervision", 0.05),
    "professional_autonomy": slider(OrganisationConfig, "professional_autonomy",
                                    "Professional autonomy", 0.05),
    "employment": {"type": "Select", "label": "EBE employed or external",
                   "value": EBEConfig.employment, "values": list(EMPLOYMENT)},
    "seed": {"type": "InputText", "label": "Seed", "value": str(DEFAULT_SEED)},
    "study": {"type": "InputText", "label": "Replay: study folder (empty = sliders)",
              "value": os.environ.get(REPLAY_ENV[0], "")},
    "point": {"type": "InputText", "label": "Replay: point",
              "value": os.environ.get(REPLAY_ENV[1], "")},
    "replicate": {"type": "InputText", "label": "Replay: run (replicate)",
                  "value": os.environ.get(REPLAY_ENV[2], "0")},
}


def seat_positions(model: TeamModel) -> dict[int, tuple[float, float]]:
    """Seats on a circle, final responsibility at the top, EBE seats following round."""
    seats = model.params.seats
    return {s: (math.cos(math.pi / 2 - 2 * math.pi * s / seats),
                math.sin(math.pi / 2 - 2 * math.pi * s / seats)) for s in range(seats)}


def team_graph(model: TeamModel) -> nx.Graph:
    """Present members as nodes; every pair as an edge with mutual trust and irritation."""
    graph = nx.Graph()
    for seat, member in model.members.items():
        graph.add_node(seat, member=member)
    members = list(model.members.values())
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            graph.add_edge(a.seat, b.seat,
                           trust=(a.trust_in(b) + b.trust_in(a)) / 2,
                           irritation=max(a.irritation_toward(b), b.irritation_toward(a)))
    return graph


def _label(ax, x: float, y: float, top: str, bottom: str, colour: str = "black") -> None:
    ax.text(x, y - 0.13, top, ha="center", va="top", fontsize=9, fontweight="bold",
            color=colour)
    ax.text(x, y - 0.23, bottom, ha="center", va="top", fontsize=8, color=colour)


def team_figure(model: TeamModel) -> Figure:
    """The team as people: node colour = perspective, shape = role, edges = relations."""
    fig = Figure(figsize=(6.4, 5.6), layout="constrained")
    ax = fig.add_subplot()
    pos = seat_positions(model)
    graph = team_graph(model)
    trust = [(u, v) for u, v, d in graph.edges(data=True)]
    nx.draw_networkx_edges(graph, pos, edgelist=trust, ax=ax, edge_color=GREY,
                           width=[0.3 + 3.0 * graph.edges[e]["trust"] ** 2 for e in trust],
                           alpha=0.5)
    irritated = [(u, v) for u, v, d in graph.edges(data=True) if d["irritation"] > 0.1]
    nx.draw_networkx_edges(graph, pos, edgelist=irritated, ax=ax, edge_color=VERMILLION,
                           style="dashed",
                           width=[1.0 + 8.0 * graph.edges[e]["irritation"] for e in irritated])
    for shape, is_ebe in (("o", False), ("D", True)):
        nodes = [s for s, m in model.members.items() if (m.role == EBE) == is_ebe]
        nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax, node_shape=shape,
                               node_size=520 if is_ebe else 600, cmap=PERSPECTIVE_MAP,
                               node_color=[model.members[s].perspective for s in nodes],
                               vmin=0.0, vmax=1.0, edgecolors="black",
                               linewidths=[2.5 if s == 0 else 1.0 for s in nodes])
    for seat, member in model.members.items():
        _label(ax, *pos[seat], member.name, role_label(member.role))
    vacant = [s for s in np.flatnonzero(model.params.is_ebe) if s not in model.members]
    for seat in vacant:
        ax.scatter(*pos[seat], s=520, marker="D", facecolors="none", edgecolors=GREY,
                   linestyles="dashed")
        _label(ax, *pos[seat], "vacant", "EBE post", GREY)
    for k, gone in enumerate(model.departed):
        x, y = -1.1 + 0.55 * (k % 5), -1.55 - 0.5 * (k // 5)
        ax.scatter(x, y, s=420, marker="D", color="#DDDDDD", edgecolors=GREY)
        _label(ax, x, y, gone.name, f"left week {gone.left_week}", GREY)
    fig.colorbar(mpl.cm.ScalarMappable(mpl.colors.Normalize(0, 1), PERSPECTIVE_MAP), ax=ax,
                 shrink=0.6, ticks=[0, 0.5, 1], label="perspective").ax.set_yticklabels(
                     ["0 system\nworld", "0.5", "1 life\nworld"])
    ax.legend(handles=[
        Line2D([], [], color=GREY, lw=2.5, label="trust (thicker = more)"),
        Line2D([], [], color=VERMILLION, lw=2, ls="--", label="unspoken irritation"),
        Line2D([], [], marker="o", ls="", mfc="white", mec="black", label="professional"),
        Line2D([], [], marker="D", ls="", mfc="white", mec="black", label="EBE"),
    ], loc="upper left", bbox_to_anchor=(-0.02, 1.02), fontsize=7, frameon=False)
    ax.set_title(f"Week {model.week} · {model.title}", fontsize=11)
    ax.set_xlim(-1.45, 1.45)
    rows = math.ceil(len(model.departed) / 5)
    ax.set_ylim(-1.45 - 0.5 * rows, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def _axes(title: str, ylabel: str) -> tuple[Figure, object]:
    fig = Figure(figsize=(6.0, 3.4), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11)
    ax.set_xlabel("week")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return fig, ax


def perspective_figure(model: TeamModel) -> Figure:
    """Each EBE's perspective against the professionals' mean and range."""
    fig, ax = _axes("Perspectives", "0 system world … 1 life world")
    agents = model.datacollector.get_agent_vars_dataframe().reset_index()
    pros = agents[agents["role"] != EBE].groupby("Step")["perspective"]
    low, high = pros.min(), pros.max()
    ax.fill_between(low.index, low, high, color=BLUE, alpha=0.15, label="professionals (range)")
    ax.plot(pros.mean(), color=BLUE, lw=2, label="professionals (mean)")
    ebes = agents[agents["role"] == EBE]
    for k, (_, one) in enumerate(ebes.groupby("AgentID", sort=True)):
        ax.plot(one["Step"], one["perspective"], color=EBE_COLOURS[k % len(EBE_COLOURS)],
                lw=2, label=f"{one['name'].iloc[0]} (EBE)")
    ax.set_ylim(0, 1)
    ax.set_xlim(0, max(model.week, 4))
    ax.legend(loc="lower left", fontsize=7, ncols=2)
    return fig


def share_figure(model: TeamModel) -> Figure:
    """Share of case-review decision weight carried by EBEs, against their headcount."""
    fig, ax = _axes("EBE voice in team decisions", "share of decisions")
    data = model.datacollector.get_model_vars_dataframe().iloc[1:]
    professionals = int((~model.params.is_ebe).sum())
    headcount = data["ebe_present"] / (data["ebe_present"] + professionals)
    ax.plot(data.index, data["experiential_share"], color=VERMILLION, lw=1.5,
            label="EBE share of decisions")
    ax.plot(data.index, headcount, color=GREY, lw=1.5, ls="--", label="EBE share of the team")
    ax.set_ylim(0, max(0.3, float(np.nanmax(data["experiential_share"], initial=0)) * 1.1))
    ax.set_xlim(0, max(model.week, 4))
    ax.legend(loc="upper right", fontsize=7)
    return fig


def feedback_figure(model: TeamModel) -> Figure:
    """Feedback given, held back and taken as a personal attack, as running totals."""
    fig, ax = _axes("Feedback so far", "times (running total)")
    totals = model.datacollector.get_model_vars_dataframe().cumsum()
    for name, label, colour, style in (
            ("feedback_given", "given", BLUE, "-"),
            ("feedback_withheld", "held back (unspoken)", ORANGE, "--"),
            ("feedback_attack", "taken as attack", VERMILLION, ":")):
        ax.plot(totals.index, totals[name], color=colour, ls=style, lw=2, label=label)
    ax.set_xlim(0, max(model.week, 4))
    ax.legend(loc="upper left", fontsize=7)
    return fig


def survival_status(model: TeamModel) -> str:
    """One line: is the experiential perspective still distinct?"""
    alive = model.datacollector.model_vars["survived"]
    start = model.engine.start[0]
    if start <= 0:
        return "No distinct experiential perspective in this team."
    lost = next((week for week, ok in enumerate(alive) if not ok), None)
    gap = model.observation()["distinctiveness"]
    if lost is None:
        return (f"Perspective alive: EBE–team gap {gap:.2f} (start {start:.2f}; "
                f"lost below {model.config.run.survival_fraction * start:.2f}).")
    return f"Perspective lost in week {lost}: EBE–team gap now {gap:.2f} (start {start:.2f})."


def TeamView(model: TeamModel):
    return solara.FigureMatplotlib(team_figure(model), format="png")


def Perspectives(model: TeamModel):
    return solara.FigureMatplotlib(perspective_figure(model), format="png")


def DecisionShare(model: TeamModel):
    return solara.FigureMatplotlib(share_figure(model), format="png")


def FeedbackPlot(model: TeamModel):
    return solara.FigureMatplotlib(feedback_figure(model), format="png")


def Narration(model: TeamModel):
    """What happened, newest week first, in plain language."""
    with solara.Column(gap="4px", style={"height": "100%", "overflow-y": "auto",
                                         "padding": "8px"}) as pane:
        solara.Text(survival_status(model), style={"font-weight": "bold"})
        for week in reversed(model.journal[-30:]):
            for line in week:
                solara.Text(line, classes=["narration"])
    return pane


model = ClassroomTeam(**{name: spec["value"] for name, spec in model_params.items()})
page = SolaraViz(
    model,
    components=[(TeamView, 0), (Narration, 0), (Perspectives, 0), (DecisionShare, 0),
                (FeedbackPlot, 0)],
    model_params=model_params,
    name="teamsim classroom: experts by experience in a FACT team",
)
