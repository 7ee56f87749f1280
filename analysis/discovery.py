"""Scenario discovery: the regions (boxes) of levers and context where the experience
perspective stays alive, found by PRIM and said in plain words.

Reads a study written by ``teamsim run experiment=discovery`` (``points.parquet``, one
row per sample point with its factors and ``p_alive``; ``discovery.json``, the design).
A point *works* when the perspective is alive at the horizon in at least
``threshold`` of its simulated teams. PRIM (the Patient Rule Induction Method, Friedman &
Fisher 1999), as EMA Workbench implements it for scenario discovery (Bryant & Lempert
2010; Kwakkel 2017), peels the factor space down to boxes rich in points that work.
For each box, on its peeling trajectory, the brief takes the box with the largest
*coverage* (the share of all working points that fall in the box) whose *density* (the
share of points in the box that work) is at least ``density``; restrictions that do not
keep the density up are dropped again, so that each box names only the conditions that
matter. Boxes are found one after another on the points not yet covered (PRIM's
covering), at most ``boxes`` of them; each box's coverage and density are then stated for
its region in the whole design, as the brief's sentence describes it.

EMA Workbench 3 needs Python 3.12; on Python 3.11 its release 2.5 is used (the same PRIM;
the calls made here were checked on 2.5.3 and 3.0.0). Its PRIM works on float and
categorical columns, so whole-number factors are cast to float, and its table printing
(``inspect``, which fails on categorical columns under pandas 3) is not used: the boxes
are read from ``box_lim`` directly.
"""

from __future__ import annotations

import html
import inspect
import json
import logging
import math
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from analysis import figures
from analysis.language import horizon, number, percent, thousands
from analysis.names import Name, capital, label, name
from analysis.wording import count_word, joined
from experiments.store import atomic, write_json

POINTS_FILE = "points.parquet"
RECORD_FILE = "discovery.json"
BOXES_FILE = "boxes.json"
PRESSURE_WORDS = ("calm", "normal", "high")

