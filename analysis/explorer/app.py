"""The explorer page: 'what if we...?' answered in seconds (Solara).

``teamsim explore`` serves it on 127.0.0.1 (``solara run analysis.explorer.app``). The
left column holds the choices (team type and size, pressure, number of EBEs, employed or
external, the seven levers, the language); the right column the answer: the share of
simulated teams where the perspective is alive at two years with its 95% interval, next
to the single-hire baseline on the same simulated teams and the difference, one plain
sentence, the four states of the perspective week by week, and a button that saves the
scenario as a config file ``teamsim run`` accepts. Each browser session keeps its own
choices (component state); results are cached for everyone
(:func:`analysis.explorer.scenario.outcome`).
"""

from __future__ import annotations

import html

import pandas as pd
import solara

from analysis import figures
from analysis.explorer.scenario import (
    EMPLOYMENT,
    LEVERS,
    MAX_EBES,
    PRESSURES,
    TEAMS,
    Choice,
    compare,
    natural_size,
    scenario_file,
    scenario_name,
)
from analysis.language import horizon, number, percent_interval, points, thousands
from analysis.names import LANGUAGES, Name, label, name
from sim import ConfigError, config_dir

TEXT = {
    "title": Name("What if we…? The experience perspective in your team",
                  "Wat als we…? Het ervaringsperspectief in uw team"),
    "team": Name("Type of team", "Soort team"),
    "size": Name("Team size (persons, EBEs included)", "Teamgrootte (personen, met "
                 "ervaringsdeskundigen)"),
    "own_size": Name("Use the team type's own size", "De eigen grootte van dit soort team"),
    "pressure": Name("Work pressure", "Werkdruk"),
    "ebes": Name("Number of EBEs", "Aantal ervaringsdeskundigen"),
    "employment": Name("The EBEs are", "De ervaringsdeskundigen zijn"),
    "levers": Name("Measures (0 = absent, 1 = fully in place)",
                   "Maatregelen (0 = afwezig, 1 = volledig aanwezig)"),
    "alive": Name("Perspective alive after {when} (95% interval)",
                  "Perspectief levend na {when} (95%-interval)"),
    "baseline": Name("One employed EBE, no measures (same team, same pressure)",
                     "Eén ervaringsdeskundige in dienst, geen maatregelen (zelfde team, "
                     "zelfde werkdruk)"),
    "difference": Name("Difference", "Verschil"),
    "points": Name("{diff} points ({low} to {high})", "{diff} punten ({low} tot {high})"),
    "save": Name("Save this scenario as a config file", "Bewaar dit scenario als "
                 "configuratiebestand"),
    "save_help": Name("Then put the file in {folder} and run: teamsim run scenario={name}",
                      "Zet het bestand daarna in {folder} en start: teamsim run "
                      "scenario={name}"),
    "states": Name("The four states of the perspective, week by week (share of simulated "
                   "teams): your scenario and the baseline.",
                   "De vier toestanden van het perspectief, week na week (deel van de "
                   "gesimuleerde teams): uw scenario en het vertrekpunt."),
    "yours": Name("your scenario", "uw scenario"),
    "base": Name("baseline", "vertrekpunt"),
    "replicates": Name("{n} simulated teams per scenario, the same for both; computed in "
                       "{seconds} s.",
                       "{n} gesimuleerde teams per scenario, dezelfde voor beide; berekend "
                       "in {seconds} s."),
    "language": Name("Language", "Taal"),
    "employed": Name("employed", "in dienst"),
    "external": Name("external", "extern"),
    "brief": Name("For the whole picture see the policy brief: teamsim report "
                  "results/hire_more_than_one",
                  "Voor het hele beeld: het beleidsrapport, teamsim report "
                  "results/hire_more_than_one --lang nl"),
}
STYLE = """
.explorer-number{font-size:1.6rem;font-weight:700;line-height:1.15}
.explorer-label{font-size:.85rem;color:#444}
.explorer-sentence{font-size:1.05rem;border-left:5px solid #0072B2;padding:.3rem .8rem;
background:#f2f7fb}
"""


def say(key: str, lang: str, **values) -> str:
    return TEXT[key](lang).format(**values)


def state_figure(comparison, lang: str):
    """The four states over the weeks: the scenario and its baseline side by side."""
    parts = []
    for key, result in (("yours", comparison.scenario), ("base", comparison.baseline)):
        parts.append(result.states.assign(label=say(key, lang)))
    shares = pd.concat(parts, ignore_index=True)
    if comparison.is_baseline:
        shares = shares[shares["label"] == say("yours", lang)]
    fig = figures.state_areas(shares, "label", lang=lang,     # the scenario first, as the
                              order=[say("yours", lang), say("base", lang)])   # caption says
    fig.set_size_inches(7.2, 2.9)
    return fig


def _compare(choice: Choice):
    """The comparison, or the ConfigError that names a setting out of range."""
    try:
        return compare(choice)
    except ConfigError as err:
        return err


@solara.component
def Number(title: str, value: str, css: str) -> None:
    with solara.Column(gap="0px"):
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(title), classes=["explorer-label"])
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(value),
                    classes=["explorer-number", css])


