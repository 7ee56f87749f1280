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
import textwrap
import warnings
from dataclasses import fields, replace

import matplotlib as mpl
import mesa
import networkx as nx
import numpy as np
import solara
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from sim.compose import compose
from sim.config import EBE, Config, ConfigError, ebe_count, validate
from sim.model import TeamModel
from sim.narration import introduce, narrate, role_label
from sim.replay import REPLAY_ENV, ReplayError, StudyRun, study_run

with warnings.catch_warnings():  # Mesa 3.3.1's ComponentsView trips Solara's hook linter
    warnings.filterwarnings("ignore", "(?s).*ComponentsView: `use_state` found despite early")
    from mesa.visualization import SolaraViz

PRESSURES = ("calm", "normal", "high")  # the groups in configs/pressure/
MAX_EBES = 5
DEFAULT_SEED = 20261123
# Colour-blind-safe: Okabe & Ito (2008) palette; perspective on viridis (van der Walt & Smith).
BLUE, ORANGE, VERMILLION, GREEN, GREY = "#0072B2", "#E69F00", "#D55E00", "#009E73", "#999999"
EBE_COLOURS = (VERMILLION, GREEN, ORANGE, "#CC79A7", "#56B4E9")
PERSPECTIVE_MAP = mpl.colormaps["viridis"]
DPI = 130  # sharp images in a grid cell of ~450 px
IRRITATION_SHOWN = 0.2  # unspoken irritation drawn above this level (0..1)


# The classroom's levers: keyword -> (config section, field). Everything else keeps the
# composed default (configs/config.yaml with the chosen pressure group).
LEVERS = {
    "ebes": ("ebe", "count"),
    "hierarchy_steepness": ("team", "hierarchy_steepness"),
    "experiential_authority": ("organisation", "experiential_authority"),
    "dialogue_culture": ("organisation", "dialogue_culture"),
    "intervision": ("organisation", "intervision"),
    "professional_autonomy": ("organisation", "professional_autonomy"),
    "employment": ("ebe", "employment"),
}


@functools.cache
def base_config(pressure: str = "normal") -> Config:
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


def classroom_config(pressure: str = "normal", seed: int | str = DEFAULT_SEED,
                     **levers: float | str | None) -> Config:
    """The classroom's scalar levers mapped onto a validated :class:`Config`.

    ``levers`` are keywords of :data:`LEVERS`; ``None`` keeps the composed default.
    """
    unknown = sorted(set(levers) - set(LEVERS))
    if unknown:
        raise ConfigError(f"lever {unknown[0]!r} is unknown: allowed " + ", ".join(LEVERS))
    base = base_config(pressure)
    changes: dict[str, dict] = {}
    for name, value in levers.items():
        if value is not None:
            section, field = LEVERS[name]
            changes.setdefault(section, {})[field] = value
    sections = {name: replace(getattr(base, name), **values) for name, values in changes.items()}
    return validate(replace(base, label="classroom", run=replace(base.run, seed=parse_seed(seed)),
                            **sections))


def classroom_run(cfg: Config) -> StudyRun:
    """A classroom team is replicate 0 of its config's seed."""
    return StudyRun(cfg, seed=cfg.run.seed, replicate=0, point_id="classroom")


class ClassroomTeam(TeamModel):
    """A :class:`TeamModel` built from the classroom's levers, keeping a journal of weeks.

    A lever left at ``None`` keeps the model's default. If ``study`` is given, the levers
    are ignored and run ``replicate`` of ``point`` in that study is replayed exactly.
    Input that cannot be used (a seed that is not a number, an unknown study point) does
    not break the page: the default team is built instead and ``problem`` holds the
    error, which names the field and the allowed values.
    """

    def __init__(self, ebes: int | None = None, pressure: str = "normal",
                 hierarchy_steepness: float | None = None,
                 experiential_authority: float | None = None,
                 dialogue_culture: float | None = None, intervision: float | None = None,
                 professional_autonomy: float | None = None, employment: str | None = None,
                 seed: int | str = DEFAULT_SEED, study: str = "", point: str = "",
                 replicate: int | str = 0):
        self.problem: str | None = None
        try:
            if str(study).strip():
                run = study_run(str(study).strip(), str(point).strip(), replicate)
                point = textwrap.shorten(run.description or run.point_id, 40, placeholder="…")
                title = f"Replay: {point} · run {run.replicate}"
            else:
                run = classroom_run(classroom_config(
                    pressure, seed, ebes=ebes, hierarchy_steepness=hierarchy_steepness,
                    experiential_authority=experiential_authority,
                    dialogue_culture=dialogue_culture, intervision=intervision,
                    professional_autonomy=professional_autonomy, employment=employment))
                title = f"Seed {run.seed}"
        except (ConfigError, ReplayError) as err:
            run = classroom_run(classroom_config())
            title, self.problem = "default team (settings not applied)", str(err)
        super().__init__(run.config, seed=run.seed, replicate=run.replicate)
        self.title = title
        self.journal: list[list[str]] = [introduce(self)]
        self.people = mesa.DataCollector(agent_reporters={
            "name": "name", "role": "role", "perspective": "perspective"})
        self.people.collect(self)

    def step(self) -> None:
        """One week, then its narration and everyone's view."""
        super().step()
        self.journal.append(narrate(self))
        self.people.collect(self)