TEXT = {
    "heading": Name("Under which conditions does it work?",
                    "Onder welke omstandigheden werkt het?"),
    "intro": Name(
        "Scenario discovery: {points} situations were simulated ({runs} simulated teams), "
        "spread evenly over {factors}. A situation counts as working when the perspective "
        "was alive after {when} in at least {threshold} of its teams; {works} of all "
        "situations did. PRIM then looked for the simplest regions where nearly all "
        "situations work.",
        "Scenario-verkenning: er zijn {points} situaties gesimuleerd ({runs} gesimuleerde "
        "teams), gelijkmatig gespreid over {factors}. Een situatie telt als geslaagd als het "
        "ervaringsperspectief na {when} levend was in minstens {threshold} van de teams; "
        "{works} van alle situaties slaagde. PRIM zocht daarna de eenvoudigste gebieden waar "
        "bijna alle situaties slagen."),
    "box": Name(
        "{conditions}: the perspective was alive after {when} in at least {threshold} of "
        "teams in {density} of the {n} simulated situations in this region; the region "
        "holds {coverage} of all situations where that happened.",
        "{conditions}: het ervaringsperspectief was na {when} levend in minstens "
        "{threshold} van de teams in {density} van de {n} gesimuleerde situaties in dit "
        "gebied; het gebied bevat {coverage} van alle situaties waarin dat gebeurde."),
    "no_box": Name(
        "PRIM found no region where at least {density} of situations keep the perspective "
        "alive in {threshold} of teams.",
        "PRIM vond geen gebied waar minstens {density} van de situaties het "
        "ervaringsperspectief levend houdt in {threshold} van de teams."),
    "anywhere": Name("Anywhere in the region studied", "Overal in het onderzochte gebied"),
    "words": Name(
        "Density: the share of situations in the region where it works. Coverage: the share "
        "of all situations that work which lie in the region.",
        "Dichtheid: het deel van de situaties in het gebied waar het werkt. Dekking: het "
        "deel van alle geslaagde situaties dat in het gebied ligt."),
    "figure": Name(
        "Each mark is a simulated situation: a blue dot where the perspective stayed alive "
        "in at least {threshold} of teams, a red cross where it did not. Each panel shows "
        "one region PRIM found (the frame) among the situations earlier regions left.",
        "Elke markering is een gesimuleerde situatie: een blauwe stip waar het "
        "ervaringsperspectief in minstens {threshold} van de teams levend bleef, een rood "
        "kruis waar dat niet zo was. Elk paneel toont één gebied dat PRIM vond (het kader) "
        "tussen de situaties die eerdere gebieden overlieten."),
    "works": Name("alive in ≥ {threshold} of teams", "levend in ≥ {threshold} van de teams"),
    "fails": Name("not", "niet"),
    "short/employed": Name("employed", "in dienst"),
    "short/external": Name("external", "extern"),
    "coverage": Name("coverage", "dekking"),
    "density": Name("density", "dichtheid"),
    "chosen": Name("box {n}", "gebied {n}"),
    "ebes_at_least": Name("{n} or more EBEs", "{n} of meer ervaringsdeskundigen"),
    "employment": Name("an EBE who is {values}", "een ervaringsdeskundige die {values} is"),
    "ebes_at_most": Name("at most {n} EBEs", "hooguit {n} ervaringsdeskundigen"),
    "ebes_between": Name("{low} to {high} EBEs", "{low} tot {high} ervaringsdeskundigen"),
    "ebe_exactly": Name("{n} EBE{s}", "{n} ervaringsdeskundige{pl}"),
    "pressure_up_to": Name("work pressure up to {level} ({value} on a scale of calm 0, "
                           "normal 1, high 2)",
                           "een werkdruk tot {level} ({value} op een schaal van rustig 0, "
                           "normaal 1, hoog 2)"),
    "pressure_from": Name("work pressure from {level} ({value} on a scale of calm 0, "
                          "normal 1, high 2)",
                          "een werkdruk vanaf {level} ({value} op een schaal van rustig 0, "
                          "normaal 1, hoog 2)"),
    "above_level": Name("somewhat above {level}", "iets boven {level}"),
    "below_level": Name("somewhat below {level}", "iets onder {level}"),
    "at_least": Name("{what} at least {value}", "{what} minstens {value}"),
    "at_most": Name("{what} at most {value}", "{what} hooguit {value}"),
    "between": Name("{what} between {low} and {high}", "{what} tussen {low} en {high}"),
    "one_of": Name("{what}: {values}", "{what}: {values}"),
    "or": Name("or", "of"),
    "with": Name("With {conditions}", "Met {conditions}"),
    "question": Name("Under which conditions does the experience perspective stay alive?",
                     "Onder welke omstandigheden blijft het ervaringsperspectief levend?"),
    "answer": Name(
        "{conditions}, the perspective stayed alive after {when} in at least {threshold} of "
        "simulated teams in {share} of the situations simulated in those regions.",
        "{conditions}, bleef het ervaringsperspectief na {when} levend in minstens "
        "{threshold} van de gesimuleerde teams, in {share} van de gesimuleerde situaties in "
        "die gebieden."),
    "every": Name("every one", "elk"),
    "or_more": Name("{density} or more", "{density} of meer"),
    "or_with": Name("or with {conditions}", "of met {conditions}"),
    "noise": Name(
        "How sure is this? Each situation was simulated {n} times, so a situation close to "
        "the {threshold} line can fall on either side of it by chance; the regions are "
        "found on {points} situations, which evens that out.",
        "Hoe zeker is dit? Elke situatie is {n} keer gesimuleerd, dus een situatie vlak bij "
        "de grens van {threshold} kan door toeval aan beide kanten vallen; de gebieden zijn "
        "gevonden op {points} situaties, wat dat uitmiddelt."),
}


