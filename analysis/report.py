"""The policy brief: one self-contained HTML page per study, for a reader who does not
program, in English or Dutch.

``teamsim report <study_dir> [--lang nl]`` writes ``<study_dir>/report.html`` (Dutch:
``report.nl.html``). Its first screen holds the question, a bold answer in plain words,
how sure that answer is (the simulation's noise, and what the model's calibration leaves
open, read from :mod:`analysis.robustness`) and one figure. What the model shows comes
next, then the conditions under which it works (scenario discovery, when a discovery
study sits beside the study), what the model cannot say, and below a heading for
analysts the technical detail: every number, the survival and competing-risk statistics,
the figures, the assumptions (read from the study's own config), the definition of
'alive' and absolute links to the documentation and the data. Figures are embedded; a
print stylesheet sets the page on A4.

An effect is called a gain or a loss only when its whole 95% interval lies beyond the
minimum important difference (``--mid``, default 5 percentage points), which the brief
states; no meaningful difference only when it lies within it, and unclear (more runs
needed) when it reaches across it. Every sentence with a number is a
:class:`~analysis.findings.Fact`; :func:`build` returns them with the page so that tests
check each number against the data, in both languages.
"""

from __future__ import annotations

import argparse
import html
import math
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import discovery as scenario_discovery
from analysis import figures
from analysis.compare import MINIMUM_IMPORTANT, proportions
from analysis.findings import (
    DESIGN_COLUMNS,
    Design,
    Fact,
    design,
    hires_findings,
    lever_differences,
    levers_findings,
)
from analysis.language import (
    OUTCOME_WORDS,
    SHARES,
    check,
    describe,
    horizon,
    number,
    percent,
    percent_interval,
    thousands,
)
from analysis.load import StudyError, load_replicates, load_weekly, points
from analysis.names import LANGUAGES, discipline
from analysis.robustness import DEFAULT_FILE, RobustnessError, read
from analysis.study import key_columns, same_partition, summary_table
from analysis.survival import pairwise_logrank, survival_table
from analysis.trajectories import STATE_VARIABLES, state_shares, weekly_bands
from analysis.wording import say
from sim.outcomes import STATES

