"""One 'what if we...?' of the explorer, set against the single-hire baseline.

A :class:`Choice` is what the page's controls set: the team type and size, the pressure
level, the number of EBEs, employed or external, and the seven levers. It becomes a
validated model config (the team and pressure groups composed as ``teamsim run`` does,
the rest set on top), and runs replicates ``0..R-1`` of the root seed; the baseline, one
employed EBE and no levers in the same team at the same pressure, runs the same
replicates. Both therefore meet the same random events (common random numbers), and
their difference is paired (:func:`analysis.compare.paired_effect`).

Results are cached for the whole server (:func:`outcome`, keyed by the choice), so a
choice seen before, by anyone, answers at once; a new one costs one engine block of R
replicates. :func:`scenario_file` writes the choice as a scenario file ``teamsim run``
accepts, with the same replicates and seed, so the same numbers come back.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.compare import (
    MINIMUM_IMPORTANT,
    Estimate,
    more_replicates,
    paired_effect,
    proportion,
    verdict,
)
from analysis.language import (
    effect_points,
    horizon,
    number,
    percent,
    percent_interval,
    thousands,
)
from analysis.names import Name, capital, name
from analysis.wording import PRESSURE_AT, VERDICTS, count_word, joined
from sim import Config, compose, to_config
from sim.config import OrganisationConfig
from sim.outcomes import COLUMN, STATES
from sim.parameters import build_team
from sim.simulate import run_block

TEAMS = ("fact", "small", "large", "neighbourhood")
PRESSURES = ("calm", "normal", "high")
EMPLOYMENT = ("employed", "external")
LEVERS = ("intervision", "coaching", "role_clarity", "policy_seat", "professional_autonomy",
          "dialogue_culture", "experiential_authority")
#: Replicates per scenario: 95% intervals within about +-4 percentage points.
REPLICATES = 500
MAX_EBES = 6
DEFAULTS = {lever: float(getattr(OrganisationConfig(), lever)) for lever in LEVERS}

TEXT = {
    "sentence": Name(
        "{scenario}: the perspective was still alive after {when} in {share} of simulated "
        "teams, against {base} with one employed EBE and no measures in the same team; "
        "{difference} percentage points (95% interval {low} to {high}), {verdict}.",
        "{scenario}: het ervaringsperspectief was na {when} nog levend in {share} van de "
        "gesimuleerde teams, tegenover {base} met één ervaringsdeskundige in dienst zonder "
        "maatregelen in hetzelfde team; {difference} procentpunten (95%-interval {low} tot "
        "{high}), {verdict}."),
    "baseline": Name(
        "{scenario}: the perspective was still alive after {when} in {share} of simulated "
        "teams. This is the baseline for this team and pressure (one employed EBE, no "
        "measures): change the EBEs or a measure to compare with it.",
        "{scenario}: het ervaringsperspectief was na {when} nog levend in {share} van de "
        "gesimuleerde teams. Dit is het vertrekpunt voor dit team en deze werkdruk (één "
        "ervaringsdeskundige in dienst, geen maatregelen): verander de "
        "ervaringsdeskundigen of een maatregel om ermee te vergelijken."),
    "unclear": Name(
        " With {n} simulated teams it is unclear whether the difference matters (its 95% "
        "interval reaches across ±{mid} percentage points); about {needed} would tell.",
        " Met {n} gesimuleerde teams is onduidelijk of het verschil ertoe doet (het "
        "95%-interval reikt over ±{mid} procentpunten heen); ongeveer {needed} zou het "
        "uitwijzen."),
    "unclear_far": Name(
        " With {n} simulated teams it is unclear whether the difference matters: it lies "
        "so close to ±{mid} percentage points that far more teams would be needed to tell.",
        " Met {n} gesimuleerde teams is onduidelijk of het verschil ertoe doet: het ligt zo "
        "dicht bij ±{mid} procentpunten dat er veel meer teams nodig zouden zijn."),
    "ebes": Name("{count} {employment} EBE{s}", "{count} ervaringsdeskundige{n} {employment}"),
    "employed": Name("employed", "in dienst"),
    "external": Name("external", "extern"),
    "in_team": Name("in a {team}{size} {pressure}", "in een {team}{size} {pressure}"),
    "size": Name(" of {size} people", " van {size} mensen"),
    "with": Name("with {levers}", "met {levers}"),
    "lever": Name("{lever} {value}", "{lever} {value}"),
}


def say(key: str, lang: str, **values) -> str:
    return TEXT[key](lang).format(**values)


@dataclass(frozen=True)
class Choice:
    """The settings of one scenario (hashable: the cache key)."""

    team: str = "fact"
    size: int | None = None          # persons, EBEs included; None: the team type's own
    pressure: str = "normal"
    ebes: int = 1
    employment: str = "employed"
    levers: tuple[tuple[str, float], ...] = tuple(DEFAULTS.items())
    replicates: int = REPLICATES

    def lever(self, lever: str) -> float:
        return dict(self.levers)[lever]

    def set(self, **changes) -> Choice:
        """A copy with settings changed; levers by their names (``intervision=0.5``)."""
        levers = dict(self.levers)
        for lever in [k for k in changes if k in LEVERS]:
            levers[lever] = round(float(changes.pop(lever)), 4)
        return dataclasses.replace(self, **changes,
                                   levers=tuple((k, levers[k]) for k in LEVERS))

    def baseline(self) -> Choice:
        """One employed EBE and no levers, in the same team at the same pressure."""
        return Choice(team=self.team, size=self.size, pressure=self.pressure,
                      replicates=self.replicates)


@functools.lru_cache(maxsize=16)
def base_config(team: str, pressure: str) -> Config:
    """The single hire composed with the team and pressure groups (as ``teamsim run
    scenario=single_hire team=<team> pressure=<pressure>``)."""
    return compose([f"team={team}", f"pressure={pressure}", "scenario=single_hire"])


def natural_size(team: str, ebes: int) -> int:
    """The team's own size with ``ebes`` EBEs: its professionals plus the EBEs."""
    return sum(base_config(team, "normal").team.disciplines.values()) + ebes