def findings(study: Path, lang: str = "en") -> list:
    """The facts of a discovery brief: the answer, the noise and the boxes."""
    from analysis.findings import Fact

    points, record = load(study)
    boxes = boxes_of(study) if (study / BOXES_FILE).exists() else find_boxes(points, record)
    when, threshold = horizon(int(record["weeks"]), lang), percent(record["threshold"], lang)
    if boxes:
        parts = [joined([limit_words(lim, lang) for lim in b.limits], lang) for b in boxes]
        conditions = say("with", lang, conditions=parts[0]) + "".join(
            ", " + say("or_with", lang, conditions=p) for p in parts[1:])
        lowest = min(b.density for b in boxes)
        share = (say("every", lang) if lowest == 1 else
                 say("or_more", lang, density=percent(lowest, lang)))
        answer = say("answer", lang, conditions=capital(conditions), when=when,
                     threshold=threshold, share=share)
    else:
        answer = say("no_box", lang, density=percent(record["density"], lang),
                     threshold=threshold)
    facts = [Fact("answer", answer, {"boxes": len(boxes)}, "answer"),
             Fact("noise", say("noise", lang, n=record["replicates"], threshold=threshold,
                               points=record["points"]), {}, "uncertainty")]
    facts += [Fact(f"box/{b.number}", box_words(b, record, lang),
                   {"coverage": b.coverage, "density": b.density, "n": b.n})
              for b in boxes]
    return facts


def say(key: str, lang: str, **values) -> str:
    return TEXT[key](lang).format(**values)


@dataclass(frozen=True)
class Limit:
    """A box's restriction on one factor: a range (either side may be open, None) or the
    categories kept."""

    factor: str
    kind: str
    low: float | None = None
    high: float | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Box:
    """One PRIM box with its quality."""

    number: int
    limits: tuple[Limit, ...]
    coverage: float
    density: float
    mass: float
    n: int
    mean_alive: float


# ------------------------------------------------------------------------------ PRIM


