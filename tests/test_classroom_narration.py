"""Narration of a week (experiments.classroom.narration): every sentence must match what
the model did, and each change of the perspective's state is told once, in its week."""

from __future__ import annotations

import re

import pytest

from experiments.classroom.narration import (
    ALIVE,
    FEEDBACK_LINES,
    MEANING,
    introduce,
    leaning,
    member_at,
    narrate,
    percent,
    role_label,
    status,
    times,
    who,
)
from sim import TeamModel
from sim.config import ROLES
from sim.feedback import ATTACK, CONTENT, WITHHELD


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


def test_exit_and_hire_are_told(small):
    model = TeamModel(small("behaviour.exit_rate=1.0", "behaviour.stress_hazard_ratio=50",
                            "organisation.rehire_delay_weeks=3", weeks=104))
    story = run(model, 104)
    assert model.departed, "with these rates an EBE leaves within two years"
    gone = model.departed[0]
    lines = story[gone.left_week - 1]
    assert f"Week {gone.left_week}: {gone.name} (EBE) left the team" in lines
    joined = [line for lines in story for line in lines if "joined the team" in line]
    assert joined and "Noor (EBE) joined the team" in joined[0]


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
                seen.add((states[week - 1], states[week]))
    assert {now for _, now in seen} == set(MEANING)
    assert {("retained", "assimilated"), ("retained", "vacant"), ("vacant", "retained"),
            ("retained", "diffused")} <= seen


def test_status_says_who_holds_the_perspective_and_since_when(small):
    model = TeamModel(small(weeks=104))
    assert status(model) == "The perspective is alive: Sam keeps it (retained, from the start)."
    assert status(TeamModel(small("ebe.count=0"))) == (
        "This team has no EBE: there is no experiential perspective to keep.")
    two = TeamModel(small("ebe.count=2"))
    assert status(two) == "The perspective is alive: 2 of 2 EBEs keep it (retained, from " \
                          "the start)."
    for overrides in CHANGING.values():
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


@pytest.mark.parametrize("share, text", [(0.0, "0%"), (0.004, "less than 1%"),
                                         (0.126, "13%")])
def test_percent(share, text):
    assert percent(share) == text


@pytest.mark.parametrize("view, words", [(0.2, "system world"), (0.5, "neither"),
                                          (0.8, "life world")])
def test_decision_leaning(view, words):
    assert words in leaning(view)
