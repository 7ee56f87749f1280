"""Figures of a study (matplotlib), in the Okabe-Ito colour-blind-safe palette.

Each function returns a :class:`matplotlib.figure.Figure` (no pyplot state, so figures
can be drawn in worker processes and servers); :func:`save` writes it as PNG and SVG and
:func:`png_base64` embeds it in a page. Axes carry their units; every text is in the
reader's language (``lang``) and names come from :mod:`analysis.names`.

Okabe & Ito (2008), "Color Universal Design": distinguishable with every common
colour-vision deficiency. Lines use the colours with at least 3:1 contrast on white
(WCAG 2.1 for graphics) and a marker each; yellow (1.3:1) is never used for a line.
"""

from __future__ import annotations

import base64
import functools
import io
import math
import textwrap
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.language import OUTCOME_WORDS, SHARES, describe, horizon, phrase
from analysis.names import label
from experiments.store import atomic
from sim.outcomes import STATES

OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9",
             "bluish green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "reddish purple": "#CC79A7"}
#: Line colours in order of contrast on white (5.2:1 down to 3.0:1), then black.
LINES = tuple(OKABE_ITO[c] for c in ("blue", "vermillion", "bluish green", "reddish purple",
                                     "black"))
MARKERS = ("o", "s", "^", "D", "v")
#: Colours of the four states of the perspective: alive in blues and greens, lost in
#: vermillion (assimilated) and grey (no EBE in post).
STATE_COLOURS = dict(zip(STATES, (OKABE_ITO["blue"], OKABE_ITO["bluish green"],
                                  OKABE_ITO["vermillion"], "#999999"), strict=True))
PRESSURE_ORDER = ("calm", "normal", "high")
UNITS = {
    "distinctiveness": "distinctiveness\n(EBE view minus team view, 0-1 scale)",
    "experiential_share": "experiential share\n(share of decision weight)",
    "team_perspective": "team perspective\n(0 system world, 1 life world)",
}
RC = {"font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
      "axes.grid": True, "grid.alpha": 0.3, "svg.fonttype": "none"}


def colour(i: int) -> str:
    return LINES[i % len(LINES)]


def marker(i: int) -> str:
    return MARKERS[i % len(MARKERS)]


def ordered(values: Sequence) -> list:
    """Pressure levels calm < normal < high first, anything else sorted after them."""
    values = list(dict.fromkeys(values))
    known = [v for v in PRESSURE_ORDER if v in values]
    return known + sorted((v for v in values if v not in PRESSURE_ORDER), key=str)


def new_figure(width: float, height: float) -> Figure:
    """A constrained-layout figure at 150 dpi."""
    fig = Figure(figsize=(width, height), layout="constrained")
    fig.set_dpi(150)
    return fig


def styled(draw):
    """Draw under the module's rc settings."""
    @functools.wraps(draw)
    def wrapped(*args, **kwargs):
        with rc_context(RC):
            return draw(*args, **kwargs)
    return wrapped


def _percent_axis(ax, axis: str = "y") -> None:
    """0-100% with room below and above, so that series at 0 or 100 stay visible."""
    (ax.set_ylim if axis == "y" else ax.set_xlim)(-4, 104)


# ----------------------------------------------------------------- states of the perspective


def _draw_states(ax, rows: pd.DataFrame) -> None:
    rows = rows.sort_values("week")
    ax.stackplot(rows["week"], *(100 * rows[s] for s in STATES),
                 colors=[STATE_COLOURS[s] for s in STATES], linewidth=0)
    ax.set_ylim(0, 100)
    ax.set_xlim(rows["week"].min(), rows["week"].max())
    ax.grid(False)


def _state_legend(fig: Figure, lang: str, **where) -> None:
    handles = [Patch(color=STATE_COLOURS[s], label=label("state", s, lang)) for s in STATES]
    fig.legend(handles=handles, title=phrase("state_of_perspective", lang), frameon=False,
               **where)


@styled
def state_areas(shares: pd.DataFrame, column: str, row: str | None = None,
                lang: str = "en", order: Sequence | None = None) -> Figure:
    """The share of teams in each state of the perspective over the weeks, stacked, one
    panel per value of ``column`` (in ``order`` if given, else :func:`ordered`; and per
    value of ``row``, if given), from :func:`analysis.trajectories.state_shares`."""
    fig = new_figure(1.0, 1.0)
    _state_grid(fig, shares, column, row, lang, order=order)
    return fig


