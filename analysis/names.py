"""Human-readable names, in English and Dutch, of everything a reader sees by name: the
scenarios (levers), the settings a policy maker can change, pressure levels, team types,
the states of the perspective, the team's disciplines (singular and plural) and the
mechanisms of the validation's structural table.

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


@dataclass(frozen=True)
class Noun:
    """A countable thing's name, one and several, in each language."""

    one: Name
    many: Name

    def __call__(self, count: int, lang: str = "en") -> str:
        return (self.one if count == 1 else self.many)(lang)


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
    "team.turnover": Name("professional turnover (share per year)",
                          "verloop van professionals (aandeel per jaar)"),
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

#: Disciplines of the team (``team.disciplines`` of ``configs/team/``), one and several.
DISCIPLINES = {
    "psychiatrist": Noun(Name("psychiatrist", "psychiater"),
                         Name("psychiatrists", "psychiaters")),
    "psychologist": Noun(Name("psychologist", "psycholoog"),
                         Name("psychologists", "psychologen")),
    "nurse": Noun(Name("nurse", "verpleegkundige"), Name("nurses", "verpleegkundigen")),
    "social_psychiatric_nurse": Noun(
        Name("social psychiatric nurse", "sociaal-psychiatrisch verpleegkundige"),
        Name("social psychiatric nurses", "sociaal-psychiatrisch verpleegkundigen")),
    "social_worker": Noun(Name("social worker", "maatschappelijk werker"),
                          Name("social workers", "maatschappelijk werkers")),
    "addiction_specialist": Noun(Name("addiction specialist", "verslavingsdeskundige"),
                                 Name("addiction specialists", "verslavingsdeskundigen")),
    "team_leader": Noun(Name("team leader", "teamleider"), Name("team leaders", "teamleiders")),
    "community_worker": Noun(Name("community worker", "opbouwwerker"),
                             Name("community workers", "opbouwwerkers")),
    "debt_counsellor": Noun(Name("debt counsellor", "schuldhulpverlener"),
                            Name("debt counsellors", "schuldhulpverleners")),
    "youth_worker": Noun(Name("youth worker", "jongerenwerker"),
                         Name("youth workers", "jongerenwerkers")),
    "expert_by_experience": Noun(Name("EBE", "ervaringsdeskundige"),
                                 Name("EBEs", "ervaringsdeskundigen")),
}

#: The mechanism each row of the validation's structural table switches off
#: (``experiments/validation/structural.py``; the rows a claim can rest on), keyed by the
#: row's name as ``docs/validation.json`` records it.
MECHANISMS = {
    "closure under time pressure off": Name("closure under time pressure",
                                            "de drang tot afsluiting onder tijdsdruk"),
    "production pull off": Name("production pull", "de trek van productiewerk"),
    "production assimilation off": Name("production assimilation",
                                        "assimilatie door productiewerk"),
    "anchor drift off": Name("anchor drift", "het verschuiven van het eigen anker"),
    "peer renewal off": Name("peer renewal",
                             "vernieuwing van het anker door collega-ervaringsdeskundigen"),
    "seniority anchoring off": Name("seniority anchoring", "verankering door anciënniteit"),
    "training anchoring off": Name("training anchoring", "verankering door opleiding"),
    "practice in the norm off": Name("practice in the norm", "de praktijk in de teamnorm"),
    "perspective noise off": Name("perspective noise", "ruis in het perspectief"),
    "knowledge hierarchy flat": Name("knowledge hierarchy", "de kennishiërarchie"),
    "experiential discount off": Name("experiential discount",
                                      "het onderwaarderen van ervaringskennis"),
    "risk dominance off": Name("risk dominance", "dominantie bij hoog risico"),
    "risk shading off": Name("risk shading", "de trek van risicomijding in besluiten"),
    "feedback off": Name("feedback", "feedback"),
    "silk gloves off": Name("silk gloves", "zijden handschoentjes"),
    "irritation off": Name("irritation", "irritatie"),
    "attack effects off": Name("attack effects",
                               "de gevolgen van feedback die als aanval wordt opgevat"),
    "dialogue resolution off": Name("dialogue resolution", "het oplossen van irritatie in "
                                                           "dialoog"),
    "identity threat off": Name("identity threat", "identiteitsdreiging"),
    "critique off": Name("critique", "kritiek"),
    "stress from strain off": Name("stress from strain", "stress door belasting"),
    "stress does not drive exits": Name("stress driving exits", "vertrek door stress"),
    "extra tasks do not drive exits": Name("extra tasks driving exits",
                                           "vertrek door extra taken"),
    "no crises": Name("crises", "crises"),
    "professionals never leave": Name("professional turnover", "verloop van professionals"),
    "critique changes no rules": Name("rules changed by critique",
                                      "regels die door kritiek veranderen"),
    "authority neither earned nor lost": Name("earned experiential authority",
                                              "verdiend ervaringsgezag"),
    "all team renewal off (the model before it)": Name("team renewal",
                                                       "vernieuwing van het team"),
}

TABLES = {"scenario": SCENARIOS, "setting": SETTINGS, "employment": EMPLOYMENT,
          "pressure": PRESSURE, "team": TEAMS, "state": STATES, "mechanism": MECHANISMS}


def name(kind: str, key: object, lang: str = "en") -> str:
    """The readable name of ``key`` among ``kind`` (``scenario``, ``setting``,
    ``employment``, ``pressure``, ``team``, ``state``, ``mechanism``) in ``lang``.

    A key the table does not know (an ad-hoc scenario of a user's own) is shown as it is,
    with underscores as spaces.
    """
    if kind not in TABLES:
        raise ValueError(f"kind {kind!r}: choose one of {', '.join(TABLES)}")
    found = TABLES[kind].get(str(key))
    return found(lang) if found is not None else str(key).replace("_", " ")


def discipline(key: str, count: int = 1, lang: str = "en") -> str:
    """A discipline of the team, singular for one, plural otherwise: 'nurse', '4 nurses'
    needs ``discipline('nurse', 4)``. An unknown discipline is shown as its key, with
    underscores as spaces."""
    found = DISCIPLINES.get(key)
    return found(count, lang) if found is not None else key.replace("_", " ")


def capital(text: str) -> str:
    """The first letter upper case; Dutch 'één' opens a sentence as 'Eén'."""
    if text.startswith("één"):
        return "Eén" + text[3:]
    return text[:1].upper() + text[1:]


def label(kind: str, key: object, lang: str = "en") -> str:
    """:func:`name` with a capital first letter, for legends and table cells."""
    return capital(name(kind, key, lang))