def _prim():
    """EMA Workbench's PRIM, imported quietly (it warns about optional parallel back ends
    and logs at INFO)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim


def factor_table(points: pd.DataFrame, record: dict) -> pd.DataFrame:
    """The factors as PRIM takes them: floats (whole numbers cast) and categoricals."""
    columns = {}
    for factor, kind in record["kinds"].items():
        if kind == "category":
            columns[factor] = pd.Categorical(points[factor].astype(str),
                                             categories=record["factors"][factor])
        else:
            columns[factor] = points[factor].astype(float)
    return pd.DataFrame(columns)


def _limits(box_lim: pd.DataFrame, init: pd.DataFrame, kinds: dict) -> tuple[Limit, ...]:
    limits = []
    for factor, kind in kinds.items():
        if kind == "category":
            kept, every = set(box_lim[factor].iloc[0]), set(init[factor].iloc[0])
            if kept != every:
                limits.append(Limit(factor, kind, categories=tuple(sorted(kept))))
            continue
        low, high = float(box_lim[factor].iloc[0]), float(box_lim[factor].iloc[1])
        init_low, init_high = float(init[factor].iloc[0]), float(init[factor].iloc[1])
        if kind == "int":               # PRIM may peel between whole numbers
            low, high = float(math.ceil(low - 1e-9)), float(math.floor(high + 1e-9))
        low_set, high_set = low > init_low, high < init_high
        if low_set or high_set:
            limits.append(Limit(factor, kind, low if low_set else None,
                                high if high_set else None))
    return tuple(limits)


def _choose(box, density: float) -> int | None:
    """The trajectory step with the largest coverage at a density of at least
    ``density`` (fewest restrictions on a tie); None if no step reaches it."""
    trajectory = box.peeling_trajectory
    good = trajectory[trajectory["density"] >= density]
    if good.empty:
        return None
    best = good.sort_values(["coverage", "res_dim"], ascending=[False, True]).index[0]
    return int(best)


def inside(x: pd.DataFrame, limits: tuple[Limit, ...]) -> np.ndarray:
    """Mask of the rows of ``x`` within every limit (bounds included, as PRIM's)."""
    mask = np.ones(len(x), dtype=bool)
    for limit in limits:
        column = x[limit.factor]
        if limit.kind == "category":
            mask &= column.astype(str).isin(limit.categories).to_numpy()
            continue
        if limit.low is not None:
            mask &= column.to_numpy(float) >= limit.low
        if limit.high is not None:
            mask &= column.to_numpy(float) <= limit.high
    return mask


def simplify(limits: tuple[Limit, ...], x: pd.DataFrame, y: np.ndarray,
             density: float) -> tuple[Limit, ...]:
    """Drop restrictions as long as the box keeps at least ``density`` working points:
    each round drops the one whose removal keeps the density highest."""
    while limits:
        trials = []
        for limit in limits:
            rest = tuple(lim for lim in limits if lim is not limit)
            mask = inside(x, rest)
            if mask.any():
                trials.append((float(y[mask].mean()), rest))
        best = max(trials, key=lambda t: t[0], default=None)
        if best is None or best[0] < density:
            return limits
        limits = best[1]
    return limits


def _box_lim(init: pd.DataFrame, limits: tuple[Limit, ...]) -> pd.DataFrame:
    """PRIM's box-limit table of ``limits`` (the initial box elsewhere)."""
    lim = init.copy()
    for limit in limits:
        if limit.kind == "category":
            lim.at[0, limit.factor] = set(limit.categories)
            lim.at[1, limit.factor] = set(limit.categories)
            continue
        if limit.low is not None:
            lim.at[0, limit.factor] = limit.low
        if limit.high is not None:
            lim.at[1, limit.factor] = limit.high
    return lim


def find_boxes(points: pd.DataFrame, record: dict) -> list[Box]:
    """PRIM boxes where at least ``record['density']`` of the points work."""
    with warnings.catch_warnings():     # EMA Workbench 2.5 uses pandas API pandas 3 retires
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return _find_boxes(points, record)


def _find_boxes(points: pd.DataFrame, record: dict) -> list[Box]:
    prim = _prim()
    x = factor_table(points, record)
    y = (points["p_alive"].to_numpy() >= record["threshold"]).astype(float)
    kinds = record["kinds"]
    # EMA Workbench 2.5 keeps a box when its last peeled step is at least half working
    # points (3.x keeps every box); the step the brief reports is then chosen on the
    # trajectory (:func:`_choose`).
    accepts = "threshold" in inspect.signature(prim.Prim.__init__).parameters
    finder = prim.Prim(x, y, peel_alpha=record["peel_alpha"],
                       **({"threshold": 0.5} if accepts else {}))
    init = finder.box_init
    boxes = []
    for count in range(1, record["boxes"] + 1):
        box = finder.find_box()
        if box is None:
            break
        step = _choose(box, record["density"])
        if step is None:
            break
        remaining = finder.yi_remaining
        limits = simplify(_limits(box.box_lims[step], init, kinds), x.iloc[remaining],
                          y[remaining], record["density"])
        chosen = remaining[inside(x.iloc[remaining], limits)]
        if len(chosen) == 0:
            break
        box.update(_box_lim(init, limits), chosen)   # PRIM's covering goes on without it
        region = inside(x, limits)      # the box as a region of the whole design
        works = y[region]
        boxes.append(Box(count, limits, coverage=float(works.sum() / y.sum()),
                         density=float(works.mean()), mass=float(region.mean()),
                         n=int(region.sum()),
                         mean_alive=float(points["p_alive"].to_numpy()[region].mean())))
    return boxes


# ------------------------------------------------------------------------------ words


def _pressure_words(value: float, lang: str) -> str:
    nearest = round(value)
    if abs(value - nearest) <= 0.15:
        return name("pressure", PRESSURE_WORDS[int(nearest)], lang)
    low = int(math.floor(value))
    if value - low < 0.5:
        return say("above_level", lang, level=name("pressure", PRESSURE_WORDS[low], lang))
    return say("below_level", lang, level=name("pressure", PRESSURE_WORDS[low + 1], lang))


def _value(limit: Limit, value: float, lang: str) -> str:
    return number(value, 0 if limit.kind == "int" else 2, lang)


def limit_words(limit: Limit, lang: str = "en") -> str:
    """One restriction in plain words: '2 or more EBEs', 'an external EBE'."""
    what = name("setting", limit.factor, lang)
    if limit.kind == "category":
        table = "team" if limit.factor == "team.name" else (
            "employment" if limit.factor == "ebe.employment" else None)
        values = [name(table, c, lang) if table else c for c in limit.categories]
        joined_values = f" {TEXT['or'](lang)} ".join(values)
        if limit.factor == "ebe.employment":
            return say("employment", lang, values=joined_values)
        return say("one_of", lang, what=what, values=joined_values)
    low = None if limit.low is None else (math.ceil(limit.low - 1e-9) if limit.kind == "int"
                                          else limit.low)
    high = None if limit.high is None else (math.floor(limit.high + 1e-9)
                                            if limit.kind == "int" else limit.high)
    if limit.factor == "ebe.count":
        if low is not None and high is not None:
            if low == high:
                return say("ebe_exactly", lang, n=count_word(low, lang),
                           s="s" if low != 1 else "", pl="n" if low != 1 else "")
            return say("ebes_between", lang, low=count_word(low, lang),
                       high=count_word(high, lang))
        return (say("ebes_at_least", lang, n=count_word(low, lang)) if low is not None
                else say("ebes_at_most", lang, n=count_word(high, lang)))
    if limit.factor == "pressure":
        parts = []
        if low is not None:
            parts.append(say("pressure_from", lang, level=_pressure_words(low, lang),
                             value=number(low, 1, lang)))
        if high is not None:
            parts.append(say("pressure_up_to", lang, level=_pressure_words(high, lang),
                             value=number(high, 1, lang)))
        return joined(parts, lang)
    if low is not None and high is not None:
        return say("between", lang, what=what, low=_value(limit, low, lang),
                   high=_value(limit, high, lang))
    if low is not None:
        return say("at_least", lang, what=what, value=_value(limit, low, lang))
    return say("at_most", lang, what=what, value=_value(limit, high, lang))


def box_words(box: Box, record: dict, lang: str = "en") -> str:
    """The box as one plain sentence with its density and coverage."""
    conditions = (say("with", lang, conditions=joined([limit_words(lim, lang)
                                                      for lim in box.limits], lang))
                  if box.limits else say("anywhere", lang))
    return say("box", lang, conditions=capital(conditions),
               when=horizon(int(record["weeks"]), lang),
               threshold=percent(record["threshold"], lang),
               density=percent(box.density, lang), coverage=percent(box.coverage, lang),
               n=thousands(box.n, lang))


# ------------------------------------------------------------------------------ figure


def _positions(points: pd.DataFrame, factor: str, kind: str, record: dict,
               rng: np.random.Generator) -> tuple[np.ndarray, list | None]:
    if kind == "category":
        cats = record["factors"][factor]
        codes = points[factor].map({c: i for i, c in enumerate(cats)}).to_numpy(float)
        return codes + rng.uniform(-0.3, 0.3, len(codes)), cats
    values = points[factor].to_numpy(float)
    if kind == "int":
        values = values + rng.uniform(-0.3, 0.3, len(values))
    return values, None


def _limit_span(limit: Limit | None, kind: str, record: dict, factor: str) -> tuple:
    if kind == "category":
        cats = record["factors"][factor]
        kept = [cats.index(c) for c in limit.categories] if limit else range(len(cats))
        return min(kept) - 0.45, max(kept) + 0.45
    low, high = record["factors"][factor]
    lo = limit.low if limit and limit.low is not None else low
    hi = limit.high if limit and limit.high is not None else high
    pad = 0.45 if kind == "int" else 0.0
    return lo - pad, hi + pad


def _axis_factors(box: Box | None, record: dict, here: pd.DataFrame) -> list[str]:
    """The box's first two restricted factors, filled up with pressure, the number of
    EBEs or another factor that still varies among the situations shown."""
    shown = [lim.factor for lim in box.limits][:2] if box else []
    for factor in ("ebe.count", "pressure", *record["kinds"]):
        if (factor in record["kinds"] and factor not in shown and len(shown) < 2
                and here[factor].nunique() > 1):
            shown.append(factor)
    return shown


def _label_axis(axis, factor: str, cats: list | None, lang: str) -> None:
    if cats is not None:
        axis.set_ticks(range(len(cats)), [label("team", c, lang) if factor == "team.name"
                                          else TEXT[f"short/{c}"](lang) for c in cats])
    elif factor == "pressure":
        axis.set_ticks([0, 1, 2], [name("pressure", w, lang) for w in PRESSURE_WORDS])
    elif factor == "ebe.count":
        axis.set_ticks([1, 2, 3, 4])


@figures.styled
def box_figure(points: pd.DataFrame, boxes: list[Box], record: dict,
               lang: str = "en") -> Figure:
    """One panel per box: the situations PRIM still had to explain when it found the box
    (earlier boxes' situations left out), on the box's two main factors, with the box
    drawn. Situations that work are small blue dots, those that do not vermillion
    crosses."""
    panels = boxes or [None]
    fig = figures.new_figure(3.9 * len(panels) + 1.4, 3.8)
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    kinds = record["kinds"]
    works = (points["p_alive"] >= record["threshold"]).to_numpy()
    remaining = np.ones(len(points), dtype=bool)
    rng = np.random.default_rng(0)
    for ax, box in zip(axes, panels, strict=True):
        here = points[remaining]
        shown = _axis_factors(box, record, here)
        ok = works[remaining]
        (xs, xcats), (ys, ycats) = (_positions(here, f, kinds[f], record, rng) for f in shown)
        ax.scatter(xs[ok], ys[ok], s=3, color=figures.OKABE_ITO["blue"], alpha=0.6,
                   label=say("works", lang, threshold=percent(record["threshold"], lang)),
                   rasterized=True)
        ax.scatter(xs[~ok], ys[~ok], s=14, marker="x", linewidths=0.9,
                   color=figures.OKABE_ITO["vermillion"], label=TEXT["fails"](lang))
        if box is not None:
            by = {lim.factor: lim for lim in box.limits}
            (x0, x1), (y0, y1) = (_limit_span(by.get(f), kinds[f], record, f) for f in shown)
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, linewidth=2,
                                   edgecolor=figures.OKABE_ITO["black"]))
            ax.set_title(say("chosen", lang, n=box.number) + f": {TEXT['density'](lang)} "
                         f"{percent(box.density, lang)}, {TEXT['coverage'](lang)} "
                         f"{percent(box.coverage, lang)}", fontsize=8)
            remaining &= ~inside(points, box.limits)
        _label_axis(ax.xaxis, shown[0], xcats, lang)
        _label_axis(ax.yaxis, shown[1], ycats, lang)
        ax.set_xlabel(name("setting", shown[0], lang))
        ax.set_ylabel(name("setting", shown[1], lang))
        ax.grid(False)
    fig.legend(*axes[0].get_legend_handles_labels(), frameon=False, fontsize=8,
               loc="outside right center", markerscale=2)
    return fig