REPOSITORY = Path(__file__).resolve().parent.parent
DOCS = REPOSITORY / "docs"
DOCS_ENV = "TEAMSIM_DOCS_URL"
EXPERIMENTS = REPOSITORY / "configs" / "experiment"

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:52rem;margin:1.5rem auto;
padding:0 1rem;line-height:1.5;color:#1a1a1a}
h1{font-size:1.55rem;line-height:1.25;margin:.2rem 0 .8rem}
h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.02rem}
.kicker{font-size:.8rem;letter-spacing:.04em;text-transform:uppercase;color:#555;margin:0}
.answer{font-size:1.12rem;border-left:5px solid #0072B2;padding:.4rem .9rem;margin:0 0 .8rem;
background:#f2f7fb}
.uncertainty{font-size:.93rem;color:#333;margin:0 0 .6rem}.uncertainty p{margin:.3rem 0}
figure{margin:1rem 0}figure img{max-width:100%;height:auto}
figcaption{font-size:.86rem;color:#444}
table{border-collapse:collapse;font-size:.8rem;margin:1rem 0}.wide{overflow-x:auto}
td,th{border-bottom:1px solid #ddd;padding:.2rem .45rem;text-align:right;vertical-align:top}
td{white-space:nowrap}td:first-child{white-space:normal;min-width:10rem}
th:first-child,td:first-child{text-align:left}
li{margin:.35rem 0}.small{font-size:.85rem;color:#555}
.analysts{margin-top:3rem;border-top:3px double #999}
a{color:#0057a0}
@page{size:A4;margin:16mm 15mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10pt;line-height:1.35;color:#000}
h1{font-size:16pt}h2{font-size:12.5pt;break-after:avoid}h3{break-after:avoid}
.answer{background:none;border-left:4pt solid #000}
figure,table,.answer,.uncertainty,li{break-inside:avoid}
.wide{overflow:visible}table{font-size:7.5pt}td{white-space:normal}
figure img{max-height:115mm;width:auto;max-width:100%}
.analysts{break-before:page;border:0}
a{color:#000;text-decoration:none}
a[href^="http"]::after,a[href^="file"]::after{content:" <" attr(href) ">";font-size:7.5pt;
word-break:break-all}
}
"""


@dataclass
class Report:
    """A built brief: its kind, language, facts and HTML page."""

    kind: str
    lang: str
    facts: list[Fact]
    html: str


def situation_columns(study_points: pd.DataFrame) -> list[str]:
    """The columns a study varies besides the scenario and the number of EBEs (pressure,
    caseload, turnover...): within each combination of them the study compares."""
    return [c for c in key_columns(study_points) if c not in DESIGN_COLUMNS
            and not same_partition(study_points, c, "ebe_count")
            and not same_partition(study_points, c, "label")]


def study_kind(frame: pd.DataFrame) -> str:
    """The kind of brief a study needs, read from its design (never from its name).

    ``levers`` when, within some situation (:func:`situation_columns`), several scenarios
    (labels) have the same number of EBEs: they differ by something other than the hires,
    a lever; ``hires`` when the number of EBEs varies and the scenarios do not vary beyond
    it (one scenario per number of EBEs in each situation).
    """
    study_points = frame.drop_duplicates("point_id")
    contexts = situation_columns(study_points)
    labels_per_count = (study_points.groupby([*contexts, "ebe_count"], dropna=False)["label"]
                        .nunique())
    if labels_per_count.max() > 1:
        return "levers"
    if study_points["ebe_count"].nunique() > 1:
        return "hires"
    raise StudyError("the brief explains a study that varies the number of EBEs "
                     "(teamsim run experiment=hire_more_than_one) or compares scenarios "
                     "(teamsim run experiment=levers); this study varies neither")


def docs_url(url: str | None = None) -> str:
    """Base address of the documentation: ``url``, else ``$TEAMSIM_DOCS_URL``, else this
    repository's ``docs/`` folder as an absolute ``file://`` address."""
    base = url or os.environ.get(DOCS_ENV) or DOCS.as_uri()
    return base if base.endswith("/") else base + "/"


def missing_study(study: Path) -> StudyError:
    """The error for a study folder that does not exist, naming the command that makes it."""
    known = sorted(p.stem for p in EXPERIMENTS.glob("*.yaml"))
    if study.name in known:
        how = f"run `teamsim run experiment={study.name}` first"
    else:
        how = ("run the study first, for example `teamsim run experiment=hire_more_than_one` "
               f"(experiments: {', '.join(known)})")
    return StudyError(f"study folder {study} does not exist: {how}")


# ---------------------------------------------------------------------------- figures


def _img(fig, caption: str) -> str:
    return (f"<figure><img alt='{html.escape(caption)}' "
            f"src='data:image/png;base64,{figures.png_base64(fig)}'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def _state_shares(frame: pd.DataFrame, weekly: pd.DataFrame | None, d: Design
                  ) -> pd.DataFrame | None:
    if weekly is None:
        return None
    try:
        shares = state_shares(weekly, "point_id")
    except ValueError:
        return None
    ids = frame[["point_id", *d.contexts, d.group]].drop_duplicates("point_id")
    return shares.merge(ids, on="point_id")


def first_figure(kind: str, frame: pd.DataFrame, weekly: pd.DataFrame | None, d: Design,
                 lang: str, minimum: float, diffs: pd.DataFrame | None) -> str:
    """The one figure of the first screen."""
    weeks = int(frame["horizon"].max())
    if kind == "levers":
        fig = figures.lever_effects(diffs, "label", "survived",
                                    dodge=d.contexts[0] if d.contexts else None,
                                    minimum=minimum, lang=lang)
        return _img(fig, say("figure/effects", lang, when=horizon(weeks, lang)))
    shares = _state_shares(frame, weekly, d)
    if shares is not None and len(d.contexts) <= 1:
        fig = figures.state_areas(shares, "ebe_count", d.contexts[0] if d.contexts else None,
                                  lang=lang)
        return _img(fig, say("figure/states", lang))
    props = proportions(frame, [*d.contexts, "ebe_count"])
    fig = figures.alive_by_count(props, weeks, line=d.contexts[0] if d.contexts else None,
                                 lang=lang)
    return _img(fig, say("figure/alive", lang, when=horizon(weeks, lang)))


def analyst_figures(kind: str, frame: pd.DataFrame, weekly: pd.DataFrame | None, d: Design,
                    lang: str, baseline: str, diffs: pd.DataFrame | None) -> list[str]:
    weeks = int(frame["horizon"].max())
    when = horizon(weeks, lang)
    panel = d.contexts[0] if len(d.contexts) == 1 else None
    by = [*d.contexts, d.group]
    out = []
    if kind == "hires":
        props = proportions(frame, by)
        out.append(_img(figures.alive_by_count(props, weeks, line=panel, lang=lang),
                        say("figure/alive", lang, when=when)))
        chosen = frame
    else:
        props = proportions(frame, by)
        out.append(_img(figures.dot_interval(props, "label", weeks, dodge=panel, lang=lang),
                        say("figure/dots", lang, when=when)))
        out.append(_img(figures.lever_effects(diffs, "label", "experiential_share",
                                              dodge=panel, lang=lang),
                        say("figure/share_effects", lang)))
        top = (diffs[diffs["outcome"] == "survived"].groupby("label")["difference"].mean()
               .sort_values(ascending=False).index[:3].tolist())
        chosen = frame[frame["label"].isin([baseline, *top])]
    if panel is not None or not d.contexts:
        table = survival_table(chosen, [panel or "study", d.group])
        out.append(_img(figures.survival_curves(table, d.group, panel=panel or "study",
                                                lang=lang), say("figure/km", lang)))
    if kind == "hires" and panel is not None:
        out.append(_img(figures.heatmap(props, weeks, y=panel, lang=lang),
                        say("figure/heatmap", lang)))
    if weekly is not None and panel is not None:
        try:
            bands = weekly_bands(weekly[weekly["point_id"].isin(set(chosen["point_id"]))],
                                 ["distinctiveness", "experiential_share"], [panel, d.group])
            out.append(_img(figures.trajectories(bands, d.group, panel=panel, lang=lang),
                            say("figure/trajectories", lang)))
        except (ValueError, KeyError):
            pass                   # trajectories that cannot be grouped: no band figure
    return out


# ---------------------------------------------------------------------------- tables


def numbers_table(frame: pd.DataFrame, d: Design, lang: str) -> str:
    """Every point's numbers (``analysis.study.summary_table``) with readable headers."""
    summary = summary_table(frame, [*d.contexts, d.group])
    if d.group not in summary:          # a derived column (ebe_count): one value per point
        summary = summary.merge(frame[["point_id", d.group]].drop_duplicates(), on="point_id")
    weeks = int(summary["horizon"].max())
    head = [say("table/situation", lang), say("table/alive", lang, when=horizon(weeks, lang)),
            say("table/weeks_alive", lang), say("table/states", lang),
            say("table/median", lang), say("table/assimilated", lang),
            say("table/share", lang), say("table/team_shift", lang),
            say("table/exits", lang)]
    rows = []
    for row in summary.to_dict("records"):
        situation = ", ".join(describe(c, row[c], lang) for c in (d.group, *d.contexts)
                              if c in row)
        median = (say("table/median_never", lang, weeks=weeks) if row["median_censored"]
                  else number(row["median_weeks_to_loss"], 0, lang))
        rows.append([situation,
                     percent_interval(row["p_alive"], row["p_alive_low"],
                                      row["p_alive_high"], lang),
                     percent(row["weeks_alive"], lang),
                     " / ".join(percent(row[s], lang) for s in STATES), median,
                     percent_interval(row["assimilated_by_horizon"], row["assimilated_low"],
                                      row["assimilated_high"], lang),
                     percent(row["experiential_share"], lang, digits=1),
                     number(row["team_shift"], 3, lang, sign=True),
                     number(row["ebe_exits"], 2, lang)])
    return _table(head, rows)


def _table(head: list[str], rows: list[list[str]]) -> str:
    header = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
                   for cells in rows)
    return f"<div class='wide'><table>{header}{body}</table></div>"


def effects_table(diffs: pd.DataFrame, d: Design, lang: str) -> str:
    """Paired effect (95% interval) of each scenario on every main outcome
    (:func:`~analysis.findings.lever_differences`), one row per scenario and situation,
    ranked as the brief ranks the scenarios."""
    alive = diffs[diffs["outcome"] == "survived"]
    rank = alive.groupby("label")["difference"].mean().sort_values(ascending=False).index
    outcomes = list(dict.fromkeys(diffs["outcome"]))
    rows = []
    for label in rank:
        for level in d.levels:
            here = diffs[(diffs["label"] == label)
                         & d.mask(diffs, level)].set_index("outcome")
            cells = [describe("label", label, lang), d.inline(level, lang) or "–"]
            for outcome in outcomes:
                scale, digits = (100.0, 1) if outcome in SHARES else (1.0, 3)
                r = here.loc[outcome]
                cells.append(f"{number(scale * r['difference'], digits, lang, sign=True)} "
                             f"({number(scale * r['low'], digits, lang, sign=True)} – "
                             f"{number(scale * r['high'], digits, lang, sign=True)})")
            rows.append(cells)
    head = [say("scenario", lang), say("table/situation", lang),
            *(OUTCOME_WORDS[o](lang) for o in outcomes)]
    return f"<h3>{html.escape(say('heading/effects', lang))}</h3>" + _table(head, rows)


def _pvalue(p: float, lang: str) -> str:
    """A p-value as the table shows it ('1.1e-123'; Dutch '1,1e-123'), '–' when there was
    nothing to test."""
    if math.isnan(p):
        return "–"
    text = "< 1e-300" if p < 1e-300 else f"{p:.2g}"
    return text.replace(".", ",") if lang == "nl" else text


def logrank_table(frame: pd.DataFrame, d: Design, lang: str) -> str:
    """Log-rank tests between consecutive numbers of EBEs, with the signed z (its
    direction explained below the table) and '–' where there was nothing to test."""
    tests = pairwise_logrank(frame[frame["ebe_count"] > 0], "ebe_count", within=d.contexts)
    if tests.empty:
        return ""
    head = [say("table/situation", lang), say("table/first", lang), say("table/second", lang),
            say("table/statistic", lang), say("table/p", lang)]
    rows = [[d.inline(tuple(row[c] for c in d.contexts), lang) or "–", str(row["first"]),
             str(row["second"]), number(row["statistic"], 2, lang, sign=True),
             _pvalue(row["pvalue"], lang)]
            for row in tests.to_dict("records")]
    notes = [say("logrank/z", lang)]
    if tests["pvalue"].isna().any():
        notes.append(say("logrank/untested", lang))
    return (f"<h3>{html.escape(say('heading/tests', lang))}</h3>" + _table(head, rows)
            + f"<p class='small'>{html.escape(' '.join(notes))}</p>")


# ---------------------------------------------------------------------------- text blocks


def assumptions(config: dict, n_points: int, replicates: int, lang: str) -> list[str]:
    """What the model assumes, read from the study's own config."""
    team = config["team"]
    counts = {d: n for d, n in team["disciplines"].items() if n > 0}
    weights = team["hierarchy_weight"]
    org = config["organisation"]
    return [
        say("assume/team", lang, professionals=sum(counts.values()),
            team=describe("team", team["name"], lang),
            disciplines=", ".join(f"{n} {discipline(d, n, lang)}" for d, n in counts.items()),
            cases=config["behaviour"]["cases_per_week"],
            final=discipline(team["final_responsibility"], 1, lang)),
        say("assume/voice", lang, psychiatrist=number(weights.get("psychiatrist", 1.0), 1, lang),
            ebe=number(weights.get("expert_by_experience", 1.0), 1, lang)),
        say("assume/influence", lang),
        say("assume/feedback", lang),
        say("assume/exits", lang, delay=org["rehire_delay_weeks"],
            no_rehire="" if org["rehire"] else say("assume/no_rehire", lang)),
        say("assume/runs", lang, replicates=thousands(replicates, lang),
            weeks=config["run"]["weeks"], points=n_points),
    ]


def links(study: Path, base: str, lang: str) -> list[tuple[str, str]]:
    """Absolute links: the documentation at ``base``, the study's files on this machine."""
    found = [(say("link/odd", lang), base + "ODD.md"),
             (say("link/validation", lang), base + "validation.md"),
             (say("link/calibration", lang), base + "calibration.md")]
    for name in ("replicates", "weekly", "manifest"):
        path = study / (f"{name}.json" if name == "manifest" else f"{name}.parquet")
        if path.exists():
            found.append((say(f"link/{name}", lang), path.resolve().as_uri()))
    if (study / "points").is_dir() and not (study / "replicates.parquet").exists():
        found.append((say("link/points", lang), (study / "points").resolve().as_uri() + "/"))
    return found


def _facts_list(facts: list[Fact]) -> str:
    items = "".join(f"<li data-fact='{html.escape(f.key)}'>{html.escape(f.text)}</li>"
                    for f in facts)
    return f"<ul>{items}</ul>" if items else ""


def _paragraphs(facts: list[Fact]) -> str:
    return "".join(f"<p data-fact='{html.escape(f.key)}'>{html.escape(f.text)}</p>"
                   for f in facts)


def _cannot(lang: str) -> str:
    """What the model cannot say."""
    items = [f"<li>{html.escape(say(k, lang))}</li>" for k in
             ("cannot/predict", "cannot/rates", "cannot/construct", "cannot/intervals",
              "cannot/scope")]
    return "\n".join([f"<h2>{html.escape(say('heading/cannot', lang))}</h2><ul>", *items,
                      "</ul>"])


def _definition(config: dict, weeks: int, lang: str) -> str:
    """When the perspective counts as alive, with the run's thresholds and horizon."""
    text = say("definition", lang, survival=percent(config["run"]["survival_fraction"], lang),
               diffusion=percent(config["run"]["diffusion_fraction"], lang),
               when=horizon(weeks, lang))
    return (f"<h3>{html.escape(say('heading/definition', lang))}</h3>\n"
            f"<p>{html.escape(text)}</p>")


def _sources(study: Path, base: str, lang: str) -> str:
    """Links to the study's data, configuration and documents."""
    items = [f"<li><a href='{html.escape(href)}'>{html.escape(text)}</a></li>"
             for text, href in links(study, base, lang)]
    return "\n".join([f"<h3>{html.escape(say('heading/sources', lang))}</h3><ul>", *items,
                      f"</ul><p class='small'>{html.escape(say('links_note', lang, base=base))}"
                      "</p>"])


def _weekly(study: Path) -> pd.DataFrame | None:
    """The weekly variables the figures draw, or None if the study kept no trajectories."""
    try:
        return load_weekly(study, variables=["distinctiveness", "experiential_share", "state",
                                             *STATE_VARIABLES])
    except StudyError:
        return None


def findings(frame: pd.DataFrame, kind: str, baseline: str, lang: str, minimum: float,
             robust: dict | None) -> tuple[list[Fact], Design, pd.DataFrame | None]:
    """The brief's facts, the study's design and, for levers, the differences from the
    baseline."""
    if kind == "hires":
        return (hires_findings(frame, lang, minimum, robust),
                design(frame[frame["ebe_count"] > 0], "ebe_count"), None)
    d = design(frame, "label")
    diffs = lever_differences(frame, d, baseline)
    return levers_findings(frame, baseline, lang, minimum, robust, diffs), d, diffs


# ---------------------------------------------------------------------------- the page


def build(study: Path | str, out: Path | str | None = None, baseline: str = "single_hire",
          lang: str = "en", minimum: float = MINIMUM_IMPORTANT, docs: str | None = None,
          robustness: Path | str | None = DEFAULT_FILE,
          discovery: Path | str | None = None) -> Report:
    """Read the study and build its brief (facts and page); write nothing.

    ``discovery``: a scenario-discovery study folder whose boxes the brief shows (default:
    ``<study>/../discovery`` when it holds results).
    """
    lang = check(lang)
    if not 0 <= minimum < 1:
        raise ValueError(f"--mid = {100 * minimum:g} percentage points is out of range: "
                         "allowed 0 to 100")
    study = Path(study)
    if not study.is_dir():
        raise missing_study(study)
    if scenario_discovery.locate(study) == study:
        return build_discovery(study, lang, docs)
    frame = load_replicates(study)
    kind = study_kind(frame)
    weekly = _weekly(study)
    robust = read(robustness) if robustness is not None else None
    facts, d, diffs = findings(frame, kind, baseline, lang, minimum, robust)
    plotted = frame[frame["ebe_count"] > 0] if kind == "hires" else frame
    known = points(study)
    config = next(iter(known.values())).resolved
    replicates = int(frame.groupby("point_id").size().min())
    name = ", ".join(sorted(set(frame["study"])))
    weeks = int(frame["horizon"].max())
    section = {s: [f for f in facts if f.section == s]
               for s in ("answer", "uncertainty", "shows", "analysts")}
    base = docs_url(docs)
    try:
        conditions = scenario_discovery.brief_section(
            scenario_discovery.locate(study, discovery), lang)
    except FileNotFoundError as err:
        raise StudyError(str(err)) from None
    rule = [f for f in section["shows"] if f.key == "mid_rule"]
    shows = [f for f in section["shows"] if f.key != "mid_rule"]
    parts = [
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(say('title', lang, name=name))}</title><style>{STYLE}</style>",
        "</head><body><header>",
        f"<p class='kicker'>teamsim · {html.escape(name)}</p>",
        f"<h1>{html.escape(say(f'question/{kind}', lang))}</h1>",
        *(f"<p class='answer' data-fact='{f.key}'><strong>{html.escape(f.text)}</strong></p>"
          for f in section["answer"]),
        f"<div class='uncertainty'>{_paragraphs(section['uncertainty'])}</div>",
        first_figure(kind, plotted, weekly, d, lang, minimum, diffs),
        "</header>",
        f"<h2>{html.escape(say('heading/why', lang))}</h2>",
        f"<p>{html.escape(say(f'intro/{kind}', lang))}</p>",
        f"<h2>{html.escape(say('heading/shows', lang))}</h2>",
        _facts_list(shows),
        f"<p class='small'>{_paragraphs(rule)}{html.escape(say('brackets', lang))}</p>",
        conditions,
        _cannot(lang),
        f"<section class='analysts'><h2 id='analysts'>"
        f"{html.escape(say('heading/analysts', lang))}</h2>",
        _definition(config, weeks, lang),
        f"<h3>{html.escape(say('heading/numbers', lang))}</h3>",
        numbers_table(plotted, d, lang),
        f"<h3>{html.escape(say('heading/statistics', lang))}</h3>",
        _facts_list(section["analysts"]),
        logrank_table(frame, d, lang) if kind == "hires" else effects_table(diffs, d, lang),
        f"<h3>{html.escape(say('heading/figures', lang))}</h3>",
        *analyst_figures(kind, plotted, weekly, d, lang, baseline, diffs),
        f"<h3>{html.escape(say('heading/assumes', lang))}</h3><ul>",
        *(f"<li>{html.escape(a)}</li>"
          for a in assumptions(config, len(known), replicates, lang)),
        "</ul>" + _sources(study, base, lang),
        "</section>",
        f"<p class='small'>{html.escape(say('footer', lang, name=name, teams=len(frame)))}"
        "</p></body></html>",
    ]
    return Report(kind, lang, facts, "\n".join(parts))


def build_discovery(study: Path, lang: str = "en", docs: str | None = None) -> Report:
    """The brief of a scenario-discovery study: the conditions under which the perspective
    stays alive, in plain words, with the PRIM boxes and their figure."""
    facts = scenario_discovery.findings(study, lang)
    answer = next(f for f in facts if f.section == "answer")
    noise = [f for f in facts if f.section == "uncertainty"]
    base = docs_url(docs)
    parts = [
        f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{html.escape(say('title', lang, name='discovery'))}</title>"
        f"<style>{STYLE}</style></head><body><header>",
        "<p class='kicker'>teamsim · discovery</p>",
        f"<h1>{html.escape(scenario_discovery.say('question', lang))}</h1>",
        f"<p class='answer' data-fact='answer'><strong>{html.escape(answer.text)}</strong></p>",
        f"<div class='uncertainty'>{_paragraphs(noise)}"
        f"<p data-fact='calibration'>{html.escape(say('calibration/pending', lang))}</p></div>",
        "</header>",
        scenario_discovery.brief_section(study, lang),
        f"<h2>{html.escape(say('heading/cannot', lang))}</h2><ul>",
        *(f"<li>{html.escape(say(k, lang))}</li>" for k in
          ("cannot/predict", "cannot/rates", "cannot/construct", "cannot/intervals",
           "cannot/scope")),
        f"</ul><h3>{html.escape(say('heading/sources', lang))}</h3><ul>",
        *(f"<li><a href='{html.escape(href)}'>{html.escape(text)}</a></li>"
          for text, href in links(study, base, lang)[:3]),
        f"</ul><p class='small'>{html.escape(say('links_note', lang, base=base))}</p>",
        "</body></html>"]
    calibration = Fact("calibration", say("calibration/pending", lang), {}, "uncertainty")
    return Report("discovery", lang, [*facts, calibration], "\n".join(parts))


def default_out(study: Path, lang: str) -> Path:
    """``<study>/report.html``, or ``report.<lang>.html`` for a language other than
    English."""
    return study / ("report.html" if lang == "en" else f"report.{lang}.html")


def write(study: Path | str, out: Path | str | None = None, baseline: str = "single_hire",
          lang: str = "en", **settings) -> Path:
    """Build the brief of ``study`` and write it (default :func:`default_out`)."""
    from experiments.store import atomic

    study = Path(study)
    out = Path(out) if out is not None else default_out(study, lang)
    report = build(study, out, baseline, lang, **settings)
    with atomic(out) as tmp:
        tmp.write_text(report.html, encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """``teamsim report <study_dir> [--lang en|nl] [--mid POINTS] [--out FILE] ...``."""
    parser = argparse.ArgumentParser(
        prog="teamsim report",
        description="Write the policy brief of a finished study: one self-contained HTML "
                    "page (figures embedded, prints on A4), in English or Dutch.")
    parser.add_argument("study", type=Path, help="study folder (results/<study>)")
    parser.add_argument("--lang", default="en", choices=LANGUAGES,
                        help="language of the brief (default: en; nl = Dutch)")
    parser.add_argument("--mid", type=float, default=100 * MINIMUM_IMPORTANT,
                        help="minimum important difference in percentage points: an effect "
                             "is a gain or a loss only when its whole 95%% interval lies "
                             "beyond it, no meaningful difference only when it lies within "
                             "it, else unclear (default: %(default)g)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output file (default: <study>/report.html, report.nl.html)")
    parser.add_argument("--baseline", default="single_hire",
                        help="baseline scenario of a levers study (default: single_hire)")
    parser.add_argument("--docs-url", default=None,
                        help=f"base address of the documentation for the brief's links "
                             f"(default: ${DOCS_ENV}, else this repository's docs/ folder)")
    parser.add_argument("--robustness", type=Path, default=DEFAULT_FILE,
                        help="robustness results quoted in the brief (default: "
                             "docs/validation.json, written by teamsim validate, with "
                             "docs/sensitivity.json beside it)")
    parser.add_argument("--discovery", type=Path, default=None,
                        help="scenario-discovery study whose boxes the brief shows "
                             "(default: a 'discovery' folder beside the study, if any)")
    args = parser.parse_args(argv)
    if math.isnan(args.mid) or not 0 <= args.mid < 100:
        print(f"teamsim report: --mid = {args.mid:g} is out of range: allowed 0 to 100 "
              "percentage points", file=sys.stderr)
        return 2
    try:
        path = write(args.study, args.out, args.baseline, args.lang, minimum=args.mid / 100,
                     docs=args.docs_url, robustness=args.robustness, discovery=args.discovery)
    except (StudyError, RobustnessError, ValueError) as err:
        print(f"teamsim report: {err}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

