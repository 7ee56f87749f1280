"""What a study says, as sentences with their numbers: the findings of the policy brief.

Each :class:`Fact` is one sentence in the reader's language and the numbers it states, so
that tests can check every number against the data. Facts belong to a section of the
brief: ``answer`` (the bold answer), ``uncertainty`` (how sure, in plain words),
``shows`` (what the model shows) and ``analysts`` (technical detail).

A study is read as a *design*: the column it compares (the number of EBEs, or the
scenario) within each *situation*, the combination of every other column the study
varies (usually the pressure level). Effects are paired: the same simulated teams with
and without the change (common random numbers). An effect is a gain or a loss only when
its whole 95% interval lies beyond the minimum important difference, no meaningful
difference only when it lies within it, and unclear when it reaches across it
(:func:`analysis.compare.verdict`); no answer rests on an unclear comparison, and the
brief says roughly how many runs would settle it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from analysis import figures
from analysis.compare import (
    MAIN_OUTCOMES,
    MINIMUM_IMPORTANT,
    Estimate,
    more_replicates,
    paired_differences,
    proportions,
    verdict,
)
from analysis.language import (
    describe,
    effect_points,
    horizon,
    number,
    percent,
    percent_interval,
    points,
    thousands,
)
from analysis.load import StudyError
from analysis.names import capital, name
from analysis.robustness import SECOND_EBE, Basis, Robustness, claim_of, mechanism
from analysis.study import key_columns, same_partition
from analysis.survival import NotEstimable, hazard_ratio
from analysis.wording import (
    IN_THE_MODEL,
    OF_TEAMS,
    PRESSURE_AT,
    VERDICTS,
    WITH,
    count_word,
    joined,
    ordinal,
    say,
)

#: Columns that say what a study compares (the scenario, the number of EBEs), not in
#: which situation.
DESIGN_COLUMNS = ("label", "scenario", "ebe_count", "ebe.count", "ebe.share")


@dataclass(frozen=True)
class Fact:
    """One sentence of the brief, its section and the numbers it states."""

    key: str
    text: str
    numbers: dict = field(default_factory=dict)
    section: str = "shows"


@dataclass(frozen=True)
class Design:
    """The compared column and the situations (combinations of the other varied columns)
    within which it is compared."""

    group: str
    contexts: tuple[str, ...]
    levels: tuple[tuple, ...]

    def mask(self, frame: pd.DataFrame, level: tuple) -> pd.Series:
        """Rows of ``frame`` in the situation ``level``."""
        mask = pd.Series(True, index=frame.index)
        for column, value in zip(self.contexts, level, strict=True):
            mask &= frame[column] == value
        return mask

    def rows(self, frame: pd.DataFrame, level: tuple) -> pd.DataFrame:
        return frame[self.mask(frame, level)]

    def inline(self, level: tuple, lang: str) -> str:
        """'at high pressure' (empty for a study of one situation)."""
        parts = [PRESSURE_AT[v](lang) if c == "pressure" and v in PRESSURE_AT
                 else f"{WITH(lang)} {describe(c, v, lang)}"
                 for c, v in zip(self.contexts, level, strict=True)]
        return ", ".join(parts)

    def prefix(self, level: tuple, lang: str) -> str:
        """The situation opening a sentence: 'At high pressure, ' / 'Bij hoge werkdruk '."""
        text = self.inline(level, lang) or IN_THE_MODEL(lang)
        return capital(text) + (", " if lang == "en" else " ")


def design(frame: pd.DataFrame, group: str) -> Design:
    """The design of a study that compares ``group`` (``ebe_count`` or ``label``)."""
    contexts = [k for k in key_columns(frame) if k != group
                and not same_partition(frame, k, group)]
    combos = frame[contexts].drop_duplicates() if contexts else pd.DataFrame(index=[0])
    rank = {c: {v: i for i, v in enumerate(figures.ordered(frame[c].unique()))}
            for c in contexts}
    levels = sorted((tuple(row) for row in combos[contexts].itertuples(index=False)),
                    key=lambda lv: [rank[c][v] for c, v in zip(contexts, lv, strict=True)])
    if not contexts:
        levels = [()]
    d = Design(group, tuple(contexts), tuple(levels))
    for level in d.levels:
        if d.rows(frame, level)[group].nunique() < 2:
            raise StudyError(
                f"the brief compares {'numbers of EBEs' if group == 'ebe_count' else 'scenarios'}"
                " within each situation the study varies, but "
                f"{d.inline(level, 'en') or 'this study'} has only one: the study varies "
                f"{', '.join(key_columns(frame))} together; run a study that varies "
                f"{'ebe.count' if group == 'ebe_count' else 'scenario'} on its own (or "
                "with pressure)")
    return d


def _plural(count: int, lang: str) -> dict:
    return {"s": "s" if count != 1 else "", "n": "n" if count != 1 else ""}


def _est(row) -> Estimate:
    return Estimate(float(row["difference"]), float(row["low"]), float(row["high"]),
                    int(row["n"]))


# ------------------------------------------------------------------------------ hires


def _steps(frame: pd.DataFrame, d: Design) -> dict[tuple, dict[int, pd.Series]]:
    """Paired effect on ``survived`` of each extra EBE (previous count -> count)."""
    out: dict[tuple, dict[int, pd.Series]] = {}
    for level in d.levels:
        rows = d.rows(frame, level)
        counts = sorted(c for c in rows["ebe_count"].unique() if c > 0)
        out[level] = {}
        for prev, count in zip(counts, counts[1:], strict=False):
            pair = rows[rows["ebe_count"].isin([prev, count])]
            out[level][count] = paired_differences(pair, "ebe_count", prev, ["survived"],
                                                   within=(), treatments=[count]).iloc[0]
    return out


def _enough(steps: dict[tuple, dict[int, pd.Series]], counts: list[int],
            minimum: float) -> int:
    """The smallest count from which no further EBE is a gain, in every situation."""
    needed = counts[0]
    for by_count in steps.values():
        k = counts[0]
        for count in counts[1:]:
            if count in by_count and verdict(_est(by_count[count]), minimum) == "gain":
                k = count
            else:
                break
        needed = max(needed, k)
    return needed


def _shares_list(shares: list, d: Design, lang: str, contexts: bool) -> str:
    """'99% of simulated teams at normal pressure and 98% at high pressure' (with
    ``contexts``), or '78% and 51%'; a share may be given as text already."""
    parts = []
    for i, (share, level) in enumerate(zip(shares, d.levels, strict=True)):
        text = share if isinstance(share, str) else percent(share, lang)
        if contexts:
            text += (f" {OF_TEAMS(lang)}" if i == 0 else "")
            inline = d.inline(level, lang)
            text += f" {inline}" if inline else ""
        parts.append(text)
    return joined(parts, lang)


def _alive_list(props: pd.DataFrame, d: Design, count: int, lang: str,
                contexts: bool) -> tuple[str, dict]:
    numbers = {level: float(props[(props["ebe_count"] == count)
                                  & d.mask(props, level)].iloc[0]["p"])
               for level in d.levels}
    return _shares_list(list(numbers.values()), d, lang, contexts), numbers


def _unclear_steps(steps: dict[tuple, dict[int, pd.Series]], count: int | None,
                   minimum: float) -> dict[tuple, Estimate]:
    """The situations where the effect of the ``count``-th EBE is unclear."""
    if count is None:
        return {}
    return {level: _est(by_count[count]) for level, by_count in steps.items()
            if count in by_count and verdict(_est(by_count[count]), minimum) == "unclear"}


def _where(levels: list[tuple], d: Design, lang: str) -> str:
    """' at high pressure' for some of the situations; '' for all of them."""
    if len(levels) == len(d.levels) or not d.contexts:
        return ""
    return " " + joined([d.inline(level, lang) for level in levels], lang)


def _unclear_next(frame, d, unclear: dict[tuple, Estimate], count: int, lang: str,
                  minimum: float) -> Fact:
    """The answer when the study cannot tell whether the ``count``-th EBE matters."""
    needed, _ = more_runs(list(unclear.values()), minimum)
    text = say("answer/unclear_next", lang, n=thousands(_replicates(frame), lang),
               ordinal=ordinal(count, lang), where=_where(list(unclear), d, lang),
               needed=_needed_clause(needed, lang))
    return Fact("answer", text, {"enough": None, "unclear": list(unclear), "needed": needed},
                "answer")


def hires_answer(frame, d, props, steps, lang, minimum) -> Fact:
    """The bold answer: how many EBEs to hire, with the numbers that say so. It never
    rests on an unclear comparison: then it says that more runs are needed."""
    counts = sorted(c for c in frame["ebe_count"].unique() if c > 0)
    k = _enough(steps, counts, minimum)
    at = counts.index(k)
    nxt = counts[at + 1] if at + 1 < len(counts) else None
    unclear = _unclear_steps(steps, nxt, minimum)
    when = horizon(int(frame["horizon"].max()), lang)
    if at == 0:                     # the next EBE is no gain anywhere
        if unclear:
            return _unclear_next(frame, d, unclear, nxt, lang, minimum)
        alive_next, n_next = _alive_list(props, d, nxt, lang, contexts=True)
        alive_k, n_k = _alive_list(props, d, k, lang, contexts=False)
        subject = count_word(k, lang) + (" EBE" if lang == "en" else " ervaringsdeskundige") \
            + ("" if k == 1 else ("s" if lang == "en" else "n"))
        verb = ("was" if k == 1 else "were") if lang == "en" else ("was" if k == 1 else "waren")
        text = say("answer/enough", lang, subject=capital(subject), verb=verb, when=when,
                   next_count=count_word(nxt, lang), alive_next=alive_next, alive_k=alive_k,
                   k=count_word(k, lang))
        return Fact("answer", text, {"enough": k, "alive": n_k, "alive_next": n_next},
                    "answer")
    prev = counts[at - 1]
    alive_k, n_k = _alive_list(props, d, k, lang, contexts=True)
    alive_prev, n_prev = _alive_list(props, d, prev, lang, contexts=False)
    key = "answer/still_rising" if k == counts[-1] else "answer/at_least"
    text = say(key, lang, k=count_word(k, lang), when=when, alive_k=alive_k,
               alive_prev=alive_prev, prev=count_word(prev, lang))
    numbers = {"enough": k, "alive": n_k, "alive_prev": n_prev}
    if unclear:
        needed, _ = more_runs(list(unclear.values()), minimum)
        text += say("answer/further_unclear", lang, ordinal=ordinal(nxt, lang),
                    where=_where(list(unclear), d, lang),
                    n=thousands(_replicates(frame), lang), needed=_needed_clause(needed, lang))
        numbers.update(unclear=list(unclear), needed=needed)
    elif nxt is not None and {verdict(_est(by_count[nxt]), minimum) for by_count
                              in steps.values() if nxt in by_count} == {"none"}:
        text += say("answer/no_further", lang, ordinal=ordinal(nxt, lang))
    return Fact("answer", text, numbers, "answer")


def hires_findings(frame: pd.DataFrame, lang: str = "en",
                   minimum: float = MINIMUM_IMPORTANT,
                   robustness: Robustness | None = None) -> list[Fact]:
    """Every fact of a study that varies the number of EBEs."""
    with_ebe = frame[frame["ebe_count"] > 0]
    if with_ebe["ebe_count"].nunique() < 2:
        raise StudyError("the brief compares numbers of EBEs: this study has fewer than two "
                         "numbers of EBEs above zero (run teamsim run "
                         "experiment=hire_more_than_one)")
    d = design(with_ebe, "ebe_count")
    horizon_weeks = int(frame["horizon"].max())
    when = horizon(horizon_weeks, lang)
    by = [*d.contexts, "ebe_count"]
    props = proportions(with_ebe, by)
    steps = _steps(with_ebe, d)
    facts = [hires_answer(with_ebe, d, props, steps, lang, minimum)]
    effects = [_est(row) for by_count in steps.values() for row in by_count.values()]
    facts += uncertainty(frame, props, lang, robustness,
                         [(SECOND_EBE, say("second_ebe", lang))], minimum, effects)
    facts.append(Fact("mid_rule", say("mid_rule", lang, mid=number(100 * minimum, 0, lang)),
                      {"minimum": minimum}))
    facts += _alive_facts(d, props, lang, when)
    facts += _step_facts(d, steps, lang, when, minimum)
    facts += _how_lost(with_ebe, d, lang, when)
    facts.append(_team_fact(with_ebe, by, lang))
    if (with_ebe["ebe_count"].nunique() > 1):
        facts.append(_hazard_fact(with_ebe, d, lang))
    if (frame["ebe_count"] == 0).any():
        facts.append(Fact("no_ebe", say("no_ebe", lang), {}, "analysts"))
    return facts


def _hazard_fact(with_ebe: pd.DataFrame, d: Design, lang: str) -> Fact:
    """The Cox hazard ratio per extra EBE, or why the runs cannot estimate it."""
    try:
        hr = hazard_ratio(with_ebe, strata=None if not d.contexts else d.contexts[0])
    except NotEstimable as missing:
        return Fact("hazard_ratio", say(f"hazard_ratio/{missing.reason}", lang),
                    {"reason": missing.reason}, "analysts")
    return Fact("hazard_ratio", say(
        "hazard_ratio", lang, ratio=number(hr.ratio, 2, lang), low=number(hr.low, 2, lang),
        high=number(hr.high, 2, lang), n=thousands(hr.n, lang)),
        {"ratio": hr.ratio, "low": hr.low, "high": hr.high}, "analysts")


def _key(level: tuple) -> str:
    return "/".join(map(str, level)) or "all"


def _alive_facts(d: Design, props: pd.DataFrame, lang: str, when: str) -> list[Fact]:
    facts = []
    for level in d.levels:
        rows = props[d.mask(props, level)].sort_values("ebe_count")
        parts = []
        for i, row in enumerate(rows.itertuples()):
            count, share = int(row.ebe_count), percent_interval(row.p, row.low, row.high, lang)
            parts.append(say("alive/first", lang, context=d.prefix(level, lang),
                             count=count_word(count, lang), when=when, share=share,
                             **_plural(count, lang)) if i == 0 else
                         say("alive/next", lang, count=count_word(count, lang), share=share))
        facts.append(Fact(f"alive/{_key(level)}", "; ".join(parts) + ".",
                          {int(r.ebe_count): (r.p, r.low, r.high) for r in rows.itertuples()}))
    return facts


def _step_facts(d: Design, steps: dict[tuple, dict[int, pd.Series]], lang: str, when: str,
                minimum: float) -> list[Fact]:
    """The paired effect of each extra EBE, one sentence per count over the situations."""
    facts = []
    counts = sorted({c for by_count in steps.values() for c in by_count})
    for count in counts:
        parts, numbers = [], {}
        for level in d.levels:
            if count not in steps[level]:
                continue
            est = _est(steps[level][count])
            call = verdict(est, minimum)
            inline = d.inline(level, lang)
            parts.append(say("step/first" if not parts else "step/next", lang,
                             who=say("step/who", lang, ordinal=ordinal(count, lang)),
                             when=when, context=f" {inline}" if inline else "",
                             verdict=VERDICTS[call](lang),
                             **effect_points(est.value, est.low, est.high, minimum, lang)))
            numbers[level] = {"difference": est.value, "low": est.low, "high": est.high,
                              "verdict": call}
        facts.append(Fact(f"step/{count}", "; ".join(parts) + say("same_teams", lang), numbers))
    return facts


def _how_lost(frame: pd.DataFrame, d: Design, lang: str, when: str) -> list[Fact]:
    """Where the perspective was lost with the fewest EBEs: assimilation or vacancy."""
    count = int(frame["ebe_count"].min())
    facts = []
    for level in d.levels:
        rows = d.rows(frame, level)
        rows = rows[rows["ebe_count"] == count]
        states = rows["state"].astype(str).value_counts(normalize=True)
        shares = {s: float(states.get(s, 0.0)) for s in ("assimilated", "vacant")}
        lost = 1 - float(rows["survived"].mean())
        facts.append(Fact(
            f"how_lost/{_key(level)}",
            say("how_lost", lang, context=d.prefix(level, lang), count=count_word(count, lang),
                when=when, lost=percent(lost, lang),
                assimilated=percent(shares["assimilated"], lang),
                vacant=percent(shares["vacant"], lang), **_plural(count, lang)),
            {"lost": lost, **shares}))
    return facts


def _team_fact(frame: pd.DataFrame, by: list[str], lang: str) -> Fact:
    diffused = frame.groupby(by)["state"].apply(lambda s: (s.astype(str) == "diffused").mean())
    shift = frame.groupby(by)["team_shift"].mean()
    return Fact("team", say("team" if diffused.max() > 0 else "team/none", lang,
                            diffused=percent(diffused.max(), lang),
                            low=number(shift.min(), 3, lang, sign=True),
                            high=number(shift.max(), 3, lang, sign=True)),
                {"diffused": float(diffused.max()), "low": float(shift.min()),
                 "high": float(shift.max())})


# ------------------------------------------------------------------------------ uncertainty


def _replicates(frame: pd.DataFrame) -> int:
    """Simulated teams per situation (the fewest of any point)."""
    return int(frame.groupby("point_id").size().min())


def more_runs(effects: list[Estimate], minimum: float) -> tuple[int | None, int]:
    """Roughly how many replicates per situation would settle the unclear ``effects``
    (:func:`~analysis.compare.more_replicates`), and how many of them that settles: an
    effect that would need more than ``FAR`` times its replicates is left out (its
    estimate lies almost on ``±minimum``). None when none can be settled so."""
    within = [x for x in (more_replicates(e, minimum) for e in effects) if x is not None]
    return (max(within) if within else None), len(within)


def _needed_clause(needed: int | None, lang: str) -> str:
    """'; about 1,800 per situation would tell', or '' when no number is a guide."""
    return "" if needed is None else say("answer/needed", lang,
                                         needed=thousands(needed, lang))


def _noise(frame: pd.DataFrame, props: pd.DataFrame, lang: str, minimum: float) -> Fact:
    """How wide the 95% intervals are: small only when narrower than the minimum important
    difference, else too wide to answer every question."""
    n = _replicates(frame)
    width = float(((props["high"] - props["low"]) / 2).max())
    small = width < minimum
    def up(x: float) -> int:                        # rounded up; 44.0000001 -> 44
        return math.ceil(round(x, 6))

    shown, digits = up(100 * width), 0
    if small and shown >= 100 * minimum:            # ±4.4, not ±5, the edge itself
        shown, digits = up(1000 * width) / 10, 1
    text = say("noise" if small else "noise/wide", lang, n=thousands(n, lang),
               w=number(shown, digits, lang), mid=number(100 * minimum, 0, lang))
    return Fact("noise", text, {"n": n, "half_width": width, "small": small}, "uncertainty")


def _unclear(frame: pd.DataFrame, effects: list[Estimate], lang: str,
             minimum: float) -> list[Fact]:
    """How many of the brief's comparisons are unclear, and roughly how many runs would
    settle them (none when every comparison has a verdict)."""
    unclear = [e for e in effects if verdict(e, minimum) == "unclear"]
    if not unclear:
        return []
    k, mid = len(unclear), number(100 * minimum, 0, lang)
    text = say("unclear/one" if k == 1 else "unclear/many", lang,
               n=thousands(_replicates(frame), lang), k=k, total=len(effects), mid=mid)
    needed, settled = more_runs(unclear, minimum)
    if needed is not None:
        which = ("unclear/settle_it" if k == 1 else "unclear/settle_them" if settled == k
                 else "unclear/settle_some")
        text += say("unclear/settle", lang, needed=thousands(needed, lang),
                    which=say(which, lang, m=settled))
    if settled < k:
        subject = ("unclear/far_it" if k == 1 else "unclear/far_them" if settled == 0
                   else "unclear/far_others")
        text += say("unclear/far", lang, subject=say(subject, lang), mid=mid)
    return [Fact("unclear", text, {"unclear": k, "comparisons": len(effects),
                                   "needed": needed, "settled": settled}, "uncertainty")]


def uncertainty(frame: pd.DataFrame, props: pd.DataFrame, lang: str,
                robustness: Robustness | None, claims: list[tuple[str, str]],
                minimum: float = MINIMUM_IMPORTANT,
                effects: list[Estimate] = ()) -> list[Fact]:
    """The simulation noise, the comparisons it leaves unclear (of ``effects``, the
    brief's paired effects) and what the calibration leaves open, in plain words, with
    what that was measured on."""
    facts = [_noise(frame, props, lang, minimum), *_unclear(frame, list(effects), lang,
                                                             minimum)]
    if robustness is None:
        facts.append(Fact("calibration", say("calibration/pending", lang), {}, "uncertainty"))
        return facts
    quoted = [_claim_fact(claim_id, what, robustness, lang, claims[i - 1][0] if i else None)
              for i, (claim_id, what) in enumerate(claims)]
    facts += quoted
    if any(f.numbers for f in quoted):
        facts.append(_basis_fact(frame, robustness, lang))
    return facts


def _claim_fact(claim_id: str, what: str, robustness: Robustness, lang: str,
                after: str | None = None) -> Fact:
    """How one claim fared under the model's open assumptions; ``after``, the claim said
    just before it, if any (the lead-in and the same mechanisms are then not repeated)."""
    claim = robustness.claims.get(claim_id)
    if claim is None:
        return Fact(f"calibration/{claim_id}", say("calibration/missing_claim", lang), {},
                    "uncertainty")
    before = robustness.claims.get(after) if after else None
    text = say("calibration/claim_next" if before else "calibration/claim", lang, what=what,
               holds=claim.holds, variants=claim.variants)
    if claim.low is not None and claim.high is not None:
        text += say("calibration/range", lang, low=points(claim.low, lang),
                    high=points(claim.high, lang))
    if claim.reverses is not None:
        text += say("calibration/reverses" if claim.reverses
                    else "calibration/never_reverses", lang)
    if claim.carried_by and before and before.carried_by == claim.carried_by:
        text += say("calibration/carried_by_same", lang)
    elif claim.carried_by:
        text += say("calibration/carried_by", lang,
                    mechanisms=joined([mechanism(m, lang) for m in claim.carried_by], lang))
    return Fact(f"calibration/{claim_id}", text,
                {"holds": claim.holds, "variants": claim.variants, "low": claim.low,
                 "high": claim.high}, "uncertainty")


def _at(pressures: tuple[str, ...], lang: str) -> str:
    """'at normal pressure and at high pressure'."""
    return joined([PRESSURE_AT[p](lang) if p in PRESSURE_AT else p for p in pressures], lang)


def study_differences(frame: pd.DataFrame, basis: Basis, lang: str) -> list[str]:
    """How a study differs from what the robustness results were measured on: its
    horizon, team, pressure levels and the other settings it varies, in words."""
    found = []
    weeks = int(frame["horizon"].max())
    if weeks != basis.weeks:
        found.append(say("differs/horizon", lang, when=horizon(weeks, lang)))
    teams = sorted(set(frame["team"]) - {basis.team}) if "team" in frame else []
    if teams:
        found.append(say("differs/team", lang,
                         team=joined([name("team", t, lang) for t in teams], lang)))
    if "pressure" in frame:
        extra = tuple(p for p in PRESSURE_AT if p in set(frame["pressure"]) - {*basis.pressures})
        if extra:
            found.append(_at(extra, lang))
    varied = [c for c in key_columns(frame) if c not in (*DESIGN_COLUMNS, "pressure", "team")]
    found += [say("differs/varied", lang, what=name("setting", c, lang)) for c in varied]
    return found


def _basis_fact(frame: pd.DataFrame, robustness: Robustness, lang: str) -> Fact:
    """What the robustness results were measured on, and, when this study differs from
    that, that they describe the default study, not this one."""
    basis = robustness.basis
    if basis is None:
        return Fact("calibration/basis", say("calibration/basis_unknown", lang,
                                             source=robustness.source), {}, "uncertainty")
    ranged = "" if not basis.range_pressures or basis.range_pressures == basis.pressures \
        else say("calibration/basis_range", lang, pressures=_at(basis.range_pressures, lang))
    text = say("calibration/basis", lang, team=name("team", basis.team, lang),
               when=horizon(basis.weeks, lang), pressures=_at(basis.pressures, lang),
               range=ranged)
    differences = study_differences(frame, basis, lang)
    if differences:
        text += say("calibration/differs", lang, differences="; ".join(differences))
    return Fact("calibration/basis", text, {"weeks": basis.weeks, "team": basis.team,
                                            "pressures": basis.pressures,
                                            "differences": differences}, "uncertainty")


# ------------------------------------------------------------------------------ levers


def levers_findings(frame: pd.DataFrame, baseline: str = "single_hire", lang: str = "en",
                    minimum: float = MINIMUM_IMPORTANT, robustness: Robustness | None = None,
                    diffs: pd.DataFrame | None = None) -> list[Fact]:
    """Every fact of a study that compares scenarios with a baseline scenario (``diffs``:
    :func:`lever_differences`, computed here if not given)."""
    labels = set(frame["label"])
    if baseline not in labels:
        raise StudyError(f"baseline scenario {baseline!r} not in the study: available "
                         f"{', '.join(sorted(labels))}")
    d = design(frame, "label")
    horizon_weeks = int(frame["horizon"].max())
    when = horizon(horizon_weeks, lang)
    props = proportions(frame, [*d.contexts, "label"])
    diffs = lever_differences(frame, d, baseline) if diffs is None else diffs
    alive = diffs[diffs["outcome"] == "survived"]
    rank = alive.groupby("label")["difference"].mean().sort_values(ascending=False)
    hires = _hiring(frame, baseline)
    facts = [levers_answer(frame, d, props, alive, rank, hires, baseline, lang, minimum, when)]
    named = [lab for lab in facts[0].numbers.get("named", [])]
    facts += uncertainty(frame, props, lang, robustness, [
        (claim_of(lab), name("scenario", lab, lang))
        for lab in named], minimum, [_est(row) for _, row in alive.iterrows()])
    facts.append(Fact("mid_rule", say("mid_rule", lang, mid=number(100 * minimum, 0, lang)),
                      {"minimum": minimum}))
    base = [props[d.mask(props, level) & (props["label"] == baseline)].iloc[0]
            for level in d.levels]
    facts.append(Fact("baseline", say(
        "baseline", lang, when=when,
        shares=_shares_list([percent_interval(b["p"], b["low"], b["high"], lang)
                             for b in base], d, lang, contexts=True)),
        {level: (b["p"], b["low"], b["high"]) for level, b in zip(d.levels, base,
                                                                 strict=True)}))
    for position, lab in enumerate(rank.index, start=1):
        parts, numbers = [], {}
        for i, level in enumerate(d.levels):
            p = props[d.mask(props, level) & (props["label"] == lab)].iloc[0]
            row = alive[d.mask(alive, level) & (alive["label"] == lab)].iloc[0]
            est, call = _est(row), verdict(_est(row), minimum)
            inline = d.inline(level, lang)
            parts.append(say("lever/first" if i == 0 else "lever/next", lang,
                             context=f"{inline}: " if inline else "",
                             share=percent_interval(p["p"], p["low"], p["high"], lang),
                             verdict=VERDICTS[call](lang),
                             **effect_points(est.value, est.low, est.high, minimum, lang)))
            numbers[level] = {"p": p["p"], "difference": est.value, "low": est.low,
                              "high": est.high, "verdict": call}
        facts.append(Fact(f"lever/{lab}", f"{position}. {describe('label', lab, lang)} — "
                          + "; ".join(parts) + ".", numbers))
    return facts


def lever_differences(frame: pd.DataFrame, d: Design, baseline: str) -> pd.DataFrame:
    """Paired effect of every scenario against ``baseline`` on the main outcomes, within
    each situation."""
    if baseline not in set(frame["label"]):
        raise StudyError(f"baseline scenario {baseline!r} not in the study: available "
                         f"{', '.join(sorted(set(frame['label'])))}")
    return paired_differences(frame, "label", baseline, MAIN_OUTCOMES, within=d.contexts)


def _hiring(frame: pd.DataFrame, baseline: str) -> set[str]:
    """Scenarios that hire more EBEs than the baseline."""
    counts = frame.groupby("label")["ebe_count"].max()
    return {lab for lab, c in counts.items() if c > counts[baseline]}


def _unclear_effects(alive: pd.DataFrame, label: str, minimum: float) -> list[Estimate]:
    """The effects of scenario ``label`` (one per situation) that are unclear."""
    effects = [_est(r) for _, r in alive[alive["label"] == label].iterrows()]
    return [e for e in effects if verdict(e, minimum) == "unclear"]


def _unclear_above(labels: list[str], alive: pd.DataFrame, n: int, lang: str,
                   minimum: float) -> str:
    """' Whether X might help as much or more is unclear ...' for the unclear scenarios
    ``labels`` ranked above a named one; '' if there are none."""
    if not labels:
        return ""
    needed, _ = more_runs([e for lab in labels for e in _unclear_effects(alive, lab, minimum)],
                          minimum)
    return say("answer/above_unclear", lang, n=thousands(n, lang),
               names=joined([name("scenario", lab, lang) for lab in labels], lang),
               needed=_needed_clause(needed, lang))


def levers_answer(frame, d, props, alive, rank, hires, baseline, lang, minimum, when) -> Fact:
    """The bold answer: the measure that helped most. It never rests on an unclear
    comparison: a measure ranked above it whose effect is unclear is named, and with no
    clear gain but unclear effects it says that more runs are needed."""
    def alive_list(label: str, contexts: bool) -> str:
        shares = [float(props[d.mask(props, level) & (props["label"] == label)]
                        .iloc[0]["p"]) for level in d.levels]
        return _shares_list(shares, d, lang, contexts)

    def gains(label: str) -> bool:
        rows = alive[alive["label"] == label]
        return any(verdict(_est(r), minimum) == "gain" for _, r in rows.iterrows())

    order = list(rank.index)
    helping = [lab for lab in order if gains(lab)]
    unclear = [lab for lab in order if lab not in helping
               and _unclear_effects(alive, lab, minimum)]
    n = _replicates(frame)
    if not helping and unclear:
        needed, _ = more_runs([e for lab in unclear
                               for e in _unclear_effects(alive, lab, minimum)], minimum)
        text = say("answer/levers_unclear", lang, n=thousands(n, lang),
                   names=joined([name("scenario", lab, lang) for lab in unclear], lang),
                   needed=_needed_clause(needed, lang))
        return Fact("answer", text, {"best": None, "named": [], "unclear": unclear,
                                     "needed": needed}, "answer")
    if not helping:
        return Fact("answer", say("answer/no_lever_helps", lang, when=when,
                                  alive_base=alive_list(baseline, True),
                                  mid=number(100 * minimum, 0, lang)),
                    {"best": None, "named": []}, "answer")
    best = helping[0]
    text = say("answer/best_lever", lang, best=describe("label", best, lang), when=when,
               alive_best=alive_list(best, True), alive_base=alive_list(baseline, False))
    above = [lab for lab in unclear if order.index(lab) < order.index(best)]
    text += _unclear_above(above, alive, n, lang, minimum)
    named = [best]
    if best in hires:
        others = [lab for lab in helping if lab not in hires]
        if others:
            text += say("answer/best_without_hiring", lang, best=name("scenario", others[0],
                                                                      lang),
                        alive_best=alive_list(others[0], True))
            named.append(others[0])
            text += _unclear_above([lab for lab in unclear if lab not in hires
                                    and lab not in above
                                    and order.index(lab) < order.index(others[0])],
                                   alive, n, lang, minimum)
    return Fact("answer", text, {"best": best, "named": named, "unclear": above}, "answer")
