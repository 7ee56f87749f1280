"""Plain-language narration of a team's week, for the classroom view.

``narrate(model)`` turns the events of the most recent week (``model.last_week``: case
review, feedback, dialogue, critique and the rule changes it brings, who left and who
joined) and any change in the state of the perspective into short sentences such as
"Week 12: Anouk (nurse) held back feedback to Sam (EBE); irritation grew"; with the
:class:`AuthorityMarks` of the run it also tells when an EBE's experiential authority
passes a mark. ``status(model)`` says in one line whether the perspective is alive, who
keeps it and whether the team carries it too. The wording follows the mechanisms'
sources: silk gloves and feedback taken as a personal attack, and authority that tips
into 'everyone goes right' (Steenvoorde, seed 000), critique of rules by the EBE as
bridge (Movisie, 002), crisis weeks and risk-driven case reviews in high-load FACT teams
(seed 004), the lone EBE who 'takes on the colour of the environment' and duo work
(Boevink and her readers, 001), and a team that itself moves toward the life world, the
goal of seeds 002 and 004. The four states are those of :mod:`sim.outcomes` (ODD 7.14).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from experiments.classroom.structure import FINAL, care_lines, duo_partners
from sim.agents import TeamMember
from sim.config import EBE
from sim.events import ATTACK, CONTENT, WITHHELD

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
LOCUM = " (locum)"  # how the model names a locum in the final-responsibility seat
#: Marks of an EBE's experiential authority (0..1) and what the team does above each.
AUTHORITY_MARKS = (0.25, 0.5, 0.75)
AUTHORITY_MEANING = (
    "{name}'s view counts for little at the case review",
    "the team gives {name}'s view some weight",
    "the team leans on {name}'s view and holds back more feedback to {name}",
    "the team follows {name}'s lead ('everyone goes right') and hardly gives {name} "
    "feedback",
)
#: What the team stops doing when an EBE's authority falls below a mark (by the band it
#: falls into), so that a fall is not told in the words of a rise.
AUTHORITY_LOST = (
    "{name}'s view now counts for little at the case review",
    "the team no longer leans on {name}'s view, though it still gives it some weight, and "
    "gives {name} more feedback again",
    "the team no longer simply follows {name}'s lead: it still leans on {name}'s view, and "
    "gives {name} more feedback again",
)


def role_label(role: str) -> str:
    """A role in plain words: ``social_psychiatric_nurse`` -> 'social-psychiatric nurse'."""
    return ROLE_LABEL.get(role, role.replace("_", " "))


def is_locum(member: TeamMember) -> bool:
    """A locum covering the final-responsibility seat."""
    return member.name.endswith(LOCUM)


def first_name(member: TeamMember) -> str:
    """'Lisa' for the locum 'Lisa (locum)'."""
    return member.name.removesuffix(LOCUM)


def who(member: TeamMember) -> str:
    """'Anouk (nurse)', 'Lisa (locum psychiatrist)'."""
    locum = "locum " if is_locum(member) else ""
    return f"{first_name(member)} ({locum}{role_label(member.role)})"


def names(people: list[str]) -> str:
    """'Sam', 'Sam and Noor', 'Sam, Noor and Kim'."""
    return people[0] if len(people) == 1 else f"{', '.join(people[:-1])} and {people[-1]}"


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


def _structure(model: TeamModel) -> list[str]:
    """Who works with whom, for the introduction (nothing for a full team)."""
    team, members = model.config.team, model.members
    outside = f"with the others they have less contact ({team.outside_contact:.2f} of a " \
              "close colleague's)"
    duos = duo_partners(model)
    if len(duos) == 1:
        ((ebe, partner),) = duos.items()
        return [f"{who(members[ebe])} works in a duo with {who(members[partner])}; "
                f"{outside.replace('they have', f'{members[ebe].name} has')}"]
    if duos:
        pairs = "; ".join(f"{who(members[e])} with {who(members[p])}" for e, p in duos.items())
        return [f"the EBEs work in duos with a professional: {pairs}; {outside}"]
    lines = care_lines(model)
    if not lines:
        return []
    told = [f"line {k + 1}: {', '.join(who(members[s]) for s in line)}"
            for k, line in enumerate(lines)]
    return [f"the team works in {len(lines)} care lines ({'; '.join(told)}); "
            f"{who(members[FINAL])} works in every line; {outside}"]


def introduce(model: TeamModel) -> list[str]:
    """Sentences describing the team at week 0."""
    ebes = [m for m in model.members.values() if m.role == EBE]
    others = [m for m in model.members.values() if m.role != EBE]
    team_view = sum(m.perspective for m in others) / len(others)
    lines = [f"a team of {len(others)} professionals, with final responsibility at "
             f"{who(model.members[FINAL])}; their views average {team_view:.2f} "
             "(0 = system world, 1 = life world)"]
    allies = [who(m) for m in others if m.ally]
    if allies:
        one = len(allies) == 1
        lines.append(f"{names(allies)} bring{'s' if one else ''} lived experience of their "
                     f"own into the team ({'an ally' if one else 'allies'})")
    if not ebes:
        lines.append("there is no expert by experience in this team")
    for ebe in ebes:
        granted = (f", and experiential authority {ebe.authority:.2f} granted by the "
                   "organisation" if ebe.authority > 0 else "")
        lines.append(f"{who(ebe)} joins, bringing a life-world view of "
                     f"{ebe.perspective:.2f}{granted}")
    lines += _structure(model)
    return [f"Week {model.week}: {line}" for line in lines]


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


def _so_far(model: TeamModel, name: str) -> tuple[int, int]:
    """A running total observed each week (``rules_changed``): last week's and now."""
    totals = model.datacollector.model_vars[name]
    return int(totals[-2]) if len(totals) > 1 else 0, int(totals[-1])