# ------------------------------------------------------------------------------ files


def load(study: Path | str) -> tuple[pd.DataFrame, dict]:
    """The points and the design record of a discovery study."""
    study = Path(study)
    record = json.loads((study / RECORD_FILE).read_text(encoding="utf-8"))
    return pd.read_parquet(study / POINTS_FILE), record


def locate(study: Path | str, discovery: Path | str | None = None) -> Path | None:
    """The discovery study the brief of ``study`` shows: ``discovery`` if given, else a
    ``discovery`` folder beside ``study`` (or ``study`` itself) holding results."""
    candidates = [Path(discovery)] if discovery is not None else [
        Path(study), Path(study).parent / "discovery"]
    for path in candidates:
        if (path / POINTS_FILE).exists() and (path / RECORD_FILE).exists():
            return path
    if discovery is not None:
        raise FileNotFoundError(f"--discovery {discovery} holds no {POINTS_FILE}: run "
                                "`teamsim run experiment=discovery` first")
    return None


def boxes_of(study: Path) -> list[Box]:
    """The boxes written by :func:`analyse`."""
    data = json.loads((study / BOXES_FILE).read_text(encoding="utf-8"))
    return [Box(**{**b, "limits": tuple(Limit(**{**lim, "categories":
                                                tuple(lim["categories"])})
                                         for lim in b["limits"])}) for b in data["boxes"]]


