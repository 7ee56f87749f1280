"""The classroom's drawings: the team as people, and the weeks so far as plots.

Each function takes a :class:`~experiments.classroom.team.ClassroomTeam` and returns a
matplotlib ``Figure`` (drawn off-screen, no pyplot state), so the page and the tests
draw the same pictures. Members are drawn from ``model.members`` whatever their number
or role; a seat without a member is a vacant post and anyone who left is greyed out, so
newcomers and leavers of any role show without change here. Who works with whom
(duos, care lines) is the model's own structure (:mod:`experiments.classroom.structure`).
Colours: Okabe & Ito's colour-blind-safe palette; perspective on viridis (van der Walt &
Smith).
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import TYPE_CHECKING

import matplotlib as mpl
import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Wedge
from matplotlib.path import Path
from matplotlib.ticker import MaxNLocator

from experiments.classroom.narration import AUTHORITY_MARKS, first_name, is_locum, role_label
from experiments.classroom.structure import care_lines, duo_partners, seat_order, together
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
LINE_COLOURS = ("#CFE6F5", "#FBE3B8", "#CDEBDD", "#F2D3E3")  # light sky, orange, green, pink
RING_TRACK = "#E4E4E4"
DUO_BANDS = ("#C6E0F4", "#E1EEF9")  # light blues, alternating so neighbouring duos part
DPI = 110
IRRITATION_SHOWN = 0.2  # unspoken irritation drawn above this level (0..1)
INSIDE = 0.7            # an EBE's authority is written this far from the centre
RING = 900              # area of an EBE's authority ring (points^2; the diamond is 400)
LABEL_WIDTH = 18        # characters of a role on one line of a label
DEPARTED_SHOWN = 5      # people who left, newest first; older ones are counted
DEPARTED_ROW = -1.85    # below the circle and the labels of its lowest seats


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def seat_positions(model: ClassroomTeam) -> dict[int, tuple[float, float]]:
    """Seats on a circle, final responsibility at the top, then the others in
    :func:`~experiments.classroom.structure.seat_order` (duos and care lines together)."""
    order = seat_order(model)
    return {s: (math.cos(math.pi / 2 - 2 * math.pi * k / len(order)),
                math.sin(math.pi / 2 - 2 * math.pi * k / len(order)))
            for k, s in enumerate(order)}


def team_graph(model: ClassroomTeam) -> nx.Graph:
    """Present members as nodes; every pair as an edge with mutual trust, irritation and
    how closely the two work together (1 = closely; less outside a duo or care line)."""
    close = together(model)
    graph = nx.Graph()
    for seat, member in model.members.items():
        graph.add_node(seat, member=member)
    members = list(model.members.values())
    for i, a in enumerate(members):
        for b in members[i + 1:]:
            graph.add_edge(a.seat, b.seat,
                           trust=(a.trust_in(b) + b.trust_in(a)) / 2,
                           irritation=max(a.irritation_toward(b), b.irritation_toward(a)),
                           together=float(close[a.seat, b.seat]))
    return graph


def member_label(member: TeamMember) -> str:
    """'Kim\nEBE\nsince week 40': name, role (a locum says so) and, for a newcomer, the
    week they came."""
    role = textwrap.fill(("locum " if is_locum(member) else "") + role_label(member.role),
                         LABEL_WIDTH)
    since = f"\nsince week {member.joined_week}" if member.joined_week > 0 else ""
    return f"{first_name(member)}\n{role}{since}"


def crowding(model: ClassroomTeam) -> float:
    """1 for a team of up to 12 seats, smaller for larger teams (nodes and labels shrink)."""
    return min(1.0, 12 / model.params.seats)


def _label(ax, x: float, y: float, text: str, size: float, colour: str = "black") -> None:
    """A label outside the circle of seats."""
    ha = "left" if x > 0.05 else "right" if x < -0.05 else "center"
    va = "bottom" if y > 0.2 else "top" if y < -0.2 else "center"
    ax.text(1.17 * x, 1.17 * y, text, ha=ha, va=va, fontsize=size, color=colour,
            linespacing=1.05, in_layout=False)


def _edges(ax, model: ClassroomTeam, graph: nx.Graph, pos: dict) -> None:
    """Trust between those who work closely together (all pairs in a full team), duos
    highlighted, and unspoken irritation between anyone."""
    close = [e for e in graph.edges if graph.edges[e]["together"] >= 1.0]
    duos = {tuple(sorted(pair)) for pair in duo_partners(model).items()}
    plain = [e for e in close if tuple(sorted(e)) not in duos]
    paired = [e for e in close if tuple(sorted(e)) in duos]
    for edges, colour, alpha, extra in ((plain, GREY, 0.6, 0.3), (paired, BLUE, 0.9, 1.5)):
        nx.draw_networkx_edges(graph, pos, edgelist=edges, ax=ax, edge_color=colour,
                               alpha=alpha, width=[extra + 2.5 * graph.edges[e]["trust"] ** 2
                                                   for e in edges])
    tense = [e for e in graph.edges if graph.edges[e]["irritation"] > IRRITATION_SHOWN]
    nx.draw_networkx_edges(graph, pos, edgelist=tense, ax=ax, edge_color=VERMILLION,
                           style="dashed",
                           width=[5.0 * graph.edges[e]["irritation"] for e in tense])


def _groups(ax, model: ClassroomTeam, pos: dict) -> None:
    """A light band behind the seats of each care line (named at its middle) or duo."""
    lines = care_lines(model)
    groups = lines or [[partner, ebe] for ebe, partner in duo_partners(model).items()]
    step = 360 / model.params.seats / 2
    for k, seats in enumerate(groups):
        angles = [math.degrees(math.atan2(pos[s][1], pos[s][0])) % 360 for s in seats]
        if max(angles) - min(angles) > 180:   # the group straddles 0 degrees
            angles = [a - 360 if a > 180 else a for a in angles]
        first, last = max(angles), min(angles)
        colour = LINE_COLOURS[k % len(LINE_COLOURS)] if lines else DUO_BANDS[k % 2]
        ax.add_patch(Wedge((0, 0), 1.16, last - 0.8 * step, first + 0.8 * step, width=0.32,
                           color=colour, lw=0, zorder=0))
        if lines:
            middle = math.radians((first + last) / 2)
            ax.text(0.5 * math.cos(middle), 0.5 * math.sin(middle), f"care line {k + 1}",
                    ha="center", va="center", fontsize=7.5, color="#444444", zorder=5)


def _authority(ax, model: ClassroomTeam, graph: nx.Graph, pos: dict) -> None:
    """A ring round each EBE that fills clockwise from the top with their experiential
    authority (an empty track at 0, closed at 1). Drawn as markers, so that ring and
    node keep their sizes together whatever the scale of the axes."""
    seats = [s for s, m in model.members.items() if m.role == EBE]
    size = RING * crowding(model)
    nx.draw_networkx_nodes(graph, pos, nodelist=seats, ax=ax, node_shape="o", node_size=size,
                           node_color="none", edgecolors=RING_TRACK, linewidths=3)
    for seat in seats:
        authority = model.members[seat].authority
        if authority > 0:
            arc = MarkerStyle(Path.arc(90 - 360 * authority, 90))  # top (0, 1) sets the scale
            ax.scatter(*pos[seat], s=size, marker=arc, facecolors="none", edgecolors=PURPLE,
                       linewidths=3, zorder=3)
        x, y = pos[seat]
        ax.text(INSIDE * x, INSIDE * y, f"{authority:.2f}", ha="center", va="center",
                fontsize=7 * crowding(model) ** 0.5, color=PURPLE, fontweight="bold",
                zorder=4, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                "alpha": 0.8})


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
    allies = [pos[s] for s, m in model.members.items() if getattr(m, "ally", False)]
    if allies:
        inward = 1 - 0.17 * scale ** 0.5   # on the node's inner edge, clear of its label
        ax.scatter([inward * x for x, _ in allies], [inward * y for _, y in allies],
                   s=110 * scale, marker="*", color=ORANGE, edgecolors="black",
                   linewidths=0.6, zorder=3)
    for seat, member in model.members.items():
        _label(ax, *pos[seat], member_label(member), size)
    for seat in range(model.params.seats):
        if seat not in model.members:
            role = model.params.roles[seat]
            ax.scatter(*pos[seat], s=420 * scale, marker="D" if role == EBE else "o",
                       facecolors="none", edgecolors=GREY, linestyles="dashed")
            role_text = textwrap.fill(role_label(role), LABEL_WIDTH)
            _label(ax, *pos[seat], f"vacant post\n{role_text}", size, GREY)


def _departed(ax, model: ClassroomTeam) -> int:
    """Who left, newest first, in a row below the circle; returns the rows drawn."""
    gone = model.departed[::-1][:DEPARTED_SHOWN]
    for k, person in enumerate(gone):
        x, y = -1.6 + 0.8 * k, DEPARTED_ROW
        ax.scatter(x, y, s=300, marker="D" if person.role == EBE else "o", color="#DDDDDD",
                   edgecolors=GREY)
        ax.text(x, y - 0.16, f"{first_name(person)}\nleft week {person.left_week}",
                ha="center", va="top", fontsize=7, color="#555555")
    if len(model.departed) > DEPARTED_SHOWN:
        ax.text(1.9, DEPARTED_ROW, f"+{len(model.departed) - DEPARTED_SHOWN} earlier", fontsize=7,
                color="#555555", va="center")
    return 1 if gone else 0


def _legend(fig: Figure, model: ClassroomTeam) -> None:
    structured = model.config.team.structure != "full"
    handles = [
        Line2D([], [], color=GREY, lw=2.5, label="work closely; trust" if structured
               else "trust (thicker = more)"),
        Line2D([], [], color=VERMILLION, lw=2, ls="--", label="unspoken irritation"),
        Line2D([], [], marker="o", ls="", mfc="white", mec="black", label="professional"),
        Line2D([], [], marker="D", ls="", mfc="white", mec="black", label="EBE"),
        Line2D([], [], marker="o", ls="", mfc="white", mec="black", mew=2.5,
               label="final responsibility"),
        Line2D([], [], marker="o", ls="", ms=10, mfc="none", mec=PURPLE, mew=2.5,
               label="EBE authority (full ring = 1)"),
    ]
    if model.config.team.structure == "duos":
        handles.append(Line2D([], [], color=BLUE, lw=3, label="duo"))
    if any(getattr(m, "ally", False) for m in model.members.values()):
        handles.append(Line2D([], [], marker="*", ls="", ms=9, mfc=ORANGE, mec="black",
                              mew=0.6, label="ally: lived experience"))
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=7.5,
               frameon=False, columnspacing=0.8, handletextpad=0.4)


def team_figure(model: ClassroomTeam) -> Figure:
    """The team as people: node colour = perspective, shape = role, edges = who works
    with whom and how they get on, a ring = an EBE's experiential authority."""
    fig = Figure(figsize=(4.6, 4.4), layout="constrained")
    ax = fig.add_subplot()
    pos = seat_positions(model)
    graph = team_graph(model)
    _groups(ax, model, pos)
    _edges(ax, model, graph, pos)
    _authority(ax, model, graph, pos)
    _people(ax, model, graph, pos)
    rows = _departed(ax, model)
    bar = fig.colorbar(mpl.cm.ScalarMappable(mpl.colors.Normalize(0, 1), PERSPECTIVE_MAP),
                       ax=ax, location="bottom", shrink=0.5, aspect=40, pad=0.0,
                       ticks=[0, 0.5, 1])
    bar.ax.set_xticklabels(["0 system world", "0.5", "1 life world"], fontsize=7)
    bar.ax.set_ylabel("colour:\nview", rotation=0, ha="right", va="center", fontsize=7)
    _legend(fig, model)
    ax.text(0.0, 1.0, f"Week {model.week} · {model.title}", transform=ax.transAxes,
            ha="left", va="top", fontsize=8.5, in_layout=False)
    ax.set_xlim(-2.2, 2.2)   # room for the labels (not in the layout) beside the circle
    ax.set_ylim(-1.5 - 0.9 * rows, 1.6)
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
    for colour, name, one in _ebe_lines(model):
        ax.plot(one["Step"], one["perspective"], color=colour, lw=2, marker="D", ms=4,
                markevery=[-1], label=f"{name} (EBE)")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower left", fontsize=7, ncols=2)
    return fig