def describe(cfg: Config) -> str:
    """The levers a model was built with, in one line (sliders apply only on Reset)."""
    org = cfg.organisation
    ebes = ebe_count(cfg)
    return (f"{ebes} EBE{'' if ebes == 1 else 's'} ({cfg.ebe.employment}) · pressure "
            f"{cfg.workload.name} · hierarchy {cfg.team.hierarchy_steepness:.1f} · experiential "
            f"authority {org.experiential_authority:.2f} · dialogue {org.dialogue_culture:.2f} · "
            f"intervision {org.intervision:.2f} · autonomy {org.professional_autonomy:.2f}")


def lever(name: str) -> tuple[object, dict]:
    """A lever's default value (composed config) and its schema metadata."""
    section, field = LEVERS[name]
    part = getattr(base_config(), section)
    spec = next(f for f in fields(part) if f.name == field)
    return getattr(part, field), spec.metadata


def slider(name: str, label: str, step: float, top: float | None = None) -> dict:
    """A slider over the lever's allowed range (or up to ``top``), at its default."""
    value, meta = lever(name)
    lo, hi = meta["range"]
    return {"type": "SliderInt" if isinstance(value, int) else "SliderFloat", "label": label,
            "value": value, "min": lo, "max": hi if top is None else top, "step": step}


def choice(name: str, label: str) -> dict:
    """A drop-down of the lever's allowed choices, at its default."""
    value, meta = lever(name)
    return {"type": "Select", "label": label, "value": value, "values": list(meta["choices"])}


model_params = {
    "ebes": slider("ebes", "Number of EBEs", 1, top=MAX_EBES),
    "pressure": {"type": "Select", "label": "Pressure (caseload)", "value": "normal",
                 "values": list(PRESSURES)},
    "hierarchy_steepness": slider("hierarchy_steepness", "Knowledge hierarchy (steepness)",
                                  0.1),
    "experiential_authority": slider("experiential_authority", "Experiential authority", 0.05),
    "dialogue_culture": slider("dialogue_culture", "Dialogue (feedback culture)", 0.05),
    "intervision": slider("intervision", "Intervision", 0.05),
    "professional_autonomy": slider("professional_autonomy", "Professional autonomy", 0.05),
    "employment": choice("employment", "EBE employed or external"),
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


def _label(ax, x: float, y: float, text: str, colour: str = "black") -> None:
    """A member's name and role, outside the circle of seats."""
    ha = "left" if x > 0.2 else "right" if x < -0.2 else "center"
    va = "bottom" if y > 0.2 else "top" if y < -0.2 else "center"
    ax.text(1.16 * x, 1.16 * y, text, ha=ha, va=va, fontsize=8, color=colour,
            linespacing=1.05)


def team_figure(model: ClassroomTeam) -> Figure:
    """The team as people: node colour = perspective, shape = role, edges = relations."""
    fig = Figure(figsize=(5.2, 3.9), layout="constrained")
    ax = fig.add_subplot()
    pos = seat_positions(model)
    graph = team_graph(model)
    pairs = list(graph.edges)
    nx.draw_networkx_edges(graph, pos, edgelist=pairs, ax=ax, edge_color=GREY, alpha=0.6,
                           width=[0.3 + 2.5 * graph.edges[e]["trust"] ** 2 for e in pairs])
    tense = [e for e in pairs if graph.edges[e]["irritation"] > IRRITATION_SHOWN]
    nx.draw_networkx_edges(graph, pos, edgelist=tense, ax=ax, edge_color=VERMILLION,
                           style="dashed",
                           width=[5.0 * graph.edges[e]["irritation"] for e in tense])
    for shape, is_ebe in (("o", False), ("D", True)):
        nodes = [s for s, m in model.members.items() if (m.role == EBE) == is_ebe]
        nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax, node_shape=shape,
                               node_size=420 if is_ebe else 500, cmap=PERSPECTIVE_MAP,
                               node_color=[model.members[s].perspective for s in nodes],
                               vmin=0.0, vmax=1.0, edgecolors="black",
                               linewidths=[2.5 if s == 0 else 1.0 for s in nodes])
    for seat, member in model.members.items():
        _label(ax, *pos[seat], f"{member.name}\n{role_label(member.role)}")
    for seat in np.flatnonzero(model.params.is_ebe):
        if seat not in model.members:
            ax.scatter(*pos[seat], s=420, marker="D", facecolors="none", edgecolors=GREY,
                       linestyles="dashed")
            _label(ax, *pos[seat], "vacant\nEBE post", GREY)
    for k, gone in enumerate(model.departed):
        x, y = -1.2 + 0.6 * (k % 5), -1.75 - 0.55 * (k // 5)
        ax.scatter(x, y, s=360, marker="D", color="#DDDDDD", edgecolors=GREY)
        ax.text(x, y - 0.12, f"{gone.name}\nleft week {gone.left_week}", ha="center",
                va="top", fontsize=7, color="#666666")
    fig.colorbar(mpl.cm.ScalarMappable(mpl.colors.Normalize(0, 1), PERSPECTIVE_MAP), ax=ax,
                 shrink=0.55, aspect=25, ticks=[0, 0.5, 1], label="perspective"
                 ).ax.set_yticklabels(
                     ["0 system\nworld", "0.5", "1 life\nworld"])
    ax.legend(handles=[
        Line2D([], [], color=GREY, lw=2.5, label="trust (thicker = more)"),
        Line2D([], [], color=VERMILLION, lw=2, ls="--", label="unspoken irritation"),
        Line2D([], [], marker="o", ls="", mfc="white", mec="black", label="professional"),
        Line2D([], [], marker="D", ls="", mfc="white", mec="black", label="EBE"),
    ], loc="upper left", bbox_to_anchor=(-0.08, 1.04), fontsize=6.5, frameon=False)
    fig.suptitle(f"Week {model.week} · {model.title}", fontsize=10)
    rows = math.ceil(len(model.departed) / 5)
    ax.set_xlim(-2.0, 2.0)
    ax.set_ylim(-1.45 - 0.55 * rows, 1.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def _style(ax, title: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("week")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)


def _axes(title: str, ylabel: str) -> tuple[Figure, object]:
    fig = Figure(figsize=(5.0, 2.9), layout="constrained")
    ax = fig.add_subplot()
    _style(ax, title, ylabel)
    return fig, ax


def perspective_figure(model: ClassroomTeam) -> Figure:
    """Each EBE's perspective against the professionals' mean and range."""
    fig, ax = _axes("Perspectives", "0 system world … 1 life world")
    agents = model.people.get_agent_vars_dataframe().reset_index()
    pros = agents[agents["role"] != EBE].groupby("Step")["perspective"]
    low, high = pros.min(), pros.max()
    ax.fill_between(low.index, low, high, color=BLUE, alpha=0.15, label="professionals (range)")
    ax.plot(pros.mean(), color=BLUE, lw=2, marker="o", ms=4, markevery=[-1],
            label="professionals (mean)")
    ebes = agents[agents["role"] == EBE]
    for k, (_, one) in enumerate(ebes.groupby("AgentID", sort=True)):
        ax.plot(one["Step"], one["perspective"], color=EBE_COLOURS[k % len(EBE_COLOURS)],
                lw=2, marker="D", ms=4, markevery=[-1], label=f"{one['name'].iloc[0]} (EBE)")
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
    share = data["experiential_share"]
    ax.plot(data.index, share, color=VERMILLION, lw=1.5, marker=".", ms=4,
            label="EBE share of decisions")
    ax.plot(data.index, headcount, color=GREY, lw=1.5, ls="--", label="EBE share of the team")
    ax.set_ylim(0, max(0.3, 1.1 * share.max()) if len(share) else 0.3)
    ax.set_xlim(0, max(model.week, 4))
    ax.legend(loc="upper right", fontsize=7)
    return fig


FEEDBACK = (("given", BLUE, "-"), ("held back (unspoken)", ORANGE, "--"),
            ("taken as attack", VERMILLION, ":"))


def feedback_figure(model: TeamModel) -> Figure:
    """Feedback given, held back and taken as an attack: in the team and toward EBEs."""
    fig = Figure(figsize=(5.0, 2.9), layout="constrained")
    team, to_ebe = fig.subplots(1, 2)
    totals = model.datacollector.get_model_vars_dataframe().cumsum()
    panels = ((team, "Feedback in the team", ("feedback_given", "feedback_withheld",
                                              "feedback_attack")),
              (to_ebe, "… of which to EBEs", ("feedback_given_to_ebe",
                                                "feedback_withheld_to_ebe")))
    for ax, title, names in panels:
        _style(ax, title, "times so far" if ax is team else "")
        for name, (label, colour, style) in zip(names, FEEDBACK, strict=False):
            ax.plot(totals.index, totals[name], color=colour, ls=style, lw=2, label=label)
        ax.set_xlim(0, max(model.week, 4))
        ax.set_ylim(0, max(5.0, 1.05 * totals[list(names)].to_numpy().max()))
    team.legend(loc="upper left", fontsize=7)
    return fig


def survival_status(model: TeamModel) -> str:
    """One line: is the experiential perspective still alive, and in whom?"""
    if model.engine.gap[0] <= 0:
        return "No distinct experiential perspective in this team."
    alive = model.datacollector.model_vars["alive"]
    lost = next((week for week, ok in enumerate(alive) if not ok), None)
    state = model.observation()["state"]
    now = {"retained": "alive: an EBE keeps it", "diffused": "alive: the team carries it",
           "assimilated": "lost: the EBEs took on the team's colour",
           "vacant": "lost: no EBE is left"}[state]
    first = "" if lost is None else f" (first lost in week {lost})"
    return f"Perspective {now}{first}; EBE–team gap {model.observation()['distinctiveness']:.2f}."


def TeamView(model: ClassroomTeam):
    """The team drawn as people."""
    return solara.FigureMatplotlib(team_figure(model), format="png", dpi=DPI)


def Perspectives(model: ClassroomTeam):
    """Perspectives of EBEs and professionals over the weeks."""
    return solara.FigureMatplotlib(perspective_figure(model), format="png", dpi=DPI)


def DecisionShare(model: ClassroomTeam):
    """The EBEs' share of team decisions."""
    return solara.FigureMatplotlib(share_figure(model), format="png", dpi=DPI)


def FeedbackPlot(model: ClassroomTeam):
    """Feedback given, held back and taken as an attack."""
    return solara.FigureMatplotlib(feedback_figure(model), format="png", dpi=DPI)


def Narration(model: ClassroomTeam):
    """What happened, newest week first, in plain language."""
    with solara.Column(gap="4px", style={"height": "100%", "overflow-y": "auto",
                                         "padding": "8px"}) as pane:
        if model.problem:
            solara.Error(f"Not applied: {model.problem}. Showing the default team.")
        solara.Text(survival_status(model), style={"font-weight": "bold"}, classes=["status"])
        solara.Text(describe(model.config), style={"color": "#555", "font-size": "0.85em"},
                    classes=["settings"])
        for week in reversed(model.journal[-30:]):
            for line in week:
                solara.Text(line, classes=["narration"])
    return pane


components = [(TeamView, 0), (Narration, 0), (Perspectives, 0), (DecisionShare, 0),
              (FeedbackPlot, 0)]


def classroom_page(model: ClassroomTeam):
    """The SolaraViz page (controls, levers, team, narration, plots) for ``model``."""
    return SolaraViz(model, components=components, model_params=model_params,
                     name="teamsim classroom: experts by experience in a FACT team")


model = ClassroomTeam(**{name: spec["value"] for name, spec in model_params.items()})
page = classroom_page(model)
