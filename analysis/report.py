"""The policy brief: one self-contained HTML page per study, for a reader who does not
program.

``teamsim report <study_dir>`` (or ``python -m analysis.report <study_dir>``) writes
``<study_dir>/report.html``: the question, the answer in plain sentences whose numbers
come from the study's data with their uncertainty, the figures (embedded as PNG), what
the model assumes, what it cannot say, and links to the ODD and the data files. Two
kinds of study are understood: one that varies the number of EBEs
(``hire_more_than_one``, also ``pressure_by_hires``) and one that sets levers against a
single-hire baseline (``levers``).

Every sentence with a number is a :class:`Fact`; :func:`build` returns them with the page
so that tests can check each number against the data.
"""

from __future__ import annotations

import argparse
import html
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import figures
from analysis.compare import paired_differences, proportions
from analysis.language import horizon as horizon_words
from analysis.load import StudyError, load_replicates, load_weekly, points
from analysis.survival import curves, hazard_ratio, survival_table
from analysis.trajectories import weekly_bands

NUMBER_WORDS = {0: "no", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth"}
DETAIL = ("median/", "means/")  # facts shown under 'in more detail'
GROUP_HEADERS = {"ebe_count": "EBEs", "label": "scenario"}
ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"
LEVER_NAMES = {
    "two_hires": "a second EBE", "external_ebe": "an external (not employed) EBE",
    "intervision": "peer intervision", "coaching": "coaching", "clear_role": "a clear role",
    "policy_seat": "a seat where policy is made",
    "professional_autonomy": "more professional autonomy",
    "dialogue_culture": "a culture of open dialogue",
    "experiential_authority": "experiential authority (the team defers to the EBE)",
    "separate_ebe_team": "a separate EBE team",
}


@dataclass(frozen=True)
class Fact:
    """One sentence of the brief and the numbers it states."""

    key: str
    text: str
    numbers: dict = field(default_factory=dict)


@dataclass
class Report:
    """A built brief: its kind, its facts and its HTML page."""

    kind: str
    facts: list[Fact]
    html: str


def pct(x: float) -> str:
    """A share as a whole percentage: 0.234 -> '23%'."""
    return f"{100 * x:.0f}%"


def pct_interval(p: float, low: float, high: float) -> str:
    """'23% (19–27%)'."""
    return f"{pct(p)} ({100 * low:.0f}–{pct(high)})"


def points_interval(d: float, low: float, high: float) -> str:
    """A difference of shares in percentage points: '+38 percentage points (34 to 42)'."""
    return f"{100 * d:+.0f} percentage points (95% interval {100 * low:+.0f} to {100 * high:+.0f})"


def count_word(n: int) -> str:
    return NUMBER_WORDS.get(int(n), str(int(n)))


def level_phrase(level) -> str:
    """'a high-pressure team' or 'a team at caseload pressure 0.8'."""
    if level in figures.PRESSURE_ORDER:
        return f"a {level}-pressure team"
    return f"a team at pressure {level}"


def pressure_column(frame: pd.DataFrame) -> str:
    """The column that varies pressure: a swept caseload if any, else the level name."""
    if "workload.caseload" in frame and frame["workload.caseload"].nunique() > 1:
        return "workload.caseload"
    return "pressure"


def study_kind(frame: pd.DataFrame) -> str:
    """``hires`` (the number of EBEs varies) or ``levers`` (scenarios against a baseline)."""
    names = set(frame["study"])
    if "levers" in names:
        return "levers"
    if "hire_more_than_one" in names or frame["ebe_count"].nunique() > 1:
        return "hires"
    if frame["label"].nunique() > 1:
        return "levers"
    raise StudyError("the brief explains a study that varies the number of EBEs "
                     "(hire_more_than_one) or the levers (levers); this study varies neither")


# ---------------------------------------------------------------------------- facts


def hires_facts(frame: pd.DataFrame) -> list[Fact]:
    """Survival per number of EBEs and pressure, the effect of each extra EBE (paired),
    median weeks to loss, hazard ratio, experiential share, team shift, EBE shift (if the
    study has it) and exits."""
    pcol = pressure_column(frame)
    horizon = int(frame["horizon"].max())
    when = horizon_words(horizon)
    props = proportions(frame, [pcol, "ebe_count"])
    km = curves(frame, [pcol, "ebe_count"])
    shifts = ["team_shift", "ebe_shift"] if "ebe_shift" in frame else ["team_shift"]
    means = frame.groupby([pcol, "ebe_count"])[["experiential_share", *shifts, "exits"]].mean()
    facts = []
    for level in figures.ordered(frame[pcol].unique()):
        rows = props[(props[pcol] == level) & (props["ebe_count"] > 0)].sort_values("ebe_count")
        parts = []
        for i, row in enumerate(rows.itertuples()):
            share = pct_interval(row.p, row.low, row.high)
            parts.append(f"with {count_word(row.ebe_count)} EBE"
                         f"{'s' if row.ebe_count > 1 else ''} the perspective survived "
                         f"{when} in {share} of simulated teams" if i == 0
                         else f"with {count_word(row.ebe_count)}, in {share}")
        if parts:
            text = f"In {level_phrase(level)}, " + "; ".join(parts) + "."
            facts.append(Fact(f"survival/{level}", text,
                              {int(r.ebe_count): (r.p, r.low, r.high) for r in rows.itertuples()}))
        counts = sorted(c for c in frame.loc[frame[pcol] == level, "ebe_count"].unique() if c > 0)
        for count in counts:
            curve = km[(level, count)]
            low, high = curve.median_interval
            who = f"{count_word(count)} EBE{'s' if count > 1 else ''} in {level_phrase(level)}"
            if math.isnan(curve.median):
                text = (f"With {who}, more than half of the teams kept the perspective "
                        f"for the whole {when}.")
            else:
                upper = "the horizon" if math.isnan(high) else f"{high:.0f}"
                text = (f"With {who}, half of the teams had lost the perspective by week "
                        f"{curve.median:.0f} (95% interval {low:.0f} to {upper}).")
            facts.append(Fact(f"median/{level}/{count}", text,
                              {"median": curve.median, "low": low, "high": high}))
        facts += _extra_ebe_facts(frame[frame[pcol] == level], level, pcol)
        for count in counts:
            m = means.loc[(level, count)]
            ebe_moved = ("" if "ebe_shift" not in m or math.isnan(m["ebe_shift"]) else
                         f" and the EBEs' own views by {m['ebe_shift']:+.3f} (teams with an "
                         f"EBE at the end)")
            facts.append(Fact(
                f"means/{level}/{count}",
                f"With {count_word(count)} EBE{'s' if count > 1 else ''} in "
                f"{level_phrase(level)}, experiential knowledge carried on average "
                f"{100 * m['experiential_share']:.1f}% of the weight of team decisions, the "
                f"professionals' views moved by {m['team_shift']:+.3f} on the 0-1 scale"
                f"{ebe_moved}, and {m['exits']:.2f} EBEs left per team.",
                {"experiential_share": m["experiential_share"], **m[shifts].to_dict(),
                 "exits": m["exits"]}))
    if (frame["ebe_count"] > 0).any() and frame.loc[frame["ebe_count"] > 0,
                                                   "ebe_count"].nunique() > 1:
        hr = hazard_ratio(frame, strata=pcol)
        facts.append(Fact(
            "hazard_ratio",
            f"Each extra EBE multiplied the weekly risk that the perspective is lost by "
            f"{hr.ratio:.2f} (95% interval {hr.low:.2f} to {hr.high:.2f}; Cox model per "
            f"pressure level, {hr.n} simulated teams).",
            {"ratio": hr.ratio, "low": hr.low, "high": hr.high}))
    if (frame["ebe_count"] == 0).any():
        facts.append(Fact("no_ebe", "Without an EBE there is no experiential perspective in "
                          "the team: those simulations are the reference point (0%)."))
    return facts


def _extra_ebe_facts(rows: pd.DataFrame, level, pcol: str) -> list[Fact]:
    """Paired effect of each extra EBE (n -> n + 1) on survival, same simulated teams."""
    counts = sorted(c for c in rows["ebe_count"].unique() if c > 0)
    facts = []
    for count in counts[1:]:
        pair = rows[rows["ebe_count"].isin([count - 1, count])]
        diff = paired_differences(pair, "ebe_count", count - 1, ["survived"], within=pcol,
                                  treatments=[count]).iloc[0]
        verb = ("raised" if diff["low"] > 0 else "lowered" if diff["high"] < 0
                else "changed")
        facts.append(Fact(
            f"extra/{level}/{count}",
            f"In {level_phrase(level)}, a {ORDINALS.get(count, f'{count}th')} EBE {verb} the "
            f"share of teams that kept the perspective by "
            f"{points_interval(diff['difference'], diff['low'], diff['high'])}, comparing the "
            f"same simulated teams with {count_word(count - 1)} and {count_word(count)}.",
            {"difference": diff["difference"], "low": diff["low"], "high": diff["high"]}))
    return facts


def levers_facts(frame: pd.DataFrame, baseline: str = "single_hire") -> list[Fact]:
    """Baseline survival per pressure level and each lever's paired effect on it, ranked."""
    labels = set(frame["label"])
    if baseline not in labels:
        raise StudyError(f"baseline scenario {baseline!r} not in the study: available "
                         f"{', '.join(sorted(labels))}")
    pcol = pressure_column(frame)
    when = horizon_words(int(frame["horizon"].max()))
    props = proportions(frame, [pcol, "label"])
    diffs = lever_differences(frame, baseline)
    facts = []
    for level in figures.ordered(frame[pcol].unique()):
        base = props[(props[pcol] == level) & (props["label"] == baseline)].iloc[0]
        facts.append(Fact(
            f"baseline/{level}",
            f"With a single EBE and no lever, in {level_phrase(level)} the perspective "
            f"survived {when} in {pct_interval(base.p, base.low, base.high)} of simulated "
            f"teams.", {"p": base.p, "low": base.low, "high": base.high}))
        ranked = diffs[(diffs[pcol] == level) & (diffs["outcome"] == "survived")] \
            .sort_values("difference", ascending=False)
        for rank, row in enumerate(ranked.itertuples(), start=1):
            name = LEVER_NAMES.get(row.label, str(row.label).replace("_", " "))
            lever_p = props[(props[pcol] == level) & (props["label"] == row.label)].iloc[0]
            verdict = ("a clear gain" if row.low > 0 else "a clear loss" if row.high < 0
                       else "no clear difference")
            facts.append(Fact(
                f"lever/{level}/{row.label}",
                f"{rank}. {name[0].upper() + name[1:]} in {level_phrase(level)}: the "
                f"perspective survived in {pct_interval(lever_p.p, lever_p.low, lever_p.high)} "
                f"of teams, {points_interval(row.difference, row.low, row.high)} against the "
                f"baseline: {verdict}.",
                {"p": lever_p.p, "difference": row.difference, "low": row.low,
                 "high": row.high}))
    return facts


def lever_differences(frame: pd.DataFrame, baseline: str = "single_hire") -> pd.DataFrame:
    """Paired effect of every scenario against ``baseline`` on the main outcomes."""
    return paired_differences(frame, "label", baseline, within=pressure_column(frame))


# ---------------------------------------------------------------------------- figures


def hires_figures(frame: pd.DataFrame, weekly: pd.DataFrame | None) -> list[tuple[str, object]]:
    pcol = pressure_column(frame)
    horizon = int(frame["horizon"].max())
    with_ebe = frame[frame["ebe_count"] > 0]
    props = proportions(frame, [pcol, "ebe_count"])
    out = [
        ("Share of simulated teams where the perspective survives, week by week (95% bands).",
         figures.survival_curves(survival_table(with_ebe, [pcol, "ebe_count"]), "ebe_count",
                                 panel=pcol)),
        (f"Perspective survives {horizon_words(horizon)}: by number of EBEs and "
         "pressure (95% intervals).",
         figures.alive_by_count(props, horizon, line=pcol)),
        ("The same as a grid: pressure against the number of EBEs (% of teams).",
         figures.heatmap(props, horizon, y=pcol)),
    ]
    if weekly is not None:
        bands = weekly_bands(weekly[weekly["ebe_count"] > 0],
                             ["distinctiveness", "experiential_share"], [pcol, "ebe_count"])
        out.append(("How distinct the EBEs' view stays and how much weight it carries in "
                    "decisions, week by week: median, central 50% and 90% of teams.",
                    figures.trajectories(bands, "ebe_count", panel=pcol)))
    return out


def levers_figures(frame: pd.DataFrame, weekly: pd.DataFrame | None,
                   baseline: str = "single_hire") -> list[tuple[str, object]]:
    pcol = pressure_column(frame)
    diffs = lever_differences(frame, baseline)
    top = (diffs[diffs["outcome"] == "survived"].groupby("label")["difference"].mean()
           .sort_values(ascending=False).index[:3].tolist())
    chosen = frame[frame["label"].isin([baseline, *top])]
    out = [
        ("Effect of each lever on the share of teams that keep the perspective, against one "
         "EBE without levers (same simulated teams; 95% intervals).",
         figures.lever_effects(diffs, "label", "survived", dodge=pcol)),
        ("Effect of each lever on the weight of experiential knowledge in team decisions.",
         figures.lever_effects(diffs, "label", "experiential_share", dodge=pcol)),
        ("Survival week by week: the baseline and the three strongest levers (95% bands).",
         figures.survival_curves(survival_table(chosen, [pcol, "label"]), "label", panel=pcol)),
    ]
    if weekly is not None:
        bands = weekly_bands(weekly[weekly["label"].isin([baseline, *top])],
                             ["distinctiveness", "experiential_share"], [pcol, "label"])
        out.append(("Distinctiveness and experiential share week by week: median, central "
                    "50% and 90% of teams.",
                    figures.trajectories(bands, "label", panel=pcol)))
    return out


# ---------------------------------------------------------------------------- page


QUESTIONS = {
    "hires": ("Does the experience perspective survive when a team hires one expert by "
              "experience (EBE), and does hiring more than one help?",
              "Experts by experience bring a life-world view, rooted in lived experience, into "
              "mental-health teams. Field reports warn that a lone EBE in a busy team soon "
              "'takes on the colour of the environment', and advise: hire several, not just "
              "one. This brief shows what the teamsim model says about that advice."),
    "levers": ("Which organisational lever best helps a single EBE keep the experience "
               "perspective alive in the team?",
               "Managers can do more than hire: intervision, coaching, a clear role, a seat "
               "where policy is made, more professional autonomy, a culture of open "
               "dialogue, an external or a separately organised EBE. This brief compares "
               "each lever with one EBE and no lever, on the same simulated teams."),
}

CANNOT_SAY = (
    "It does not predict what will happen in a particular team: it explores what follows "
    "from assumptions drawn from field reports and the literature.",
    "Its numbers are not measured rates: the mechanisms are set from qualitative sources and "
    "plausible values, not fitted to data on real teams. Read differences and directions "
    "more than exact percentages.",
    "'Survival' is a model construct: the EBEs' view stays at least half as distinct from "
    "the team's view as it was at the start. A real perspective can matter in ways this "
    "does not capture.",
    "The intervals show the uncertainty of the simulation (how many teams were simulated), "
    "not the uncertainty of the model's assumptions; the global sensitivity analysis shows "
    "which assumptions matter most.",
    "It leaves out clients, families, the wider organisation and everything that happens "
    "outside the weekly team meeting and the team's daily contact.",
)

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:52rem;margin:2rem auto;
padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #ccc}
figure{margin:1.5rem 0}figure img{max-width:100%;height:auto}
figcaption{font-size:.9rem;color:#444}
table{border-collapse:collapse;font-size:.85rem;margin:1rem 0}
td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:right}
th:first-child,td:first-child{text-align:left}
.answer li{margin:.4rem 0}.small{font-size:.85rem;color:#555}
"""


def _assumptions(config: dict, n_points: int, replicates: int) -> list[str]:
    team = config["team"]
    professionals = sum(team["disciplines"].values())
    weights = team["hierarchy_weight"]
    beh = config["behaviour"]
    run = config["run"]
    return [
        f"A team of {professionals} professionals ({team['name']} team: "
        + ", ".join(f"{n} {d.replace('_', ' ')}" for d, n in team["disciplines"].items())
        + f") meets weekly and decides {beh['cases_per_week']} cases; the "
        f"{team['final_responsibility']} carries final responsibility.",
        f"Voices count by a knowledge hierarchy: the psychiatrist's weight is "
        f"{weights.get('psychiatrist', 1):g}, an EBE's {weights.get('expert_by_experience', 1):g}; "
        "high risk and high pressure let the one with final responsibility dominate.",
        "Members drift toward the team's norm and are pulled back to their own anchor "
        "(Friedkin-Johnsen); a lone EBE is pulled harder than one with allies (Latane's "
        "social impact); peers, intervision, seniority and coaching strengthen the EBE's "
        "anchor, production work weakens it.",
        "Feedback across the EBE-professional line is often withheld ('silk gloves') and then "
        "builds irritation; feedback can be taken as a personal attack; open dialogue "
        "resolves irritation.",
        "Stress from isolation, role ambiguity, production work and resentment raises the "
        "chance an EBE leaves; a vacancy is refilled after "
        f"{config['organisation']['rehire_delay_weeks']} weeks"
        + ("" if config["organisation"]["rehire"] else " (here: not refilled)") + ".",
        f"The perspective 'survives' while an EBE is present and the EBEs' view stays at "
        f"least {pct(run['survival_fraction'])} as distinct from the team's as at the start. "
        f"Each situation was simulated {replicates} times over {run['weeks']} weeks "
        f"({n_points} situations), every situation on the same random teams.",
    ]


def _summary_table(frame: pd.DataFrame, group: str) -> str:
    pcol = pressure_column(frame)
    props = proportions(frame, [pcol, group]).set_index([pcol, group])
    means = frame.groupby([pcol, group])[["experiential_share", "team_shift", "exits"]].mean()
    km = curves(frame, [pcol, group])
    head = ("<tr><th>pressure</th><th>" + GROUP_HEADERS.get(group, html.escape(group)) + "</th>"
            "<th>perspective survives (95% interval)</th><th>median weeks to loss</th>"
            "<th>experiential share</th><th>team shift</th><th>EBE exits</th></tr>")
    body = []
    order = {level: i for i, level in enumerate(figures.ordered(frame[pcol].unique()))}
    for (level, value), row in sorted(props.iterrows(), key=lambda item: order[item[0][0]]):
        median = km[(level, value)].median
        m = means.loc[(level, value)]
        cells = [str(level), str(value), pct_interval(row.p, row.low, row.high),
                 "not reached" if math.isnan(median) else f"{median:.0f}",
                 f"{100 * m['experiential_share']:.1f}%", f"{m['team_shift']:+.3f}",
                 f"{m['exits']:.2f}"]
        body.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return f"<table>{head}{''.join(body)}</table>"


def _links(study: Path, out: Path) -> list[tuple[str, str]]:
    def rel(path: Path) -> str:
        return Path(os.path.relpath(path, out.parent)).as_posix()
    links = [("the model description (ODD protocol)", rel(ODD))]
    for name, what in (("replicates.parquet", "one row per simulated team"),
                       ("weekly.parquet", "week-by-week trajectories"),
                       ("manifest.json", "what was run")):
        if (study / name).exists():
            links.append((f"{name}: {what}", rel(study / name)))
    if (study / "points").is_dir() and not (study / "replicates.parquet").exists():
        links.append(("points/: one file per simulated situation",
                      rel(study / "points") + "/"))
    return links


def _fact_item(fact: Fact) -> str:
    return f"<li data-fact='{html.escape(fact.key)}'>{html.escape(fact.text)}</li>"


def build(study: Path | str, out: Path | str | None = None,
          baseline: str = "single_hire") -> Report:
    """Read the study and build its brief (facts and page); write nothing."""
    study = Path(study)
    out = Path(out) if out is not None else study / "report.html"
    frame = load_replicates(study)
    kind = study_kind(frame)
    try:
        weekly = load_weekly(study)
    except StudyError:
        weekly = None
    if kind == "hires":
        facts, figs, group = hires_facts(frame), hires_figures(frame, weekly), "ebe_count"
    else:
        facts = levers_facts(frame, baseline)
        figs, group = levers_figures(frame, weekly, baseline), "label"
    known = points(study)
    config = next(iter(known.values())).config
    replicates = int(frame.groupby("point_id").size().min())
    question, context = QUESTIONS[kind]
    details = [f for f in facts if f.key.startswith(DETAIL)]
    name = ", ".join(sorted(set(frame["study"])))
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>teamsim brief: {html.escape(name)}</title><style>{STYLE}</style>",
        "</head><body>",
        f"<h1>{html.escape(question)}</h1>",
        f"<p>{html.escape(context)}</p>",
        "<h2>The answer</h2><ul class='answer'>",
        *(_fact_item(f) for f in facts if not f.key.startswith(DETAIL)),
        "</ul>",
        *(["<h3>In more detail</h3><ul class='answer'>",
           *(_fact_item(f) for f in details), "</ul>"] if details else []),
        "<p class='small'>Percentages in brackets are 95% intervals: with the number of "
        "simulated teams used here, the true model value lies in that range with 95% "
        "confidence. Differences compare the very same simulated teams with and without the "
        "change.</p>",
        "<h2>In figures</h2>",
    ]
    for caption, fig in figs:
        parts.append(f"<figure><img alt='{html.escape(caption)}' "
                     f"src='data:image/png;base64,{figures.png_base64(fig)}'>"
                     f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    parts += [
        "<h2>All numbers</h2>", _summary_table(frame, group),
        "<h2>What the model assumes</h2><ul>",
        *(f"<li>{html.escape(a)}</li>"
          for a in _assumptions(config, len(known), replicates)),
        "</ul><h2>What the model cannot say</h2><ul>",
        *(f"<li>{html.escape(c)}</li>" for c in CANNOT_SAY),
        "</ul><h2>Sources and data</h2><ul>",
        *(f"<li><a href='{html.escape(href)}'>{html.escape(text)}</a></li>"
          for text, href in _links(study, out)),
        "</ul>",
        f"<p class='small'>Study {html.escape(name)}; {len(frame)} simulated teams; made by "
        "teamsim (analysis/report.py).</p>",
        "</body></html>",
    ]
    return Report(kind, facts, "\n".join(parts))


def write(study: Path | str, out: Path | str | None = None,
          baseline: str = "single_hire") -> Path:
    """Build the brief of ``study`` and write it (default ``<study>/report.html``)."""
    out = Path(out) if out is not None else Path(study) / "report.html"
    report = build(study, out, baseline)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(report.html, encoding="utf-8")
    tmp.replace(out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``teamsim report <study_dir> [--out FILE] [--baseline SCENARIO]``."""
    parser = argparse.ArgumentParser(
        prog="teamsim report",
        description="Write a self-contained HTML brief of a finished study.")
    parser.add_argument("study", type=Path, help="study folder (results/<study>)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output file (default: <study>/report.html)")
    parser.add_argument("--baseline", default="single_hire",
                        help="baseline scenario of a levers study (default: single_hire)")
    args = parser.parse_args(argv)
    try:
        path = write(args.study, args.out, args.baseline)
    except (StudyError, ValueError) as err:
        print(f"teamsim report: {err}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