def _state_grid(fig, shares: pd.DataFrame, column: str, row: str | None, lang: str,
                resize: bool = True, order: Sequence | None = None) -> None:
    present = shares[column].unique()
    cols = [v for v in order if v in present] if order is not None else ordered(present)
    rows = ordered(shares[row].unique()) if row else [None]
    if resize:
        fig.set_size_inches(max(5.0, 1.75 * len(cols) + 2.6), 1.5 * len(rows) + 1.0)
    axes = fig.subplots(len(rows), len(cols), sharex=True, sharey=True, squeeze=False)
    for r, level in enumerate(rows):
        for c, value in enumerate(cols):
            ax = axes[r][c]
            pick = shares[shares[column] == value]
            if row:
                pick = pick[pick[row] == level]
            if not pick.empty:
                _draw_states(ax, pick)
            if r == 0:
                ax.set_title(describe(column, value, lang), fontsize=7)
            if c == 0:
                ax.set_ylabel((describe(row, level, lang) + "\n" if row else "")
                              + phrase("share_of_teams", lang), fontsize=8)
            if r == len(rows) - 1:
                ax.set_xlabel(phrase("weeks", lang), fontsize=8)
    _state_legend(fig, lang, loc="outside right center")


def _levels(frame: pd.DataFrame, dodge: str | None) -> int:
    return frame[dodge].nunique() if dodge else 1


def _positions(frame: pd.DataFrame, category: str, dodge: str | None,
               order: Sequence | None) -> tuple[list, list, dict]:
    """Categories top to bottom, dodge levels, and each (category, level)'s y."""
    cats = list(order) if order is not None else sorted(frame[category].unique(), key=str)
    levels = ordered(frame[dodge].unique()) if dodge else [None]
    width = 0.8 / len(levels)
    y = {(cat, level): len(cats) - 1 - i - 0.4 + width * (j + 0.5)
         for i, cat in enumerate(cats) for j, level in enumerate(reversed(levels))}
    return cats, levels, y


def _state_bar_axis(ax, states, category, dodge, order, lang) -> None:
    cats, levels, y = _positions(states, category, dodge, order)
    height = 0.8 / len(levels) * 0.9
    for record in states.itertuples(index=False):
        row = record._asdict()
        key = (row[category], row[dodge] if dodge else None)
        if key not in y:
            continue
        left = 0.0
        for s in STATES:
            ax.barh(y[key], 100 * row[s], left=left, height=height, color=STATE_COLOURS[s],
                    linewidth=0)
            left += 100 * row[s]
        if dodge and len(levels) > 1:
            ax.text(101, y[key], describe(dodge, key[1], lang), va="center", fontsize=6,
                    color="0.3")
    ax.set_yticks(range(len(cats)), [describe(category, c, lang) for c in reversed(cats)])
    ax.set_xlim(0, 100)
    ax.set_xlabel(phrase("share_of_teams", lang))
    ax.grid(False)


@styled
def dot_interval(props: pd.DataFrame, category: str, weeks: int, dodge: str | None = None,
                 order: Sequence | None = None, lang: str = "en") -> Figure:
    """P(perspective alive at the horizon) with its interval per scenario: a dot and a bar
    per value of ``category`` (rows), one colour and marker per value of ``dodge``
    (``analysis.compare.proportions``). No lines join the scenarios: they are categories.
    """
    cats = list(order) if order is not None else (
        props.groupby(category)["p"].mean().sort_values().index[::-1].tolist())
    fig = new_figure(6.0, 0.36 * len(cats) * max(1, _levels(props, dodge)) ** 0.5 + 1.4)
    ax = fig.subplots()
    _dot_axis(ax, props, category, dodge, cats, weeks, lang, names=True)
    return fig


