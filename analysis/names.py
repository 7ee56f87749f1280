"""Human-readable names, in English and Dutch, of everything a reader sees by name: the
scenarios (levers), the settings a policy maker can change, pressure levels, team types
and the states of the perspective.

This is the one table of such names: legends, tables and sentences of the brief, the
study figures, scenario discovery and the explorer all read it through :func:`name`.
Scenario keys are the files of ``configs/scenario/`` (a test checks that each has a
name). Dutch follows the field's terms (*ervaringsdeskundige*, *leefwereld*,
*systeemwereld*, FACT-team).
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "nl")


@dataclass(frozen=True)
class Name:
    """One thing's name in each language (as it reads inside a sentence)."""

    en: str
    nl: str

    def __call__(self, lang: str = "en") -> str:
        if lang not in LANGUAGES:
            raise ValueError(f"language {lang!r}: choose one of {', '.join(LANGUAGES)}")
        return getattr(self, lang)


#: Scenarios of ``configs/scenario/``: each is one EBE plus one lever, or a number of EBEs.
SCENARIOS = {
    "no_ebe": Name("no EBE", "geen ervaringsdeskundige"),
    "single_hire": Name("one EBE, no measure", "één ervaringsdeskundige, geen maatregel"),
    "two_hires": Name("a second EBE", "een tweede ervaringsdeskundige"),
    "three_hires": Name("three EBEs", "drie ervaringsdeskundigen"),
    "high_pressure": Name("one EBE in a high-pressure team",
                          "één ervaringsdeskundige in een team met hoge werkdruk"),
    "external_ebe": Name("an external (not employed) EBE",
                         "een externe ervaringsdeskundige (niet in dienst)"),
    "intervision": Name("peer intervision for the EBE",
                        "intervisie met andere ervaringsdeskundigen"),
    "coaching": Name("coaching and supervision", "coaching en supervisie"),
    "clear_role": Name("a clear role and job description",
                       "een duidelijke rol en functieomschrijving"),
    "policy_seat": Name("a seat where policy is made", "een plek aan de beleidstafel"),
    "professional_autonomy": Name("more professional autonomy",
                                  "meer professionele autonomie"),
    "dialogue_culture": Name("a culture of open dialogue", "een cultuur van open dialoog"),
    "experiential_authority": Name("experiential authority (the team defers to the EBE)",
                                   "ervaringsgezag (het team volgt de ervaringsdeskundige)"),
    "separate_ebe_team": Name("a separate EBE team",
                              "een apart team van ervaringsdeskundigen"),
    "duo_work": Name("duo work (the EBE works in a fixed duo with a professional)",
                     "duowerk (de ervaringsdeskundige werkt vast samen met een professional)"),
    "allies": Name("allies (professionals with lived experience of their own)",
                   "bondgenoten (professionals met eigen ervaringskennis)"),
    "high_turnover": Name("high turnover of professionals",
                          "veel verloop onder de professionals"),
}

#: Settings a policy maker can change (dotted config keys), as scenario discovery and the
#: explorer show them.
SETTINGS = {
    "ebe.count": Name("number of EBEs", "aantal ervaringsdeskundigen"),
    "ebe.share": Name("EBE share of the team", "aandeel ervaringsdeskundigen in het team"),
    "ebe.employment": Name("employment of the EBE", "dienstverband van de ervaringsdeskundige"),
    "pressure": Name("work pressure", "werkdruk"),
    "workload.caseload": Name("caseload pressure (0-1)", "druk van de caseload (0-1)"),
    "team.name": Name("type of team", "soort team"),
    "team.size": Name("team size (persons)", "teamgrootte (personen)"),
    "team.hierarchy_steepness": Name("steepness of the knowledge hierarchy",
                                     "steilheid van de kennishiërarchie"),
    "organisation.intervision": Name("peer intervision", "intervisie"),
    "organisation.coaching": Name("coaching and supervision", "coaching en supervisie"),
    "organisation.role_clarity": Name("clarity of the EBE's role",
                                      "duidelijkheid van de rol"),
    "organisation.policy_seat": Name("seat where policy is made", "plek aan de beleidstafel"),
    "organisation.professional_autonomy": Name("professional autonomy",
                                               "professionele autonomie"),
    "organisation.dialogue_culture": Name("open dialogue culture", "cultuur van open dialoog"),
    "organisation.experiential_authority": Name("experiential authority", "ervaringsgezag"),
}

#: Values of the categorical settings.
EMPLOYMENT = {
    "employed": Name("employed by the organisation", "in dienst van de organisatie"),
    "external": Name("external (not employed)", "extern (niet in dienst)"),
}
PRESSURE = {
    "calm": Name("calm", "rustig"),
    "normal": Name("normal", "normaal"),
    "high": Name("high", "hoog"),
}
TEAMS = {
    "fact": Name("FACT team", "FACT-team"),
    "small": Name("small FACT team", "klein FACT-team"),
    "large": Name("large FACT team", "groot FACT-team"),
    "neighbourhood": Name("neighbourhood team", "sociaal wijkteam"),
}
#: The states of the perspective (``sim.outcomes.STATES``).
STATES = {
    "retained": Name("retained by an EBE", "behouden door een ervaringsdeskundige"),
    "diffused": Name("carried by the team", "gedragen door het team"),
    "assimilated": Name("assimilated into the system world",
                        "opgegaan in de systeemwereld"),
    "vacant": Name("no EBE in post (vacancy)", "geen ervaringsdeskundige (vacature)"),
}

TABLES = {"scenario": SCENARIOS, "setting": SETTINGS, "employment": EMPLOYMENT,
          "pressure": PRESSURE, "team": TEAMS, "state": STATES}


def name(kind: str, key: object, lang: str = "en") -> str:
    """The readable name of ``key`` among ``kind`` (``scenario``, ``setting``,
    ``employment``, ``pressure``, ``team``, ``state``) in ``lang``.

    A key the table does not know (an ad-hoc scenario of a user's own) is shown as it is,
    with underscores as spaces.
    """
    if kind not in TABLES:
        raise ValueError(f"kind {kind!r}: choose one of {', '.join(TABLES)}")
    found = TABLES[kind].get(str(key))
    return found(lang) if found is not None else str(key).replace("_", " ")


def capital(text: str) -> str:
    """The first letter upper case; Dutch 'één' opens a sentence as 'Eén'."""
    if text.startswith("één"):
        return "Eén" + text[3:]
    return text[:1].upper() + text[1:]


def label(kind: str, key: object, lang: str = "en") -> str:
    """:func:`name` with a capital first letter, for legends and table cells."""
    return capital(name(kind, key, lang))
