"""Narration of a week (experiments.classroom.narration): every sentence must match what
the model did, and each change of the perspective's state is told once, in its week."""

from __future__ import annotations

import re

import pytest

from experiments.classroom.narration import (
    ALIVE,
    AUTHORITY_LOST,
    AUTHORITY_MARKS,
    AUTHORITY_MEANING,
    FEEDBACK_LINES,
    MEANING,
    AuthorityMarks,
    authorities,
    introduce,
    leaning,
    member_at,
    names,
    narrate,
    percent,
    role_label,
    status,
    times,
    who,
)
from experiments.classroom.structure import care_lines
from sim import TeamModel
from sim.config import EBE, ROLES
from sim.events import ATTACK, CONTENT, WITHHELD
from sim.parameters import working_together


def run(model: TeamModel, weeks: int) -> list[list[str]]:
    story = []
    for _ in range(weeks):
        model.step()
        story.append(narrate(model))
    return story


def test_role_labels_are_plain_words():
    for role in ROLES:
        assert "_" not in role_label(role)
    assert role_label("social_psychiatric_nurse") == "social-psychiatric nurse"
    assert role_label("expert_by_experience") == "EBE"


def test_introduction_names_every_ebe(small):
    model = TeamModel(small("ebe.count=2"))
    lines = introduce(model)
    assert lines[0].startswith("Week 0: a team of 10 professionals")
    ebes = [m for m in model.members.values() if m.role == "expert_by_experience"]
    for ebe in ebes:
        assert any(f"{ebe.name} (EBE) joins" in line for line in lines)
    assert len(lines) == 1 + len(ebes)
    granted = TeamModel(small("organisation.experiential_authority=0.4"))
    assert introduce(granted)[1].endswith(", and experiential authority 0.40 granted by the "
                                          "organisation")


def test_no_narration_before_the_first_week(small):
    assert narrate(TeamModel(small())) == []


def test_every_sentence_is_dated_with_the_week(small):
    model = TeamModel(small())
    for week, lines in enumerate(run(model, 10), start=1):
        assert lines, "every week has at least the case review"
        assert all(line.startswith(f"Week {week}: ") for line in lines)


def test_feedback_sentences_match_the_events(small):
    """Each told feedback moment names giver and receiver; the rest are counted."""
    model = TeamModel(small("ebe.count=2"))
    checked = 0
    for _ in range(20):
        model.step()
        text = "\n".join(narrate(model))
        fb = model.last_week.feedback
        ebe = model.params.is_ebe
        with_ebe = [(g, r, k) for g, r, k in zip(fb.giver, fb.receiver, fb.kind, strict=True)
                    if ebe[g] or ebe[r]]
        for g, r, k in with_ebe[:FEEDBACK_LINES]:
            giver, receiver = member_at(model, int(g)), member_at(model, int(r))
            verb = "held back feedback to" if k == WITHHELD else "gave"
            assert f"{who(giver)} {verb} {who(receiver)}" in text
            if k == ATTACK:
                assert f"{receiver.name} took it as a personal attack" in text
            checked += 1
        among = [k for g, r, k in zip(fb.giver, fb.receiver, fb.kind, strict=True)
                 if not (ebe[g] or ebe[r])]
        if among:
            given = sum(k in (ATTACK, CONTENT) for k in among)
            held = sum(k == WITHHELD for k in among)
            assert (f"among the professionals feedback was given {times(given)} and held "
                    f"back {times(held)}") in text
        extra = len(with_ebe) - FEEDBACK_LINES
        if extra > 0:
            assert f"{extra} more feedback moment{'' if extra == 1 else 's'} with EBEs" in text
    assert checked > 10


TOLD_CRITIQUE = re.compile(r"Week \d+: (.+?) \(EBE\) questioned a rule or routine; (.*); "
                           r"\1's experiential authority is now ([\d.]+)$")


def test_critique_tells_the_rule_changes_and_the_authority(small):
    """An accepted critique tells the team's rule changes so far, the first one what a
    rule change is; every critique ends with the EBE's authority now."""
    model = TeamModel(small("ebe.count=2", "behaviour.critique_rate=1.0", weeks=104))
    marks, kinds = AuthorityMarks(model), set()
    for _ in range(104):
        model.step()
        lines = narrate(model, marks)
        rules = model.datacollector.model_vars["rules_changed"]
        for told in filter(None, map(TOLD_CRITIQUE.match, lines)):
            ebe = next(m for m in model.members.values() if m.name == told[1])
            assert told[3] == f"{ebe.authority:.2f}"
            if "took it up" not in told[2]:
                kinds.add("brushed aside")
                continue
            assert rules[-1] > rules[-2]
            if rules[-2] == 0:
                assert "changed its rules for the first time (a clearer EBE role" in told[2]
                kinds.add("first")
            else:
                assert f"changed its rules again ({int(rules[-1])} changes so far)" in told[2]
                kinds.add("again")
    assert kinds == {"brushed aside", "first", "again"}
    assert model.observation()["role_clarity"] > model.config.organisation.role_clarity