def _dot_axis(ax, props, category, dodge, cats, weeks, lang, names: bool,
              legend_inside: bool = False) -> None:
    _, levels, y = _positions(props, category, dodge, cats)
    for j, level in enumerate(levels):
        rows = props if level is None else props[props[dodge] == level]
        rows = rows[rows[category].isin(cats)]
        ys = [y[(c, level)] for c in rows[category]]
        p = 100 * rows["p"].to_numpy()
        err = np.vstack([p - 100 * rows["low"], 100 * rows["high"] - p])
        ax.errorbar(p, ys, xerr=err, fmt=marker(j), color=colour(j), capsize=2,
                    markersize=5, clip_on=False, linestyle="none",
                    label=None if level is None else describe(dodge, level, lang))
    if names:
        ax.set_yticks(range(len(cats)), [describe(category, c, lang) for c in reversed(cats)])
    else:                                   # beside the state bars, which carry the names
        ax.tick_params(labelleft=False)
    _percent_axis(ax, "x")
    ax.set_xlabel(textwrap.fill(phrase("alive_at", lang, when=horizon(weeks, lang)), 36))
    if len(levels) > 1 and legend_inside:
        ax.legend(frameon=False, fontsize=8, loc="lower left")
    elif len(levels) > 1:
        ax.figure.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=8,
                         loc="outside lower center", ncols=len(levels))


@styled
def alive_by_count(props: pd.DataFrame, weeks: int, x: str = "ebe_count",
                   line: str | None = "pressure", lang: str = "en") -> Figure:
    """P(perspective alive at the horizon) against the number of EBEs, one line per
    value of ``line``, with intervals (``analysis.compare.proportions``). Lines are
    dodged sideways and marked, so that series at 0% or 100% stay visible."""
    fig = new_figure(4.8, 3.3)
    _count_axis(fig.subplots(), props, weeks, x, line, lang)
    return fig


def _count_axis(ax, props, weeks, x, line, lang) -> None:
    levels = ordered(props[line].unique()) if line else [None]
    xs = sorted(props[x].unique())
    step = min(np.diff(xs)) if len(xs) > 1 else 1.0
    offsets = np.linspace(-0.06, 0.06, len(levels)) * step if len(levels) > 1 else [0.0]
    for i, (level, offset) in enumerate(zip(levels, offsets, strict=True)):
        rows = props if level is None else props[props[line] == level]
        rows = rows.sort_values(x)
        p = 100 * rows["p"].to_numpy()
        err = np.vstack([p - 100 * rows["low"], 100 * rows["high"] - p])
        ax.errorbar(rows[x] + offset, p, yerr=err, color=colour(i), marker=marker(i),
                    capsize=3, markersize=5, clip_on=False,
                    label=None if level is None else describe(line, level, lang))
    ax.set_xlabel(phrase("ebes_hired", lang) if x in ("ebe_count", "ebe.count")
                  else describe(x, "", lang).rstrip(" ="))
    ax.set_ylabel(textwrap.fill(phrase("alive_at", lang, when=horizon(weeks, lang)), 34))
    if all(float(v).is_integer() for v in xs):
        ax.set_xticks(xs)
    _percent_axis(ax)
    if len(levels) > 1:
        ax.legend(frameon=False, fontsize=8)


# ----------------------------------------------------------------- the study's own figure


@styled
def study_figure(props: pd.DataFrame, shares: pd.DataFrame | None, states: pd.DataFrame,
                 keys: Sequence[str], weeks: int, title: str, lang: str = "en") -> Figure:
    """The figure ``teamsim run`` draws for a study.

    A numeric first key (the number of EBEs, a caseload): the four states over the weeks,
    one panel per point (rows: the second key), then P(alive at the horizon) against the
    first key, one line per value of the second. A categorical first key (scenarios): the
    states at the horizon and P(alive) with its interval per scenario, as bars and dots
    (no lines between categories). ``props``: one row per point with ``p, low, high``;
    ``shares``: weekly state shares per point (None without trajectories); ``states``:
    state shares at the horizon per point.
    """
    keys = list(keys)
    first, second = keys[0], (keys[1] if len(keys) > 1 else None)
    if pd.api.types.is_numeric_dtype(props[first]) and props[first].nunique() > 1:
        columns, rows = props[first].nunique(), (props[second].nunique() if second else 1)
        grid = 1.5 * rows + 1.0 if shares is not None else 0.0
        fig = new_figure(max(7.0, 1.75 * columns + 2.6), grid + 3.4)
        bottom = fig
        if shares is not None:
            top, bottom = fig.subfigures(2, 1, height_ratios=(grid, 3.4))
            _state_grid(top, shares, first, second, lang, resize=False)
        ax, note = bottom.subplots(1, 2, width_ratios=(3, 2))
        _count_axis(ax, props, weeks, first, second, lang)
        note.set_axis_off()
        note.text(0.02, 0.5, phrase("alive_note", lang, n=int(props["n"].min()),
                                    when=horizon(weeks, lang)),
                  va="center", ha="left", fontsize=8, wrap=True, transform=note.transAxes)
    else:
        cats = props.groupby(first)["p"].mean().sort_values().index[::-1].tolist()
        fig = new_figure(11.0, 0.3 * len(cats) * max(1, _levels(props, second)) + 2.0)
        left, right = fig.subplots(1, 2, sharey=True, width_ratios=(1.1, 1.0))
        _state_bar_axis(left, states, first, second, cats, lang)
        _dot_axis(right, props, first, second, cats, weeks, lang, names=False,
                  legend_inside=True)
        _state_legend(fig, lang, loc="outside lower center", ncols=4)
    fig.suptitle(title)
    return fig


# ----------------------------------------------------------------- survival and comparisons


@styled
def survival_curves(table: pd.DataFrame, group: str, panel: str = "pressure",
                    lang: str = "en") -> Figure:
    """Kaplan-Meier curves of the first loss with 95% bands
    (``analysis.survival.survival_table``), one panel per level of ``panel`` and one
    colour per value of ``group``."""
    panels = ordered(table[panel].unique())
    fig = new_figure(3.4 * len(panels) + 1.6, 3.2)
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    for ax, level in zip(axes, panels, strict=True):
        rows = table[table[panel] == level]
        for i, value in enumerate(sorted(rows[group].unique(), key=str)):
            curve = rows[rows[group] == value]
            ax.step(curve["week"], 100 * curve["survival"], where="post", color=colour(i),
                    label=describe(group, value, lang))
            ax.fill_between(curve["week"], 100 * curve["lower"], 100 * curve["upper"],
                            step="post", color=colour(i), alpha=0.2, linewidth=0)
        ax.set_title(describe(panel, level, lang))
        ax.set_xlabel(phrase("weeks", lang))
        _percent_axis(ax)
    axes[0].set_ylabel(textwrap.fill(phrase("kaplan_meier", lang), 34))
    fig.legend(*axes[0].get_legend_handles_labels(), frameon=False,
               loc="outside right center")
    return fig


@styled
def lever_effects(diffs: pd.DataFrame, lever: str = "label", outcome: str = "survived",
                  dodge: str | None = "pressure", minimum: float | None = None,
                  lang: str = "en") -> Figure:
    """Ranked effects of the levers against the baseline with 95% intervals, one marker
    per level of ``dodge`` (``analysis.compare.paired_differences``); with ``minimum``
    (a share), the band of no meaningful difference is shaded."""
    rows = diffs[diffs["outcome"] == outcome]
    scale = 100.0 if outcome in SHARES else 1.0
    rank = rows.groupby(lever)["difference"].mean().sort_values().index.tolist()
    dodge = dodge if dodge in rows else None
    levels = ordered(rows[dodge].unique()) if dodge else [None]
    fig = new_figure(6.4, 0.38 * len(rank) + 1.5)
    ax = fig.subplots()
    if minimum is not None:
        ax.axvspan(-100 * minimum, 100 * minimum, color="0.9", linewidth=0,
                   label=phrase("minimum_important", lang,
                                mid=f"{100 * minimum:g}".replace(".", "," if lang == "nl"
                                                                  else ".")))
    offsets = np.linspace(-0.15, 0.15, len(levels)) if len(levels) > 1 else [0.0]
    for i, (level, offset) in enumerate(zip(levels, offsets, strict=True)):
        sub = (rows if level is None else rows[rows[dodge] == level]).set_index(lever)
        sub = sub.reindex(rank)
        y = np.arange(len(rank)) + offset
        d = scale * sub["difference"].to_numpy()
        err = np.vstack([d - scale * sub["low"], scale * sub["high"] - d])
        ax.errorbar(d, y, xerr=err, fmt=marker(i), color=colour(i), capsize=2,
                    markersize=4, label=None if level is None else describe(dodge, level,
                                                                            lang))
    ax.axvline(0, color="0.4", linewidth=0.8)
    ax.set_yticks(np.arange(len(rank)), [describe(lever, r, lang) for r in rank])
    words = OUTCOME_WORDS.get(outcome)
    ax.set_xlabel(textwrap.fill(phrase("effect_against_baseline", lang,
                                       outcome=words(lang) if words else outcome), 36))
    if ax.get_legend_handles_labels()[0]:
        fig.legend(*ax.get_legend_handles_labels(), frameon=False, fontsize=8,
                   loc="outside lower center", ncols=3)
    return fig


@styled
def heatmap(props: pd.DataFrame, weeks: int, x: str = "ebe_count", y: str = "pressure",
            lang: str = "en") -> Figure:
    """P(perspective alive at the horizon) on a pressure x hires grid, in % per cell."""
    ys, xs = ordered(props[y].unique()), sorted(props[x].unique())
    grid = props.pivot_table(index=y, columns=x, values="p").reindex(index=ys, columns=xs)
    fig = new_figure(2.6 + 0.8 * len(xs), 1.5 + 0.5 * len(ys))
    ax = fig.subplots()
    image = ax.imshow(100 * grid.to_numpy(), cmap="cividis", vmin=0, vmax=100, aspect="auto",
                      origin="lower")
    for (i, j), value in np.ndenumerate(100 * grid.to_numpy()):
        if not math.isnan(value):
            ax.text(j, i, f"{value:.0f}", ha="center", va="center",
                    color="black" if value > 55 else "white", fontsize=8)
    ax.set_xticks(range(len(xs)), [str(v) for v in xs])
    ax.set_yticks(range(len(ys)), [describe(y, v, lang) if y == "pressure" else str(v)
                                   for v in ys])
    ax.set_xlabel(phrase("ebes_hired", lang))
    ax.set_ylabel(phrase("pressure_axis", lang) if y == "pressure" else y)
    ax.grid(False)
    fig.colorbar(image, ax=ax, label=textwrap.fill(phrase("alive_at", lang,
                                                          when=horizon(weeks, lang)), 26))
    return fig


@styled
def trajectories(bands: pd.DataFrame, group: str, panel: str = "pressure",
                 variables: Sequence[str] = ("distinctiveness", "experiential_share"),
                 lang: str = "en") -> Figure:
    """Median per week with the central 50% (dark) and 90% (light) of replicates, one row
    per variable and one column per level of ``panel`` (``weekly_bands``)."""
    panels = ordered(bands[panel].unique())
    fig = new_figure(3.4 * len(panels) + 1.6, 2.6 * len(variables))
    axes = fig.subplots(len(variables), len(panels), sharex=True, squeeze=False)
    for r, variable in enumerate(variables):
        for c, level in enumerate(panels):
            ax = axes[r][c]
            rows = bands[(bands["variable"] == variable) & (bands[panel] == level)]
            for i, value in enumerate(sorted(rows[group].unique(), key=str)):
                b = rows[rows[group] == value].sort_values("week")
                ax.fill_between(b["week"], b["q05"], b["q95"], color=colour(i), alpha=0.12,
                                linewidth=0)
                ax.fill_between(b["week"], b["q25"], b["q75"], color=colour(i), alpha=0.3,
                                linewidth=0)
                ax.plot(b["week"], b["q50"], color=colour(i), label=describe(group, value,
                                                                              lang))
            if r == 0:
                ax.set_title(describe(panel, level, lang))
            if c == 0:
                ax.set_ylabel(UNITS.get(variable, variable))
            if r == len(variables) - 1:
                ax.set_xlabel(phrase("weeks", lang))
    fig.legend(*axes[0][0].get_legend_handles_labels(), frameon=False,
               loc="outside right center")
    return fig


def save(fig: Figure, stem: Path | str) -> list[Path]:
    """Write ``stem.png`` and ``stem.svg`` (each atomically); return both paths."""
    stem = Path(stem)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".svg")]
    for path in paths:
        with atomic(path) as tmp:
            fig.savefig(tmp, format=path.suffix[1:])
    return paths


def png_base64(fig: Figure) -> str:
    """The figure as a base64 PNG for a ``data:`` URL."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode("ascii")
