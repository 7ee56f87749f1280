"""Plain-language narration of a team's week, for the classroom view.

``narrate(model)`` turns the events of the most recent week (``model.last_week``: case
review, feedback, dialogue, critique, exits, hires) into short sentences such as
"Week 12: Anouk (nurse) held back feedback to Sam (EBE); irritation grew". The
wording follows the mechanisms' sources: silk gloves and feedback taken as a personal
attack (Steenvoorde, seed 000), critique of rules by the EBE as bridge (Movisie, 002),
crisis weeks and risk-driven case reviews in high-load FACT teams (seed 004), and the
lone EBE who 'takes on the colour of the environment' (Boevink, 001).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.agents import TeamMember
from sim.config import EBE
from sim.feedback import ATTACK, CONTENT, WITHHELD

if TYPE_CHECKING:
    from sim.model import TeamModel

ROLE_LABEL = {
    "psychiatrist": "psychiatrist",
    "psychologist": "psychologist",
    "nurse": "nurse",
    "social_psychiatric_nurse": "social-psychiatric nurse",
    "social_worker": "social worker",
    "addiction_specialist": "addiction specialist",
    "team_leader": "team leader",
    "community_worker": "community worker",
    "debt_counsellor": "debt counsellor",
    "youth_worker": "youth worker",
    EBE: "EBE",
}
FEEDBACK_LINES = 4  # feedback moments with an EBE told one by one; the rest are counted


def role_label(role: str) -> str:
    """A role in plain words: ``social_psychiatric_nurse`` -> 'social-psychiatric nurse'."""
    return ROLE_LABEL.get(role, role.replace("_", " "))


def who(member: TeamMember) -> str:
    """'Anouk (nurse)'."""
    return f"{member.name} ({role_label(member.role)})"


def member_at(model: TeamModel, seat: int) -> TeamMember:
    """The member who sat in ``seat`` during the last week (also if they left that week)."""
    for gone in reversed(model.departed):
        if gone.seat == seat and gone.left_week == model.week:
            return gone
    return model.members[seat]


def leaning(view: float) -> str:
    """Where a view on the 0 (system world) .. 1 (life world) scale leans."""
    if view < 0.4:
        return "the system world (rules, risk, file)"
    if view > 0.6:
        return "the life world (recovery, the client's daily reality)"
    return "neither world clearly"


def percent(share: float) -> str:
    """'12%', or 'less than 1%' for a small share that is not zero."""
    return "less than 1%" if 0 < share < 0.005 else f"{share:.0%}"


def introduce(model: TeamModel) -> list[str]:
    """Sentences describing the team at week 0."""
    ebes = [m for m in model.members.values() if m.role == EBE]
    others = [m for m in model.members.values() if m.role != EBE]
    team_view = sum(m.perspective for m in others) / len(others)
    lines = [f"Week {model.week}: a team of {len(others)} professionals, with final "
             f"responsibility at {who(model.members[0])}; their views average {team_view:.2f} "
             "(0 = system world, 1 = life world)."]
    if not ebes:
        lines.append(f"Week {model.week}: there is no expert by experience in this team.")
    for ebe in ebes:
        lines.append(f"Week {model.week}: {who(ebe)} joins, bringing a life-world view "
                     f"of {ebe.perspective:.2f}.")
    return lines


def _feedback_sentence(giver: TeamMember, receiver: TeamMember, kind: int) -> str:
    if kind == WITHHELD:
        return f"{who(giver)} held back feedback to {who(receiver)}; irritation grew"
    if kind == ATTACK:
        return (f"{who(giver)} gave {who(receiver)} feedback on the work; {receiver.name} "
                "took it as a personal attack and trust fell")
    return (f"{who(giver)} gave {who(receiver)} feedback on the work; it was taken as "
            "meant and trust grew")


def _feedback(model: TeamModel) -> list[str]:
    fb = model.last_week.feedback
    is_ebe = model.params.is_ebe
    told, untold = [], 0
    among = {WITHHELD: 0, ATTACK: 0, CONTENT: 0}
    for giver, receiver, kind in zip(fb.giver, fb.receiver, fb.kind, strict=True):
        if not (is_ebe[giver] or is_ebe[receiver]):
            among[int(kind)] += 1
        elif len(told) < FEEDBACK_LINES:
            told.append(_feedback_sentence(member_at(model, int(giver)),
                                           member_at(model, int(receiver)), int(kind)))
        else:
            untold += 1
    if untold:
        told.append(f"{untold} more feedback moments with EBEs")
    given = among[ATTACK] + among[CONTENT]
    if given or among[WITHHELD]:
        told.append(f"among the professionals feedback was given {given} times and held "
                    f"back {among[WITHHELD]} times")
    return told


def _critique(model: TeamModel) -> list[str]:
    critique = model.last_week.critique
    first = model.params.ebe_seats.start
    lines = []
    for k in range(critique.raised.shape[0]):
        if not critique.raised[k, 0]:
            continue
        ebe = member_at(model, first + k)
        if critique.accepted[k, 0]:
            lines.append(f"{who(ebe)} questioned a rule or routine; the team took it up "
                         "and the professionals' views moved toward the life world")
        else:
            lines.append(f"{who(ebe)} questioned a rule or routine; it was brushed aside, "
                         f"which weighed on {ebe.name}")
    return lines


def _perspective_lost(model: TeamModel) -> list[str]:
    alive = model.datacollector.model_vars["alive"]
    if len(alive) < 2 or not alive[-2] or alive[-1]:
        return []
    if model.observation()["state"] == "vacant":
        return ["no expert by experience is left: the experiential perspective is gone "
                "from the team"]
    return ["the EBEs' view is no longer distinct from the team's: the experiential "
            "perspective has taken on the colour of the team"]


def narrate(model: TeamModel) -> list[str]:
    """Sentences for the most recent week, each starting 'Week N:'; [] before the first."""
    week = model.last_week
    if week is None:
        return []
    obs = model.observation()
    lines = []
    if week.crisis[0]:
        pressure = obs["workload_pressure"]
        lines.append(f"a crisis week (an incident or sick leave): pressure {pressure:.2f}")
    if obs["ebe_present"]:
        lines.append(f"at the case review EBE voices carried {percent(obs['experiential_share'])}"
                     f" of the decisions, which leaned toward {leaning(obs['decision'])}")
    else:
        lines.append("the case review was held without an EBE; decisions leaned toward "
                     f"{leaning(obs['decision'])}")
    lines += _feedback(model)
    if week.dialogue[0]:
        lines.append("the team held an open conversation about how it works together; "
                     "irritation eased")
    lines += _critique(model)
    lines += [f"{who(gone)} left the team" for gone in model.departed
              if gone.left_week == model.week]
    lines += [f"{who(model.members[int(seat)])} joined the team"
              for seat in week.hires[:, 0].nonzero()[0]]
    lines += _perspective_lost(model)
    return [f"Week {model.week}: {line}" for line in lines]