def config(choice: Choice) -> Config:
    """The validated model config of ``choice`` (ConfigError names a bad setting)."""
    cfg = base_config(choice.team, choice.pressure)
    organisation = dataclasses.replace(cfg.organisation, **dict(choice.levers))
    ebe = dataclasses.replace(cfg.ebe, count=choice.ebes, employment=choice.employment)
    team = dataclasses.replace(cfg.team, size=choice.size)
    run = dataclasses.replace(cfg.run, replicates=choice.replicates)
    label = "single_hire" if choice == choice.baseline() else scenario_name(choice)
    return to_config(dataclasses.replace(cfg, label=label, organisation=organisation,
                                         ebe=ebe, team=team, run=run))


@dataclass(frozen=True)
class Outcome:
    """One scenario's results: the perspective alive at the horizon (per replicate and
    as a share with its Wilson interval) and the states week by week."""

    choice: Choice
    survived: np.ndarray
    alive: Estimate
    states: pd.DataFrame               # week, then one column per state (shares)
    weeks: int
    seconds: float


@functools.lru_cache(maxsize=512)
def outcome(choice: Choice) -> Outcome:
    """Run ``choice`` (cached for the whole server)."""
    cfg = config(choice)
    tic = time.perf_counter()
    observed = run_block(build_team(cfg), cfg.run.seed, range(choice.replicates))
    alive = observed[:, -1, COLUMN["alive"]] > 0
    state = observed[:, :, COLUMN["state"]].astype(int)
    shares = np.stack([(state == i).mean(axis=0) for i in range(len(STATES))], axis=1)
    states = pd.DataFrame(shares, columns=list(STATES))
    states.insert(0, "week", np.arange(state.shape[1]))
    return Outcome(choice, alive, proportion(int(alive.sum()), len(alive)), states,
                   cfg.run.weeks, time.perf_counter() - tic)


