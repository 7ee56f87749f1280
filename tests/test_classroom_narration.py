"""Narration of a week (sim.narration): every sentence must match what the model did."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sim import TeamModel
from sim.config import ROLES
from sim.feedback import ATTACK, CONTENT, WITHHELD
from sim.narration import (
    FEEDBACK_LINES,
    introduce,
    leaning,
    member_at,
    narrate,
    percent,
    role_label,
    who,
)


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
            assert (f"among the professionals feedback was given {given} times and held "
                    f"back {held} times") in text
        extra = len(with_ebe) - FEEDBACK_LINES
        if extra > 0:
            assert f"{extra} more feedback moments with EBEs" in text
    assert checked > 10


def test_held_back_feedback_does_raise_irritation(small):
    """The narration says 'irritation grew': check it in weeks without a dialogue."""
    model = TeamModel(small("ebe.count=2"))
    seen = 0
    for _ in range(30):
        before = model.engine.state.irritation[0].copy()
        model.step()
        if model.last_week.dialogue[0]:
            continue
        fb = model.last_week.feedback
        after = model.engine.state.irritation[0]
        for g, r in zip(fb.giver[fb.kind == WITHHELD], fb.receiver[fb.kind == WITHHELD],
                        strict=True):
            assert after[g, r] > before[g, r]
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


def test_loss_of_the_perspective_is_told_once_in_its_week(small):
    """Checked on the first of a few high-pressure runs in which the perspective is lost."""
    for replicate in range(10):
        model = TeamModel(small("pressure=high", weeks=104), replicate=replicate)
        story = run(model, 104)
        alive = np.asarray(model.datacollector.model_vars["alive"], dtype=bool)
        lost = [w for w in range(1, len(alive)) if alive[w - 1] and not alive[w]]
        if lost:
            break
    assert lost, "a lone EBE in a high-pressure team mostly loses the perspective"
    told = [week for week, lines in enumerate(story, start=1)
            if any(re.search("perspective (has taken on|is gone)", line) for line in lines)]
    assert told == lost


@pytest.mark.parametrize("share, text", [(0.0, "0%"), (0.004, "less than 1%"),
                                         (0.126, "13%")])
def test_percent(share, text):
    assert percent(share) == text


@pytest.mark.parametrize("view, words", [(0.2, "system world"), (0.5, "neither"),
                                          (0.8, "life world")])
def test_decision_leaning(view, words):
    assert words in leaning(view)