def _critique(model: TeamModel) -> list[str]:
    critique = model.last_week.critique
    first = model.params.ebe_seats.start
    before, now = _so_far(model, "rules_changed")
    rules = ""
    if now > before:
        rules = (", changed its rules for the first time (a clearer EBE role, less discount "
                 "of an EBE's voice at the case review, less risk shading)" if before == 0
                 else f", changed its rules again ({now} changes so far)")
    lines = []
    for k in range(critique.raised.shape[0]):
        if not critique.raised[k, 0]:
            continue
        ebe = member_at(model, first + k)
        authority = (f"; {ebe.name}'s experiential authority is now {ebe.authority:.2f}"
                     if ebe.left_week is None else "")
        if critique.accepted[k, 0]:
            lines.append(f"{who(ebe)} questioned a rule or routine; the team took it up"
                         f"{rules}, and the professionals' views moved toward the life world"
                         + authority)
        else:
            lines.append(f"{who(ebe)} questioned a rule or routine; it was brushed aside, "
                         f"which weighed on {ebe.name}" + authority)
    return lines


def authorities(model: TeamModel) -> dict[int, float]:
    """The experiential authority of every EBE present now, by seat."""
    return {seat: m.authority for seat, m in model.members.items() if m.role == EBE}


def _mark(authority: float) -> int:
    """How many of :data:`AUTHORITY_MARKS` an authority has reached."""
    return sum(authority >= mark for mark in AUTHORITY_MARKS)


class AuthorityMarks:
    """Which of :data:`AUTHORITY_MARKS` each EBE's authority has passed, as told so far.

    A rise is told when the authority reaches a mark; a fall only when it drops
    :data:`SLACK` below one, so an authority hovering at a mark is told once, not every
    week it wavers. A newcomer starts at the mark of their granted authority, untold.
    """

    SLACK = 0.05

    def __init__(self, model: TeamModel):
        self.told = {seat: _mark(a) for seat, a in authorities(model).items()}

    def news(self, model: TeamModel) -> list[str]:
        """The marks passed this week, told with what they mean for the team."""
        lines = []
        now = authorities(model)
        fresh = _hired(model) | (now.keys() - self.told.keys())
        self.told = {seat: _mark(a) if seat in fresh else self.told[seat]
                     for seat, a in now.items()}
        for seat, authority in now.items():
            told = self.told[seat]
            up, down = _mark(authority), _mark(authority + self.SLACK)
            if up > told:
                mark, verb, self.told[seat] = AUTHORITY_MARKS[up - 1], "rose to", up
            elif down < told:
                mark, verb, self.told[seat] = AUTHORITY_MARKS[down], "fell below", down
            else:
                continue
            name = model.members[seat].name
            meaning = (AUTHORITY_MEANING if verb == "rose to"
                       else AUTHORITY_LOST)[self.told[seat]].format(name=name)
            lines.append(f"{name}'s experiential authority {verb} {mark:.2f} "
                         f"(now {authority:.2f}): {meaning}")
        return lines