@dataclass(frozen=True)
class Comparison:
    """A scenario against its baseline on the same simulated teams."""

    scenario: Outcome
    baseline: Outcome
    difference: Estimate
    verdict: str
    minimum: float = MINIMUM_IMPORTANT

    @property
    def is_baseline(self) -> bool:
        return self.scenario.choice == self.baseline.choice

    def sentence(self, lang: str = "en") -> str:
        """The one plain sentence of the page."""
        when = horizon(self.scenario.weeks, lang)
        a = self.scenario.alive
        share = percent_interval(a.value, a.low, a.high, lang)
        scenario = capital(describe(self.scenario.choice, lang))
        if self.is_baseline:
            return say("baseline", lang, scenario=scenario, when=when, share=share)
        d = self.difference
        shown = effect_points(d.value, d.low, d.high, self.minimum, lang)
        return say("sentence", lang, scenario=scenario, when=when, share=share,
                   base=percent(self.baseline.alive.value, lang), difference=shown["diff"],
                   low=shown["low"], high=shown["high"],
                   verdict=VERDICTS[self.verdict](lang)) + self.more_runs(lang)

    def more_runs(self, lang: str = "en") -> str:
        """For an unclear verdict: roughly how many simulated teams would tell
        (:func:`analysis.compare.more_replicates`); else ''."""
        if self.verdict != "unclear":
            return ""
        needed = more_replicates(self.difference, self.minimum)
        n, mid = thousands(self.difference.n, lang), number(100 * self.minimum, 0, lang)
        if needed is None:
            return say("unclear_far", lang, n=n, mid=mid)
        return say("unclear", lang, n=n, mid=mid, needed=thousands(needed, lang))


def compare(choice: Choice, minimum: float = MINIMUM_IMPORTANT) -> Comparison:
    """``choice`` against its baseline: paired difference and its verdict."""
    scenario, base = outcome(choice), outcome(choice.baseline())
    if choice == choice.baseline():
        zero = Estimate(0.0, 0.0, 0.0, choice.replicates)
        return Comparison(scenario, base, zero, "none", minimum)
    difference = paired_effect(scenario.survived, base.survived)
    return Comparison(scenario, base, difference, verdict(difference, minimum), minimum)


def describe(choice: Choice, lang: str = "en") -> str:
    """'two external EBEs in a small FACT team of 12 people at high pressure, with
    peer intervision 0.5'."""
    ebes = say("ebes", lang, count=count_word(choice.ebes, lang),
               employment=say(choice.employment, lang),
               s="s" if choice.ebes != 1 else "", n="n" if choice.ebes != 1 else "")
    size = "" if choice.size is None else say("size", lang, size=choice.size)
    text = ebes + " " + say("in_team", lang, team=name("team", choice.team, lang), size=size,
                            pressure=PRESSURE_AT[choice.pressure](lang))
    changed = [say("lever", lang, lever=name("setting", f"organisation.{lever}", lang),
                   value=number(value, 2, lang))
               for lever, value in choice.levers if value != DEFAULTS[lever]]
    return text + (", " + say("with", lang, levers=joined(changed, lang)) if changed else "")


def scenario_name(choice: Choice) -> str:
    """A stable name of the choice: ``explorer_<8 hex digits>``."""
    digest = hashlib.sha256(repr(choice).encode()).hexdigest()[:8]
    return f"explorer_{digest}"


def scenario_file(choice: Choice, comparison: Comparison | None = None) -> str:
    """The choice as a scenario file ``teamsim run`` accepts (``configs/scenario/``)."""
    label = scenario_name(choice)
    lines = ["# @package _global_", "# Saved from the teamsim explorer."]
    if comparison is not None:
        lines += [f"# {line}" for line in _wrap(comparison.sentence("en"))]
    lines += [f"# Run it: save this file as configs/scenario/{label}.yaml, then",
              f"#   teamsim run scenario={label}",
              "defaults:", f"  - override /team: {choice.team}",
              f"  - override /pressure: {choice.pressure}",
              f"label: {label}", "ebe:", f"  count: {choice.ebes}",
              f"  employment: {choice.employment}", "organisation:"]
    lines += [f"  {lever}: {value!r}" for lever, value in choice.levers]
    if choice.size is not None:
        lines += ["team:", f"  size: {choice.size}"]
    lines += ["run:", f"  replicates: {choice.replicates}"]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 86) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines

