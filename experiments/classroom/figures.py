"""The classroom's drawings: the team as people, and the weeks so far as plots.

Each function takes a :class:`~experiments.classroom.team.ClassroomTeam` and returns a
matplotlib ``Figure`` (drawn off-screen, no pyplot state), so the page and the tests
draw the same pictures. Members are drawn from ``model.members`` whatever their number
or role; a seat without a member is a vacant post and anyone who left is greyed out, so
newcomers and leavers of any role show without change here. Colours: Okabe & Ito's
colour-blind-safe palette; perspective on viridis (van der Walt & Smith).
"""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

import matplotlib as mpl
import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from experiments.classroom.narration import role_label
from sim.config import EBE

if TYPE_CHECKING:
    from experiments.classroom.team import ClassroomTeam
    from sim.agents import TeamMember

BLUE, ORANGE, VERMILLION, GREEN, GREY = "#0072B2", "#E69F00", "#D55E00", "#009E73", "#999999"
SKY, PURPLE = "#56B4E9", "#CC79A7"
EBE_COLOURS = (VERMILLION, GREEN, ORANGE, PURPLE, SKY)
#: One colour per state of the perspective (:data:`sim.outcomes.STATES`).
STATE_COLOURS = {"retained": GREEN, "diffused": SKY, "assimilated": ORANGE, "vacant": GREY}
PERSPECTIVE_MAP = mpl.colormaps["viridis"]
DPI = 110
IRRITATION_SHOWN = 0.2  # unspoken irritation drawn above this level (0..1)
DEPARTED_SHOWN = 5      # people who left, newest first; older ones are counted


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def seat_positions(model: ClassroomTeam) -> dict[int, tuple[float, float]]:
    """Seats on a circle, final responsibility at the top, EBE seats following round."""
    seats = model.params.seats
    return {s: (math.cos(math.pi / 2 - 2 * math.pi * s / seats),
                math.sin(math.pi / 2 - 2 * math.pi * s / seats)) for s in range(seats)}


def team_graph(model: ClassroomTeam) -> nx.Graph:
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


def member_label(member: TeamMember) -> str:
    """'Noor\\nEBE, since week 40': name, role and, for a newcomer, the week they came."""
    role = role_label(member.role)
    return f"{member.name}\n{role}" + (f", since week {member.joined_week}"
                                       if member.joined_week > 0 else "")


def crowding(model: ClassroomTeam) -> float:
    """1 for a team of up to 12 seats, smaller for larger teams (nodes and labels shrink)."""
    return min(1.0, 12 / model.params.seats)


def _label(ax, x: float, y: float, text: str, size: float, colour: str = "black") -> None:
    """A label outside the circle of seats."""
    ha = "left" if x > 0.05 else "right" if x < -0.05 else "center"
    va = "bottom" if y > 0.2 else "top" if y < -0.2 else "center"
    ax.text(1.17 * x, 1.17 * y, text, ha=ha, va=va, fontsize=size, color=colour,
            linespacing=1.05)


def _edges(ax, graph: nx.Graph, pos: dict) -> None:
    pairs = list(graph.edges)
    nx.draw_networkx_edges(graph, pos, edgelist=pairs, ax=ax, edge_color=GREY, alpha=0.6,
                           width=[0.3 + 2.5 * graph.edges[e]["trust"] ** 2 for e in pairs])
    tense = [e for e in pairs if graph.edges[e]["irritation"] > IRRITATION_SHOWN]
    nx.draw_networkx_edges(graph, pos, edgelist=tense, ax=ax, edge_color=VERMILLION,
                           style="dashed",
                           width=[5.0 * graph.edges[e]["irritation"] for e in tense])


def _people(ax, model: ClassroomTeam, graph: nx.Graph, pos: dict) -> None:
    final = model.config.team.final_responsibility
    scale = crowding(model)
    size = 8 * scale ** 0.5
    for shape, is_ebe in (("o", False), ("D", True)):
        seats = [s for s, m in model.members.items() if (m.role == EBE) == is_ebe]
        nx.draw_networkx_nodes(graph, pos, nodelist=seats, ax=ax, node_shape=shape,
                               node_size=(400 if is_ebe else 480) * scale,
                               cmap=PERSPECTIVE_MAP,
                               node_color=[model.members[s].perspective for s in seats],
                               vmin=0.0, vmax=1.0, edgecolors="black",
                               linewidths=[2.5 if model.members[s].role == final else 1.0
                                           for s in seats])
    for seat, member in model.members.items():
        _label(ax, *pos[seat], member_label(member), size)
    for seat in range(model.params.seats):
        if seat not in model.members:
            role = model.params.roles[seat]
            ax.scatter(*pos[seat], s=420 * scale, marker="D" if role == EBE else "o",
                       facecolors="none", edgecolors=GREY, linestyles="dashed")
            _label(ax, *pos[seat], f"vacant post\n{role_label(role)}", size, GREY)


def _departed(ax, model: ClassroomTeam) -> int:
    """Who left, newest first, in a row below the circle; returns the rows drawn."""
    gone = model.departed[::-1][:DEPARTED_SHOWN]
    for k, person in enumerate(gone):
        x, y = -1.6 + 0.8 * k, -1.65
        ax.scatter(x, y, s=300, marker="D" if person.role == EBE else "o", color="#DDDDDD",
                   edgecolors=GREY)
        ax.text(x, y - 0.13, f"{person.name}\nleft week {person.left_week}", ha="center",
                va="top", fontsize=7, color="#555555")
    if len(model.departed) > DEPARTED_SHOWN:
        ax.text(1.9, -1.65, f"+{len(model.departed) - DEPARTED_SHOWN} earlier", fontsize=7,
                color="#555555", va="center")
    return 1 if gone else 0


def team_figure(model: ClassroomTeam) -> Figure:
    """The team as people: node colour = perspective, shape = role, edges = relations."""
    fig = Figure(figsize=(4.9, 4.1), layout="constrained")
    ax = fig.add_subplot()
    pos = seat_positions(model)
    graph = team_graph(model)
    _edges(ax, graph, pos)
    _people(ax, model, graph, pos)
    rows = _departed(ax, model)
    fig.colorbar(mpl.cm.ScalarMappable(mpl.colors.Normalize(0, 1), PERSPECTIVE_MAP), ax=ax,
                 shrink=0.5, aspect=20, pad=0.01, ticks=[0, 0.5, 1], label="perspective"
                 ).ax.set_yticklabels(["0 system\nworld", "0.5", "1 life\nworld"], fontsize=8)
    fig.legend(handles=[
        Line2D([], [], color=GREY, lw=2.5, label="trust (thicker = more)"),
        Line2D([], [], color=VERMILLION, lw=2, ls="--", label="unspoken irritation"),
        Line2D([], [], marker="o", ls="", mfc="white", mec="black", label="professional"),
        Line2D([], [], marker="D", ls="", mfc="white", mec="black", label="EBE"),
        Line2D([], [], marker="o", ls="", mfc="white", mec="black", mew=2.5,
               label="final responsibility"),
    ], loc="outside lower center", ncols=3, fontsize=7.5, frameon=False)
    fig.suptitle(f"Week {model.week} · {model.title}", fontsize=10)
    ax.set_xlim(-1.95, 1.95)
    ax.set_ylim(-1.45 - 0.5 * rows, 1.35)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def _axes(title: str, ylabel: str, model: ClassroomTeam) -> tuple[Figure, object]:
    fig = Figure(figsize=(5.6, 3.6), layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("week")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.set_xlim(0, max(model.week, 4))
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return fig, ax


def perspective_figure(model: ClassroomTeam) -> Figure:
    """Each EBE's view against the professionals' mean and range, and where they began."""
    fig, ax = _axes("Perspectives", "0 system world … 1 life world", model)
    agents = model.people.get_agent_vars_dataframe().reset_index()
    pros = agents[agents["role"] != EBE].groupby("Step")["perspective"]
    low, high = pros.min(), pros.max()
    ax.fill_between(low.index, low, high, color=BLUE, alpha=0.15, label="professionals (range)")
    ax.plot(pros.mean(), color=BLUE, lw=2, marker="o", ms=4, markevery=[-1],
            label="professionals (mean)")
    ax.axhline(model.engine.reference[0], color=BLUE, lw=1, ls=":",
               label="professionals in week 0")
    ebes = agents[agents["role"] == EBE]
    for k, (_, one) in enumerate(ebes.groupby("AgentID", sort=True)):
        ax.plot(one["Step"], one["perspective"], color=EBE_COLOURS[k % len(EBE_COLOURS)],
                lw=2, marker="D", ms=4, markevery=[-1], label=f"{one['name'].iloc[0]} (EBE)")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower left", fontsize=7, ncols=2)
    return fig


def share_figure(model: ClassroomTeam) -> Figure:
    """Share of case-review decision weight carried by EBEs, against their headcount."""
    fig, ax = _axes("EBE voice in team decisions", "share", model)
    data = model.datacollector.get_model_vars_dataframe().iloc[1:]
    professionals = int((~model.params.is_ebe).sum())
    headcount = data["ebe_present"] / (data["ebe_present"] + professionals)
    share = data["experiential_share"]
    ax.plot(data.index, share, color=VERMILLION, lw=1.5, marker=".", ms=4,
            label="EBEs' share of the decisions")
    ax.plot(data.index, headcount, color=GREY, lw=1.5, ls="--", label="EBEs' share of the team")
    ax.set_ylim(0, max(0.3, 1.1 * share.max()) if len(share) else 0.3)
    ax.legend(loc="upper right", fontsize=7)
    return fig


FEEDBACK = (("given", BLUE, "-"), ("held back (unspoken)", ORANGE, "--"),
            ("taken as attack", VERMILLION, ":"))


def feedback_figure(model: ClassroomTeam) -> Figure:
    """Feedback given, held back and taken as an attack: in the team and toward EBEs."""
    fig = Figure(figsize=(5.6, 3.6), layout="constrained")
    team, to_ebe = fig.subplots(1, 2)
    totals = model.datacollector.get_model_vars_dataframe().cumsum(numeric_only=True)
    panels = ((team, "Feedback in the team", ("feedback_given", "feedback_withheld",
                                              "feedback_attack")),
              (to_ebe, "… of which to EBEs", ("feedback_given_to_ebe",
                                                "feedback_withheld_to_ebe")))
    for ax, title, names in panels:
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("week")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.grid(alpha=0.3)
        for name, (label, colour, style) in zip(names, FEEDBACK, strict=False):
            ax.plot(totals.index, totals[name], color=colour, ls=style, lw=2, label=label)
        ax.set_xlim(0, max(model.week, 4))
        ax.set_ylim(0, max(5.0, 1.05 * totals[list(names)].to_numpy().max()))
    team.set_ylabel("times so far")
    team.legend(loc="upper left", fontsize=7)
    return fig