def _hired(model: TeamModel) -> set[int]:
    """Seats filled by a newcomer this week."""
    week = model.last_week
    return set() if week is None else {int(s) for s in week.hires[:, 0].nonzero()[0]}


def _open_post(model: TeamModel, gone: TeamMember) -> str:
    """How a post someone just left is covered."""
    if gone.seat == FINAL:
        return "a locum steps in at once"
    org = model.config.organisation
    if gone.role == EBE and not org.rehire:
        return "the post will not be filled again"
    weeks = org.rehire_delay_weeks if gone.role == EBE else model.config.team.vacancy_weeks
    return ("the post is filled at once" if weeks == 0
            else f"the post stays open for {weeks} weeks")


def _joined(member: TeamMember) -> str:
    """A newcomer, and the view they bring."""
    view = f"{member.perspective:.2f}"
    if member.role == EBE:
        return f"{who(member)} joined the team, bringing a life-world view of {view}"
    start = "took over final responsibility" if is_locum(member) else "joined the team"
    if member.ally:
        return (f"{who(member)} {start}, an ally with lived experience of their own, with a "
                f"view of {view}")
    return f"{who(member)} {start}, with a view of {view} from their training"


def _comings_and_goings(model: TeamModel) -> list[str]:
    """Who left this week and how the post is covered; who joined and from where."""
    lines = [f"{who(gone)} left the team; {_open_post(model, gone)}"
             for gone in model.departed if gone.left_week == model.week]
    lines += [_joined(model.members[seat]) for seat in sorted(_hired(model))]
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
ONE_ASSIMILATED = ("the EBE's view is no longer distinct from where the team started: the "
                   "perspective has taken on the colour of the team")


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
    meaning = MEANING[now]
    if now == "assimilated" and model.observation()["ebe_present"] == 1:
        meaning = ONE_ASSIMILATED
    return [f"{change}: {meaning} ({now})"]


def _keepers(model: TeamModel) -> str:
    """'Sam keeps it', 'Sam and Noor keep it', 'Noor keeps it; Sam no longer does'."""
    ebes = [m for m in model.members.values() if m.role == EBE]
    keep = [m.name for m in ebes if m.retains]
    lost = [m.name for m in ebes if not m.retains]
    text = f"{names(keep)} keep{'s' if len(keep) == 1 else ''} it"
    if lost:
        text += f"; {names(lost)} no longer do{'es' if len(lost) == 1 else ''}"
    return text


def status(model: TeamModel) -> str:
    """One line: is the perspective alive, who keeps it, does the team carry it too, since
    which week (and when it was first lost, if it has come back since or was lost more
    than once)?"""
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
        carried = ", and the team carries it too" if model.observation()["carried"] else ""
        return f"The perspective is alive: {_keepers(model)}{carried} (retained, {when})."
    if now == "diffused":
        return f"The perspective is alive: the team now carries it (diffused, {when})."
    if now == "assimilated":
        ebes = [m.name for m in model.members.values() if m.role == EBE]
        who_ = ebes[0] if len(ebes) == 1 else "the EBEs"
        return f"The perspective is lost: {who_} took on the team's colour (assimilated, {when})."
    return f"The perspective is lost: no EBE is left to bring it (vacant, {when})."


def narrate(model: TeamModel, marks: AuthorityMarks | None = None) -> list[str]:
    """Sentences for the most recent week, each starting 'Week N:'; [] before the first.

    With ``marks`` (kept from week 0 on) the story also tells when an EBE's experiential
    authority passes one of :data:`AUTHORITY_MARKS`.
    """
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
    lines += marks.news(model) if marks is not None else []
    lines += _comings_and_goings(model)
    lines += _transition(model)
    return [f"Week {model.week}: {line}" for line in lines]