def analyse(study: Path | str) -> list[Box]:
    """Find the boxes of a discovery study; write ``boxes.json``, ``boxes.md`` and
    ``discovery.{png,svg}``; print them in plain words."""
    study = Path(study)
    points, record = load(study)
    boxes = find_boxes(points, record)
    write_json(study / BOXES_FILE, {"threshold": record["threshold"],
                                    "density": record["density"],
                                    "boxes": [asdict(b) for b in boxes]})
    lines = [f"# Scenario discovery: {record['points']} situations, "
             f"{record['replicates']} simulated teams each", ""]
    lines += [f"{b.number}. {box_words(b, record)} (coverage {b.coverage:.2f}, density "
              f"{b.density:.2f}, mean P(alive) {b.mean_alive:.2f})" for b in boxes] or [
        say("no_box", "en", density=percent(record["density"], "en"),
            threshold=percent(record["threshold"], "en"))]
    with atomic(study / "boxes.md") as tmp:
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    figures.save(box_figure(points, boxes, record), study / "discovery")
    print("\n".join(lines[2:]), flush=True)
    return boxes


def brief_section(study: Path | None, lang: str = "en", heading: bool = True) -> str:
    """The brief's section 'Under which conditions does it work?' (empty without a
    discovery study): the design in words, the boxes, and the figure."""
    if study is None:
        return ""
    points, record = load(study)
    boxes = boxes_of(study) if (study / BOXES_FILE).exists() else find_boxes(points, record)
    works = float((points["p_alive"] >= record["threshold"]).mean())
    factors = joined([name("setting", f, lang) for f in record["factors"]], lang)
    intro = say("intro", lang, points=thousands(record["points"], lang),
                runs=thousands(record["runs"], lang),
                factors=factors, when=horizon(int(record["weeks"]), lang),
                threshold=percent(record["threshold"], lang), works=percent(works, lang))
    items = [f"<li data-fact='box/{b.number}'>{html.escape(box_words(b, record, lang))}</li>"
             for b in boxes]
    if not items:
        items = ["<li>" + html.escape(say("no_box", lang,
                                          density=percent(record["density"], lang),
                                          threshold=percent(record["threshold"], lang)))
                 + "</li>"]
    fig = box_figure(points, boxes, record, lang)
    caption = say("figure", lang, threshold=percent(record["threshold"], lang))
    title = f"<h2>{html.escape(say('heading', lang))}</h2>" if heading else ""
    return (f"{title}<p>{html.escape(intro)}</p><ul>{''.join(items)}</ul>"
            f"<p class='small'>{html.escape(say('words', lang))}</p>"
            f"<figure><img alt='{html.escape(caption)}' "
            f"src='data:image/png;base64,{figures.png_base64(fig)}'>"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")
