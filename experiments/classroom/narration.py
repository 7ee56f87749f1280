"""Plain-language narration of a team's week, for the classroom view.

``narrate(model)`` turns the events of the most recent week (``model.last_week``: case
review, feedback, dialogue, critique, exits, hires) and any change in the state of the
perspective into short sentences such as "Week 12: Anouk (nurse) held back feedback to
Sam (EBE); irritation grew". ``status(model)`` says in one line whether the perspective
is alive and who holds it. The wording follows the mechanisms' sources: silk gloves and
feedback taken as a personal attack (Steenvoorde, seed 000), critique of rules by the
EBE as bridge (Movisie, 002), crisis weeks and risk-driven case reviews in high-load FACT
teams (seed 004), the lone EBE who 'takes on the colour of the environment' (Boevink,
001), and a team that itself moves toward the life world, the goal of seeds 002 and 004.
The four states are those of :mod:`sim.outcomes` (ODD 7.14).
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


def times(n: int) -> str:
    """'once', '2 times'."""
    return "once" if n == 1 else f"{n} times"


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
        told.append(f"{untold} more feedback moment{'' if untold == 1 else 's'} with EBEs")
    given = among[ATTACK] + among[CONTENT]
    if given or among[WITHHELD]:
        told.append(f"among the professionals feedback was given {times(given)} and held "
                    f"back {times(among[WITHHELD])}")
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


#: What each state means, in plain words (the states of :data:`sim.outcomes.STATES`).
MEANING = {
    "retained": "an EBE keeps a distinct life-world view",
    "diffused": "no EBE keeps a distinct view, but the professionals have moved toward the "
                "life world: the team carries the perspective",
    "assimilated": "the EBEs' views are no longer distinct from where the team started: the "
                   "perspective has taken on the colour of the team",
    "vacant": "no expert by experience is in the team, and the team does not carry the "
              "perspective",
}
ALIVE = ("retained", "diffused")


def _transition(model: TeamModel) -> list[str]:
    """The change of state this week, told once, in the week it happens."""
    states = model.datacollector.model_vars["state"]
    if len(states) < 2 or states[-2] == states[-1]:
        return []
    before, now = states[-2], states[-1]
    if before in ALIVE and now in ALIVE:
        change = "the experiential perspective lives on"
    elif before not in ALIVE and now not in ALIVE:
        change = "the experiential perspective is still lost"
    elif now in ALIVE:
        change = "the experiential perspective is alive again"
    else:
        change = "the experiential perspective is lost"
    return [f"{change}: {MEANING[now]} ({now})"]


def _keepers(model: TeamModel, retaining: int) -> str:
    """'Sam keeps it', or '2 of 3 EBEs keep it'."""
    ebes = [m for m in model.members.values() if m.role == EBE]
    if len(ebes) == 1:
        return f"{ebes[0].name} keeps it"
    return f"{retaining} of {len(ebes)} EBEs keep{'s' if retaining == 1 else ''} it"


def status(model: TeamModel) -> str:
    """One line: is the perspective alive, who holds it, since which week (and when it
    was first lost, if it has come back since or was lost more than once)?"""
    states = model.datacollector.model_vars["state"]
    now = states[-1]
    since = next(w for w in range(len(states) - 1, -1, -1)
                 if w == 0 or states[w - 1] != now)
    if now == "vacant" and since == 0:
        return "This team has no EBE: there is no experiential perspective to keep."
    first = next((w for w, state in enumerate(states) if state not in ALIVE), since)
    when = ("from the start" if since == 0 else f"since week {since}") + (
        f"; first lost in week {first}" if first < since else "")
    if now == "retained":
        keepers = _keepers(model, int(model.observation()["ebes_retaining"]))
        return f"The perspective is alive: {keepers} (retained, {when})."
    if now == "diffused":
        return f"The perspective is alive: the team now carries it (diffused, {when})."
    if now == "assimilated":
        ebes = [m.name for m in model.members.values() if m.role == EBE]
        who_ = ebes[0] if len(ebes) == 1 else "the EBEs"
        return f"The perspective is lost: {who_} took on the team's colour (assimilated, {when})."
    return f"The perspective is lost: no EBE is left to bring it (vacant, {when})."


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
    lines += _transition(model)
    return [f"Week {model.week}: {line}" for line in lines]