@solara.component
def Answer(choice: Choice, lang: str) -> None:
    """The numbers, the sentence, the figure and the save button of one choice."""
    comparison = solara.use_memo(lambda: _compare(choice), dependencies=[choice])
    if isinstance(comparison, ConfigError):
        solara.Error(str(comparison))
        return
    a, b, d = comparison.scenario.alive, comparison.baseline.alive, comparison.difference
    when = horizon(comparison.scenario.weeks, lang)
    with solara.Row(gap="32px"):
        Number(say("alive", lang, when=when), percent_interval(a.value, a.low, a.high, lang),
               "alive")
        Number(say("baseline", lang), percent_interval(b.value, b.low, b.high, lang),
               "baseline")
        Number(say("difference", lang), say("points", lang, diff=points(d.value, lang),
                                            low=points(d.low, lang),
                                            high=points(d.high, lang)), "difference")
    solara.HTML(tag="span", unsafe_innerHTML="", classes=["explorer-data"],
                attributes={"data-alive": repr(a.value), "data-baseline": repr(b.value),
                            "data-difference": repr(d.value), "data-low": repr(d.low),
                            "data-high": repr(d.high)})
    solara.HTML(tag="p", unsafe_innerHTML=html.escape(comparison.sentence(lang)),
                classes=["explorer-sentence"])
    solara.FigureMatplotlib(state_figure(comparison, lang), dependencies=[choice, lang],
                            format="png")
    solara.Text(say("states", lang), style={"font-size": "0.85rem", "color": "#444"})
    solara.Text(say("replicates", lang, n=thousands(choice.replicates, lang),
                    seconds=number(comparison.scenario.seconds, 1, lang)),
                style={"font-size": "0.85rem", "color": "#444"})
    solara.FileDownload(scenario_file(choice, comparison), f"{scenario_name(choice)}.yaml",
                        label=say("save", lang), mime_type="text/yaml")
    solara.Text(say("save_help", lang, name=scenario_name(choice),
                    folder=config_dir() / "scenario"),
                style={"font-size": "0.85rem", "color": "#444"})


@solara.component
def Page() -> None:
    """The explorer: choices on the left, the answer on the right (state per session)."""
    lang, set_lang = solara.use_state("en")
    choice, set_choice = solara.use_state(Choice())

    def change(**settings) -> None:
        set_choice(lambda old: old.set(**settings))

    solara.Style(STYLE)
    solara.Title(say("title", lang))
    with solara.Columns([2, 3]):
        with solara.Column():
            solara.Markdown(f"### {say('title', lang)}")
            solara.ToggleButtonsSingle(lang, values=list(LANGUAGES), on_value=set_lang)
            solara.Select(say("team", lang), values=[label("team", t, lang) for t in TEAMS],
                          value=label("team", choice.team, lang),
                          on_value=lambda v: change(team=_key(v, TEAMS, "team", lang),
                                                    size=None))
            own = choice.size is None
            solara.Checkbox(label=say("own_size", lang), value=own,
                            on_value=lambda v: change(size=None if v else natural_size(
                                choice.team, choice.ebes)))
            if not own:
                solara.SliderInt(f"{say('size', lang)}: {choice.size}", value=choice.size,
                                 min=4, max=30, on_value=lambda v: change(size=int(v)))
            solara.Text(say("pressure", lang))
            solara.ToggleButtonsSingle(name("pressure", choice.pressure, lang),
                                       values=[name("pressure", p, lang) for p in PRESSURES],
                                       on_value=lambda v: change(
                                           pressure=_key(v, PRESSURES, "pressure", lang)))
            solara.SliderInt(f"{say('ebes', lang)}: {choice.ebes}", value=choice.ebes, min=0,
                             max=MAX_EBES, on_value=lambda v: change(ebes=int(v)))
            solara.Text(say("employment", lang))
            solara.ToggleButtonsSingle(say(choice.employment, lang),
                                       values=[say(e, lang) for e in EMPLOYMENT],
                                       on_value=lambda v: change(employment=next(
                                           e for e in EMPLOYMENT if say(e, lang) == v)))
            solara.Text(say("levers", lang))
            for lever in LEVERS:
                value = choice.lever(lever)
                shown = label("setting", f"organisation.{lever}", lang)
                solara.SliderFloat(f"{shown}: {number(value, 2, lang)}", value=value,
                                   min=0.0, max=1.0, step=0.05,
                                   on_value=lambda v, lever=lever: change(**{lever: v}))
        with solara.Column():
            Answer(choice, lang)
            solara.Text(say("brief", lang), style={"font-size": "0.85rem",
                                                   "margin-bottom": "2.5rem"})


def _key(shown: str, keys: tuple[str, ...], kind: str, lang: str) -> str:
    """The key of a readable value shown in a control (teams as labels, pressure levels
    as names)."""
    for key in keys:
        if (label(kind, key, lang) if kind == "team" else name(kind, key, lang)) == shown:
            return key
    raise ValueError(f"{shown!r} is not one of the {kind} choices")