def _ebe_lines(model: ClassroomTeam):
    """Each EBE who was in the team, in order of arrival: (colour, name, their weeks)."""
    agents = model.people.get_agent_vars_dataframe().reset_index()
    ebes = agents[agents["role"] == EBE]
    for k, (_, one) in enumerate(ebes.groupby("AgentID", sort=True)):
        yield EBE_COLOURS[k % len(EBE_COLOURS)], one["name"].iloc[0], one


def share_figure(model: ClassroomTeam) -> Figure:
    """Share of case-review decision weight carried by EBEs, against their headcount; and
    each EBE's experiential authority, with the marks the story tells."""
    fig = Figure(figsize=(5.6, 3.6), layout="constrained")
    voice, earned = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    data = model.datacollector.get_model_vars_dataframe().iloc[1:]
    present = model.people.get_agent_vars_dataframe().groupby("Step")["role"]
    headcount = present.apply(lambda roles: (roles == EBE).mean()).iloc[1:]
    share = data["experiential_share"]
    voice.set_title("EBE voice in team decisions", fontsize=10)
    voice.plot(data.index, share, color="black", lw=1.5, marker=".", ms=4,
               label="EBEs' share of the decisions")
    voice.plot(headcount.index, headcount, color=GREY, lw=1.5, ls="--",
               label="EBEs' share of the team")
    voice.set_ylim(0, max(0.3, 1.1 * share.max()) if len(share) else 0.3)
    voice.set_ylabel("share")
    voice.legend(loc="upper right", fontsize=7)
    for colour, name, one in _ebe_lines(model):
        earned.plot(one["Step"], one["authority"], color=colour, lw=2, marker="D", ms=3,
                    markevery=[-1], label=name)
    for mark in AUTHORITY_MARKS:
        earned.axhline(mark, color=GREY, lw=0.6, ls=":")
    earned.set_ylim(0, 1)
    earned.set_yticks([0, 0.5, 1])
    earned.set_ylabel("authority")
    earned.set_xlabel("week")
    earned.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    earned.set_xlim(0, max(model.week, 4))
    earned.legend(loc="best", fontsize=7, ncols=5, title="EBEs' experiential authority",
                  title_fontsize=7)
    for ax in (voice, earned):
        ax.grid(alpha=0.3)
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