MARK = re.compile(r"Week \d+: (.+?)'s experiential authority (rose to|fell below) "
                  r"([\d.]+) \(now ([\d.]+)\): (.*)$")


def test_authority_is_told_when_it_passes_a_mark_and_not_when_it_wavers(small):
    """A rise is told in the week an EBE's authority reaches a mark from below it; a fall
    in the week it drops a slack below one; the first time a mark is reached is always
    told; and an authority that hovers at a mark is not told again and again."""
    slack, seen = AuthorityMarks.SLACK, set()
    for overrides in (("organisation.experiential_authority=0.3",
                       "behaviour.critique_rate=1.0"),
                      ("organisation.experiential_authority=0.8", "ebe.feedback_tolerance=0",
                       "organisation.dialogue_culture=1.0")):
        for replicate in range(3):
            model = TeamModel(small("ebe.count=2", *overrides, weeks=104), replicate=replicate)
            marks, levels = AuthorityMarks(model), {}
            history = {seat: [a] for seat, a in authorities(model).items()}
            for _ in range(104):
                model.step()
                lines = narrate(model, marks)
                now = authorities(model)
                for seat in model.last_week.hires[:, 0].nonzero()[0]:   # a newcomer
                    history[int(seat)], _ = [], levels.pop(int(seat), None)
                told = {}
                for match in filter(None, map(MARK.match, lines)):
                    seat = next(s for s, m in model.members.items() if m.name == match[1])
                    told[seat] = match
                    mark, before = float(match[3]), history[seat][-1]
                    assert match[4] == f"{now[seat]:.2f}"
                    if match[2] == "rose to":
                        assert before < mark <= now[seat]
                    else:
                        assert now[seat] + slack < mark <= before + slack
                    level = sum(now[seat] >= m for m in AUTHORITY_MARKS) if match[2] == \
                        "rose to" else AUTHORITY_MARKS.index(mark)
                    said = AUTHORITY_MEANING if match[2] == "rose to" else AUTHORITY_LOST
                    assert match[5] == said[level].format(name=match[1])   # a fall: what ends
                    # told levels go up with a rise and down with a fall, never the same
                    # way twice at a mark: a wavering authority is not told again
                    was = levels.get(seat, sum(history[seat][0] >= m for m in AUTHORITY_MARKS))
                    assert (level > was) if match[2] == "rose to" else (level < was)
                    levels[seat] = level
                    seen.add(match[2])
                for seat, authority in now.items():
                    past = history.setdefault(seat, [])
                    for mark in AUTHORITY_MARKS:
                        if past and max(past) < mark <= authority:   # reached the first time
                            assert seat in told and told[seat][2] == "rose to"
                    past.append(authority)
    assert seen == {"rose to", "fell below"}


def irritation(model: TeamModel) -> dict[tuple[int, int], float]:
    """Unspoken irritation of every present member toward every other (agents' API)."""
    return {(a.seat, b.seat): a.irritation_toward(b) for a in model.members.values()
            for b in model.members.values() if a is not b}


def test_held_back_feedback_does_raise_irritation(small):
    """The narration says 'irritation grew': check it in weeks without a dialogue."""
    model = TeamModel(small("ebe.count=2"))
    seen = 0
    for _ in range(30):
        before = irritation(model)
        model.step()
        if model.last_week.dialogue[0]:
            continue
        fb = model.last_week.feedback
        after = irritation(model)
        for g, r in zip(fb.giver[fb.kind == WITHHELD], fb.receiver[fb.kind == WITHHELD],
                        strict=True):
            if (int(g), int(r)) in before and (int(g), int(r)) in after:
                assert after[int(g), int(r)] > before[int(g), int(r)]
                seen += 1
    assert seen > 10


def test_an_ebe_leaving_and_the_newcomer_are_told(small):
    model = TeamModel(small("behaviour.exit_rate=1.0", "behaviour.stress_hazard_ratio=50",
                            "organisation.rehire_delay_weeks=3", "team.turnover=0", weeks=104))
    story = run(model, 104)
    assert model.departed, "with these rates an EBE leaves within two years"
    gone = model.departed[0]
    lines = story[gone.left_week - 1]
    assert (f"Week {gone.left_week}: {gone.name} (EBE) left the team; the post stays open "
            "for 3 weeks") in lines
    noor = next(m for m in [*model.departed, *model.members.values()] if m.name == "Noor")
    assert noor.joined_week == gone.left_week + 3
    assert any(line.startswith(f"Week {noor.joined_week}: Noor (EBE) joined the team, "
                               "bringing a life-world view of ") for line in
               story[noor.joined_week - 1])


