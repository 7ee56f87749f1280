"""Numbers and phrases in the reader's language (English or Dutch).

Numbers are the same in both languages; only their writing differs: Dutch writes a
decimal comma (0,5). A rounded value is never written with a sign it does not have
("-0" becomes "0"). Phrases that figures and the brief share are in :data:`PHRASES`;
names of scenarios, settings and states are in :mod:`analysis.names`.
"""

from __future__ import annotations

import math

from analysis.names import LANGUAGES, Name


def check(lang: str) -> str:
    """``lang`` if it is a known language, else a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def number(x: float, digits: int = 0, lang: str = "en", sign: bool = False) -> str:
    """``x`` rounded to ``digits`` decimals; ``sign`` adds '+' to positive values.

    A value that rounds to zero is written without a sign: never '-0' or '+0'.
    """
    check(lang)
    if math.isnan(x):
        return "–"
    text = f"{abs(x):.{digits}f}"
    if float(text) == 0:
        negative = positive = False
    else:
        negative, positive = x < 0, x > 0 and sign
    text = ("-" if negative else "+" if positive else "") + text
    return text.replace(".", ",") if lang == "nl" else text


def thousands(n: int, lang: str = "en") -> str:
    """A whole number with thousands separated: 300,000 / 300.000."""
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "nl" else text


def percent(share: float, lang: str = "en", digits: int = 0) -> str:
    """A share as a percentage: 0.234 -> '23%'."""
    return number(100 * share, digits, lang) + "%"


def percent_interval(share: float, low: float, high: float, lang: str = "en") -> str:
    """'23% (19–27%)'."""
    return f"{percent(share, lang)} ({number(100 * low, 0, lang)}–{percent(high, lang)})"


def points(difference: float, lang: str = "en", sign: bool = True, digits: int = 0) -> str:
    """A difference of shares in percentage points, signed: '+38'."""
    return number(100 * difference, digits, lang, sign=sign)


def effect_points(value: float, low: float, high: float, minimum: float,
                  lang: str = "en") -> dict[str, str]:
    """``diff``, ``low`` and ``high`` of an effect in percentage points, whole unless an
    edge of the interval would round onto the minimum important difference, or the whole
    interval lies within one point: then one decimal, so that '+4.7 to +7.9, unclear'
    does not read '+5 to +8, unclear', nor '-0.6 to +0.6' read '-1 to +1'."""
    near = any(abs(abs(100 * edge) - 100 * minimum) < 0.5 for edge in (low, high))
    within_one = low < high and max(abs(low), abs(high)) < 0.01
    digits = 1 if near or within_one else 0
    return {"diff": points(value, lang, digits=digits), "low": points(low, lang, digits=digits),
            "high": points(high, lang, digits=digits)}


def phrase(key: str, lang: str = "en", **values) -> str:
    """The phrase ``key`` in ``lang``, formatted with ``values``."""
    return PHRASES[key](check(lang)).format(**values)


PHRASES: dict[str, Name] = {
    # axes and legends
    "weeks": Name("weeks since the start", "weken sinds de start"),
    "share_of_teams": Name("share of teams (%)", "deel van de teams (%)"),
    "state_of_perspective": Name("state of the perspective", "toestand van het perspectief"),
    "ebes_hired": Name("number of EBEs hired (persons)",
                       "aantal aangenomen ervaringsdeskundigen (personen)"),
    "alive_at": Name("perspective alive at {when} (% of teams)",
                     "perspectief levend na {when} (% van de teams)"),
    "pressure_level": Name("{level} pressure", "werkdruk {level}"),
    "pressure_axis": Name("pressure level", "werkdruk"),
    "ebe_count_title": Name("{n} EBE", "{n} ervaringsdeskundige"),
    "ebe_count_title_plural": Name("{n} EBEs", "{n} ervaringsdeskundigen"),
    "effect_against_baseline": Name("effect against one EBE without a measure: {outcome}",
                                    "effect tegenover één ervaringsdeskundige zonder "
                                    "maatregel: {outcome}"),
    "minimum_important": Name("minimum important difference (±{mid} points)",
                              "kleinste belangrijke verschil (±{mid} punten)"),
    "kaplan_meier": Name("teams where the perspective has never been lost (%)",
                         "teams waar het perspectief nog nooit verloren ging (%)"),
    "alive_in_percent": Name("perspective alive (% of teams)",
                             "perspectief levend (% van de teams)"),
    "scenario": Name("scenario", "scenario"),
    "alive_note": Name("Alive: the perspective is retained by an EBE\nor carried by the "
                       "team (it has diffused).\nBars: 95% Wilson intervals over {n}\n"
                       "simulated teams per point, at {when}.",
                       "Levend: een ervaringsdeskundige behoudt\nhet perspectief of het "
                       "team draagt het\n(het is overgedragen). Strepen: 95%-\n"
                       "Wilsonintervallen over {n} gesimuleerde\nteams per punt, na {when}."),
    "at_horizon": Name("at {when}", "na {when}"),
    # horizons
    "one_year": Name("one year", "één jaar"),
    "two_years": Name("two years", "twee jaar"),
    "three_years": Name("three years", "drie jaar"),
    "five_years": Name("five years", "vijf jaar"),
    "n_weeks": Name("{n} weeks", "{n} weken"),
}

#: Outcomes of a comparison in words (units included), keyed by ``sim.outcomes`` name.
OUTCOME_WORDS: dict[str, Name] = {
    "survived": Name("perspective alive at the horizon (percentage points)",
                     "perspectief levend aan het eind (procentpunten)"),
    "weeks_alive": Name("share of weeks with the perspective alive (percentage points)",
                        "deel van de weken met een levend perspectief (procentpunten)"),
    "experiential_share": Name("experiential share of decisions (percentage points)",
                               "aandeel ervaringskennis in besluiten (procentpunten)"),
    "team_shift": Name("team shift toward the life world (perspective units)",
                       "verschuiving van het team naar de leefwereld (perspectiefschaal)"),
    "exits": Name("EBE exits (persons per team)",
                  "vertrokken ervaringsdeskundigen (personen per team)"),
}
#: Outcomes measured as shares, shown in percentage points.
SHARES = ("survived", "weeks_alive", "experiential_share")


def horizon(weeks: int, lang: str = "en") -> str:
    """'two years' for 104 weeks, 'one year' for 52, else 'N weeks'."""
    years = {52: "one_year", 104: "two_years", 156: "three_years", 260: "five_years"}
    key = years.get(int(weeks))
    return phrase(key, lang) if key else phrase("n_weeks", lang, n=int(weeks))


def describe(column: str, value: object, lang: str = "en") -> str:
    """A point's value of ``column`` as a reader sees it in a legend or a panel title:
    'a second EBE', 'high pressure', '2 EBEs', 'FACT team', else 'column = value'."""
    from analysis.names import label, name

    if column in ("label", "scenario"):
        return label("scenario", value, lang)
    if column == "pressure":
        return phrase("pressure_level", lang, level=name("pressure", value, lang))
    if column == "team":
        return label("team", value, lang)
    if column in ("ebe.count", "ebe_count"):
        key = "ebe_count_title" if int(value) == 1 else "ebe_count_title_plural"
        return phrase(key, lang, n=int(value))
    if column == "ebe.employment":
        return label("employment", value, lang)
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{name('setting', column, lang)} = " + (shown.replace(".", ",") if lang == "nl"
                                                     else shown)
