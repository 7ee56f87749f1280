"""Who works with whom in the team a class watches: duos, care lines, the full team.

The contact structure is the model's (``team.structure``; built by
:func:`sim.parameters.working_together` from seat numbers, so a newcomer takes over the
duo or care line of the seat they fill). This module only reads it, for the narration
and the team picture: the pairs that work closely together (contact 1), an EBE's duo
partner, the care lines, and an order of the seats around the circle that keeps duos
and care lines side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from sim.parameters import working_together

if TYPE_CHECKING:
    from sim.model import TeamModel

FINAL = 0  # the final-responsibility seat, in every care line


def together(model: TeamModel) -> np.ndarray:
    """``(M, M)``: how closely each pair of seats works together (1 = closely)."""
    return working_together(model.config, list(model.params.roles))


def close_graph(model: TeamModel) -> nx.Graph:
    """Seats as nodes, an edge for each pair that works closely together."""
    close = together(model) >= 1.0
    graph = nx.Graph()
    graph.add_nodes_from(range(model.params.seats))
    graph.add_edges_from((i, j) for i, j in zip(*np.nonzero(np.triu(close, 1)), strict=True))
    return graph


def duo_partners(model: TeamModel) -> dict[int, int]:
    """EBE seat -> the one professional that EBE works closely with (``duos``); {} for
    another structure (or when everyone works closely with everyone anyway)."""
    if model.config.team.structure != "duos":
        return {}
    graph, is_ebe = close_graph(model), model.params.is_ebe
    partners = {int(e): [int(j) for j in graph[e] if not is_ebe[j]]
                for e in np.flatnonzero(is_ebe)}
    return {e: ps[0] for e, ps in partners.items() if len(ps) == 1}


def care_lines(model: TeamModel) -> list[list[int]]:
    """The care lines (``subteams``) as lists of seats, without the final-responsibility
    seat, which works in every line; [] for another structure."""
    if model.config.team.structure != "subteams":
        return []
    graph = close_graph(model)
    graph.remove_node(FINAL)
    return sorted(sorted(int(s) for s in line) for line in nx.connected_components(graph))


def seat_order(model: TeamModel) -> list[int]:
    """Seats in drawing order round the circle: final responsibility first, then care line
    by care line, each EBE right after their duo partner; otherwise by seat number."""
    lines = care_lines(model) or [list(range(1, model.params.seats))]
    partner = duo_partners(model)
    order = [FINAL]
    for line in lines:
        professionals = [s for s in line if not model.params.is_ebe[s]]
        ebes = [s for s in line if model.params.is_ebe[s]]
        for seat in professionals:
            order.append(seat)
            order += [e for e in ebes if partner.get(e) == seat]
        order += [e for e in ebes if e not in order]
    return order