def test_an_ebe_post_not_refilled_is_told(small):
    model = TeamModel(small("behaviour.exit_rate=1.0", "behaviour.stress_hazard_ratio=50",
                            "organisation.rehire=false", "team.turnover=0", weeks=104))
    story = run(model, 104)
    (gone,) = model.departed
    assert (f"Week {gone.left_week}: Sam (EBE) left the team; the post will not be filled "
            "again") in story[gone.left_week - 1]


def test_professionals_leaving_newcomers_and_the_locum_are_told(small):
    """Every professional who leaves is told in their week with how the post is covered;
    the newcomer is told in the week the story said, with the view they start from."""
    model = TeamModel(small("team.turnover=0.9", "team.vacancy_weeks=5", "team.ally_share=0.3",
                            weeks=104))
    story, told = run(model, 104), set()
    for gone in model.departed:
        lines = story[gone.left_week - 1]
        if gone.seat == 0:
            assert f"Week {gone.left_week}: {who(gone)} left the team; a locum steps in at " \
                   "once" in lines
            locum = member_at_week(model, 0, gone.left_week)
            assert locum.name.endswith(" (locum)") and locum.joined_week == gone.left_week
            assert who(locum) == f"{locum.name.removesuffix(' (locum)')} (locum psychiatrist)"
            told.add("locum")
        else:
            assert f"Week {gone.left_week}: {who(gone)} left the team; the post stays open " \
                   "for 5 weeks" in lines
            told.add("left")
    newcomers = [m for m in [*model.departed, *model.members.values()] if m.joined_week > 0]
    for member in newcomers:
        (line,) = [line for line in story[member.joined_week - 1] if who(member) in line
                   and ("joined the team" in line or "took over" in line)]
        if member.seat != 0:
            assert member_at_week(model, member.seat, member.joined_week - 5) is None
        if member.ally:
            assert "an ally with lived experience of their own" in line
            told.add("ally")
        else:
            assert "from their training" in line
    assert told == {"locum", "left", "ally"}


def member_at_week(model: TeamModel, seat: int, week: int):
    """Who held ``seat`` at the end of ``week`` (None for a vacant post)."""
    for member in [*model.departed, *model.members.values()]:
        left = member.left_week if member.left_week is not None else model.week + 1
        if member.seat == seat and member.joined_week <= week < left:
            return member
    return None


def test_allies_and_who_works_with_whom_are_introduced(small):
    duos = TeamModel(small("team.structure=duos", "ebe.count=2", "team.ally_share=0.3"))
    text = "\n".join(introduce(duos))
    allies = [who(m) for m in duos.members.values() if getattr(m, "ally", False)]
    assert len(allies) == 3 and f"{allies[0]}, {allies[1]} and {allies[2]} bring lived " \
        "experience of their own into the team (allies)" in text
    close = working_together(duos.config, list(duos.params.roles))
    for ebe in (10, 11):
        (partner,) = [j for j in range(10) if close[ebe, j] == 1.0]
        assert f"{who(duos.members[ebe])} with {who(duos.members[partner])}" in text
    lines = TeamModel(small("team.structure=subteams", "team.subteams=3"))
    text = "\n".join(introduce(lines))
    assert "the team works in 3 care lines (line 1: " in text
    close = working_together(lines.config, list(lines.params.roles))
    for k, line in enumerate(care_lines(lines)):
        assert f"line {k + 1}: " + ", ".join(who(lines.members[s]) for s in line) in text
        assert all(close[a, b] == 1.0 for a in line for b in line if a != b)
    lined = sorted(s for line in care_lines(lines) for s in line)
    assert lined == list(range(1, lines.params.seats))
    assert close[care_lines(lines)[0][0], care_lines(lines)[1][0]] < 1.0
    assert "full" not in "\n".join(introduce(TeamModel(small())))
    one = TeamModel(small("team.structure=duos", "team.outside_contact=0.25"))
    assert "Week 0: Sam (EBE) works in a duo with Mirjam (psychologist); with the others Sam " \
           "has less contact (0.25 of a close colleague's)" in introduce(one)


def test_dialogue_crisis_and_critique_are_told(small):
    model = TeamModel(small("organisation.dialogue_culture=1.0", "workload.crisis_rate=1.0",
                            "behaviour.critique_rate=1.0"))
    text = "\n".join(line for lines in run(model, 10) for line in lines)
    assert "held an open conversation" in text
    assert "a crisis week" in text
    assert "Sam (EBE) questioned a rule or routine" in text


