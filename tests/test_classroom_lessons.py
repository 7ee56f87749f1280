"""The three worked lessons in docs/classroom.md: what students should see must hold.

Each lesson compares two settings of the classroom's levers. The claims are tested over
many replicates (fixed seeds) with scipy.stats: Fisher's exact test for proportions,
Mann-Whitney U for outcomes per replicate, at p < 0.001, so that a lesson's message is
a property of the model, not of one lucky run.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from scipy import stats

from experiments.classroom.app import classroom_config
from sim import simulate

REPLICATES = range(200)
ALPHA = 1e-3


@functools.cache
def runs(**levers):
    return simulate(classroom_config(**levers), replicates=REPLICATES, weekly=False).replicates


def more_often(a, b) -> float:
    """p-value that the share of True in ``a`` exceeds that in ``b``."""
    table = [[a.sum(), (~a).sum()], [b.sum(), (~b).sum()]]
    return stats.fisher_exact(table, alternative="greater").pvalue


def larger(a, b) -> float:
    """p-value that values of ``a`` tend to exceed those of ``b``."""
    return stats.mannwhitneyu(a, b, alternative="greater").pvalue


def test_lesson_one_hire_or_two():
    one, two = runs(ebes=1), runs(ebes=2)
    assert more_often(two["survived"], one["survived"]) < ALPHA
    assert larger(two["weeks_to_loss"], one["weeks_to_loss"]) < ALPHA
    assert larger(two["experiential_share"], one["experiential_share"]) < ALPHA
    # the EBEs' share of decisions stays far below their share of the team
    assert one["experiential_share"].mean() < 1 / 11 / 2
    assert two["experiential_share"].mean() < 2 / 12 / 2


def test_lesson_pressure():
    calm, high = runs(pressure="calm"), runs(pressure="high")
    assert more_often(calm["survived"], high["survived"]) < ALPHA
    assert larger(calm["weeks_to_loss"], high["weeks_to_loss"]) < ALPHA
    assert larger(calm["experiential_share"], high["experiential_share"]) < ALPHA
    assert larger(calm["dialogues"], high["dialogues"]) < ALPHA
    assert larger(high["rejection"], calm["rejection"]) < ALPHA


@pytest.mark.parametrize("outcome", ["experiential_share", "feedback_withheld_to_ebe"])
def test_lesson_feedback_trap_authority_raises(outcome):
    plain, deferent = runs(), runs(experiential_authority=0.8)
    assert larger(deferent[outcome], plain[outcome]) < ALPHA


def test_lesson_feedback_trap_share_jumps_several_fold():
    plain, deferent = runs(), runs(experiential_authority=0.8)
    assert deferent["experiential_share"].mean() > 3 * plain["experiential_share"].mean()


def test_lesson_feedback_trap_fewer_words_to_the_ebe():
    plain, deferent = runs(), runs(experiential_authority=0.8)
    assert larger(plain["feedback_given_to_ebe"], deferent["feedback_given_to_ebe"]) < ALPHA


def test_lesson_feedback_trap_dialogue_eases_irritation_not_the_silence():
    deferent = runs(experiential_authority=0.8)
    talking = runs(experiential_authority=0.8, dialogue_culture=0.8)
    assert larger(deferent["irritation_cross"], talking["irritation_cross"]) < ALPHA
    assert larger(talking["trust_cross"], deferent["trust_cross"]) < ALPHA
    held_back = talking["feedback_withheld_to_ebe"] > talking["feedback_given_to_ebe"]
    assert held_back.mean() > 0.9
    dialogue_only = runs(dialogue_culture=0.8)
    assert larger(dialogue_only["feedback_given_to_ebe"], talking["feedback_given_to_ebe"]) < ALPHA
    turned = dialogue_only["feedback_given_to_ebe"] > dialogue_only["feedback_withheld_to_ebe"]
    assert turned.mean() > 0.9


GUIDE = Path(__file__).resolve().parent.parent / "docs" / "classroom.md"
LESSON_SEED = 18


def lesson(title: str) -> str:
    """The text of one lesson of the guide, on one line."""
    text = GUIDE.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return " ".join(text[start:end if end > 0 else None].split())


def story(**levers):
    """The one run a lesson shows: replicate 0 of the lesson seed."""
    return simulate(classroom_config(seed=LESSON_SEED, **levers), replicates=[0],
                    weekly=False).replicates.iloc[0]


def test_the_guide_tells_the_runs_its_screenshots_show():
    """If this fails the model changed: retake the screenshots (docs/img/screenshots.py)
    and update the weeks and outcomes quoted in docs/classroom.md."""
    one, two = story(), story(ebes=2)
    text = lesson("Lesson 1: one hire or two")
    assert f"Seed {LESSON_SEED}" in text
    assert not one["survived"] and one["exits"] == 0 and two["survived"]
    assert f"*Perspective lost in week {one['weeks_to_loss']}*" in text
    calm, high = story(pressure="calm"), story(pressure="high")
    text = lesson("Lesson 2: pressure")
    assert calm["survived"] and not high["survived"]
    assert f"*Perspective lost in week {high['weeks_to_loss']}*" in text
    talks = (f"({high['dialogues']:.0f} in two years instead of {calm['dialogues']:.0f} "
             "in the calm run)")
    assert talks in text