TOLD = re.compile(r"the experiential perspective (is lost|is alive again|lives on|is still "
                  r"lost): .* \((retained|diffused|assimilated|vacant)\)$")
#: Runs in which the state changes: a lone EBE under high pressure (assimilation and
#: back), an EBE who leaves and is replaced (vacant and back), and a team that moves
#: toward the life world (diffusion; issue 11's example).
CHANGING = {
    "high pressure": ("pressure=high",),
    "exits": ("behaviour.exit_rate=1.0", "behaviour.stress_hazard_ratio=50",
              "organisation.rehire_delay_weeks=3"),
    "moving team": ("behaviour.critique_uptake=0.2", "organisation.policy_seat=1"),
}


def test_each_change_of_state_is_told_once_in_its_week(small):
    seen = set()
    for overrides in CHANGING.values():
        for replicate in range(6):
            model = TeamModel(small(*overrides, weeks=104), replicate=replicate)
            story = run(model, 104)
            states = model.datacollector.model_vars["state"]
            for week, lines in enumerate(story, start=1):
                told = [m for m in map(TOLD.search, lines) if m]
                if states[week] == states[week - 1]:
                    assert not told, (week, lines)
                    continue
                assert len(told) == 1, (week, lines)
                alive = states[week] in ALIVE
                was = states[week - 1] in ALIVE
                assert told[0][2] == states[week]
                assert told[0][1] == {(True, False): "is lost", (False, True): "is alive again",
                                      (True, True): "lives on",
                                      (False, False): "is still lost"}[was, alive]
                if states[week] == "assimilated":     # one EBE: not 'the EBEs' views'
                    one = model.datacollector.model_vars["ebe_present"][week] == 1
                    assert ("the EBE's view is no longer distinct" in told[0][0]) is one
                    assert ("the EBEs' views" in told[0][0]) is not one
                    seen.add(("assimilated", "one" if one else "several"))
                seen.add((states[week - 1], states[week]))
    assert {now for _, now in seen if now in MEANING} == set(MEANING)
    assert ("assimilated", "one") in seen
    assert {("retained", "assimilated"), ("retained", "vacant"), ("vacant", "retained"),
            ("retained", "diffused")} <= seen


def test_status_says_who_holds_the_perspective_and_since_when(small):
    model = TeamModel(small(weeks=104))
    assert status(model) == "The perspective is alive: Sam keeps it (retained, from the start)."
    assert status(TeamModel(small("ebe.count=0"))) == (
        "This team has no EBE: there is no experiential perspective to keep.")
    two = TeamModel(small("ebe.count=2"))
    assert status(two) == "The perspective is alive: Sam and Noor keep it (retained, from " \
                          "the start)."
    seen = set()
    for overrides in [*CHANGING.values(), ("ebe.count=3", "pressure=high",
                                           "ebe.anchor_heterogeneity=1.5")]:
        for replicate in range(3):
            model = TeamModel(small(*overrides, weeks=104), replicate=replicate)
            for _ in range(104):
                model.step()
                states = model.datacollector.model_vars["state"]
                since = max([0] + [w for w in range(1, len(states))
                                   if states[w] != states[w - 1]])
                lost = [w for w, state in enumerate(states) if state not in ALIVE]
                text = status(model)
                assert f"({states[-1]}, " in text
                when = "from the start" if since == 0 else f"since week {since}"
                if lost and lost[0] < since:
                    when += f"; first lost in week {lost[0]}"
                assert text.endswith(f"{when}).")
                assert text.startswith("The perspective is alive" if states[-1] in ALIVE
                                       else "The perspective is lost")
                if states[-1] == "retained":
                    ebes = [m for m in model.members.values() if m.role == EBE]
                    keep = [m.name for m in ebes if m.retains]
                    assert len(keep) == model.observation()["ebes_retaining"]
                    assert text.startswith(f"The perspective is alive: {names(keep)} keep")
                    others = [m.name for m in ebes if not m.retains]
                    assert ("no longer do" in text) == bool(others)
                    if others:
                        assert f"; {names(others)} no longer do" in text
                    carried = bool(model.observation()["carried"])
                    assert ("and the team carries it too" in text) == carried
                    seen |= {("some no longer",) * bool(others), ("carried",) * carried}
    assert {("some no longer",), ("carried",)} <= seen


@pytest.mark.parametrize("share, text", [(0.0, "0%"), (0.004, "less than 1%"),
                                         (0.126, "13%")])
def test_percent(share, text):
    assert percent(share) == text


@pytest.mark.parametrize("view, words", [(0.2, "system world"), (0.5, "neither"),
                                          (0.8, "life world")])
def test_decision_leaning(view, words):
    assert words in leaning(view)
