"""The policy brief in English and Dutch: its numbers equal the data's, computed here by
another route, and its words follow the rules (minimum important difference, no '-0')."""

from __future__ import annotations

import json
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.proportion import proportion_confint
from test_analysis_load import write_study

from analysis.load import load_replicates
from analysis.names import DISCIPLINES, MECHANISMS, name
from analysis.report import DOCS, build, main
from analysis.robustness import lever_claim

REPLICATES = 60
LANGS = ("en", "nl")


class Facts(HTMLParser):
    """The text of every element carrying ``data-fact``, and every image source."""

    def __init__(self):
        super().__init__()
        self.facts: dict[str, str] = {}
        self.images: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._open.append((tag, attrs.get("data-fact")))
        if attrs.get("data-fact"):
            self.facts[attrs["data-fact"]] = ""
        if tag == "img":
            self.images.append(attrs["src"])
            self._open.pop()
        if tag == "a":
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not any(tag == "style" for tag, _ in self._open):
            self.text.append(data)
        for _, key in self._open:
            if key:
                self.facts[key] += data


def parse(page: str) -> Facts:
    parser = Facts()
    parser.feed(page)
    return parser


def wilson(k: int, n: int, lang: str) -> str:
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    return f"{100 * k / n:.0f}% ({100 * low:.0f}–{100 * high:.0f}%)"


def signed(x: float, lang: str) -> str:
    text = f"{x:+.0f}"
    text = text[1:] if text in ("+0", "-0") else text
    return text.replace(".", ",") if lang == "nl" else text


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("briefs")
    hires = [("hires", [f"ebe.count={n}", f"pressure={p}"])
             for p in ("normal", "high") for n in (0, 1, 2, 3)]
    levers = [(s, [f"scenario={s}", f"pressure={p}"])
              for p in ("normal", "high") for s in ("single_hire", "two_hires", "intervision")]
    return {"hires": write_study(root, "hire_more_than_one", hires, REPLICATES,
                                 swept=["ebe.count"], collect=True),
            "levers": write_study(root, "levers", levers, REPLICATES, weekly="quantiles")}


@pytest.fixture(scope="module")
def briefs(studies):
    return {(kind, lang): build(path, lang=lang, robustness=None)
            for kind, path in studies.items() for lang in LANGS}


def test_every_fact_appears_verbatim_with_embedded_figures(briefs):
    for (kind, lang), brief in briefs.items():
        page = parse(brief.html)
        assert page.facts == {f.key: f.text for f in brief.facts}, (kind, lang)
        assert f"<html lang='{lang}'>" in brief.html
        assert len(page.images) >= 3
        assert all(src.startswith("data:image/png;base64,") for src in page.images)
        text = " ".join(page.text)
        assert not re.search(r"(?<![\w-])[-+−]0(?![.,\d])", text), "a signed zero"


def test_the_answer_comes_first_in_bold_then_the_uncertainty(briefs):
    for brief in briefs.values():
        html = brief.html
        first = html.index("data-fact='answer'")
        assert html.index("<h1>") < first < html.index("data-fact='noise'") \
            < html.index("data-fact='calibration'") < html.index("<figure>") \
            < html.index("id='analysts'")
        assert "<strong>" in html[first:first + 200]


def test_hires_numbers_equal_the_data_in_both_languages(studies, briefs):
    frame = load_replicates(studies["hires"])
    for lang in LANGS:
        facts = parse(briefs[("hires", lang)].html).facts
        for pressure in ("normal", "high"):
            text = facts[f"alive/{pressure}"]
            for n in (1, 2, 3):
                rows = frame[(frame["pressure"] == pressure) & (frame["ebe.count"] == n)]
                assert len(rows) == REPLICATES
                assert wilson(int(rows["survived"].sum()), len(rows), lang) in text
            lone = frame[(frame["pressure"] == pressure) & (frame["ebe.count"] == 1)]
            assimilated = (lone["state"] == "assimilated").mean()
            assert f"{100 * assimilated:.0f}%" in facts[f"how_lost/{pressure}"]


def test_each_extra_ebe_is_a_paired_difference_judged_by_the_rule(studies, briefs):
    frame = load_replicates(studies["hires"])
    for lang in LANGS:
        brief = briefs[("hires", lang)]
        facts = {f.key: f for f in brief.facts}
        for count in (2, 3):
            fact = facts[f"step/{count}"]
            for pressure in ("normal", "high"):
                rows = frame[frame["pressure"] == pressure]
                wide = rows.pivot_table(index=["seed", "replicate"], columns="ebe.count",
                                        values="survived", aggfunc="first").astype(float)
                effect = (wide[count] - wide[count - 1]).mean()
                numbers = fact.numbers[(pressure,)]
                assert numbers["difference"] == pytest.approx(effect)
                assert signed(100 * effect, lang) in fact.text
                expected = ("gain" if numbers["low"] > 0.05 else
                            "loss" if numbers["high"] < -0.05 else
                            "none" if numbers["low"] >= -0.05 and numbers["high"] <= 0.05
                            else "unclear")
                assert numbers["verdict"] == expected


def test_the_answer_names_the_number_the_rule_supports(briefs):
    for lang in LANGS:
        facts = {f.key: f for f in briefs[("hires", lang)].facts}
        gains = [count for count in (2, 3)
                 if any(v["verdict"] == "gain" for v in facts[f"step/{count}"].numbers.values())]
        enough = 1
        for count in (2, 3):
            if count in gains and enough == count - 1:
                enough = count
        answer = facts["answer"]
        assert answer.numbers["enough"] == enough
        for share in answer.numbers["alive"].values():
            assert f"{100 * share:.0f}%" in answer.text


def test_hazard_ratio_equals_a_cox_fit_by_formula(studies, briefs):
    frame = load_replicates(studies["hires"])
    with_ebe = frame[frame["ebe.count"] > 0].assign(lost=lambda f: f["lost"].astype(int))
    fit = smf.phreg("weeks_to_loss ~ ebe_count", with_ebe, status=with_ebe["lost"],
                    strata=with_ebe["pressure"], ties="efron").fit()
    ratio = np.exp(fit.params[0])
    assert f"by {ratio:.2f} (95% interval" in parse(briefs[("hires", "en")].html) \
        .facts["hazard_ratio"]
    assert f"met {ratio:.2f}".replace(".", ",") in parse(briefs[("hires", "nl")].html) \
        .facts["hazard_ratio"]


def test_levers_numbers_names_and_verdicts(studies, briefs):
    frame = load_replicates(studies["levers"])
    for lang in LANGS:
        brief = briefs[("levers", lang)]
        facts = {f.key: f for f in brief.facts}
        assert brief.kind == "levers"
        base_text = facts["baseline"].text
        diffs = {}
        for pressure in ("normal", "high"):
            base = frame[(frame["pressure"] == pressure) & (frame["label"] == "single_hire")]
            assert wilson(int(base["survived"].sum()), len(base), lang) in base_text
            for lever in ("two_hires", "intervision"):
                rows = frame[(frame["pressure"] == pressure) & (frame["label"] == lever)]
                text = facts[f"lever/{lever}"].text
                assert wilson(int(rows["survived"].sum()), len(rows), lang) in text
                diff = rows["survived"].mean() - base["survived"].mean()   # paired: same teams
                assert signed(100 * diff, lang) in text
                assert name("scenario", lever, lang).lower() in text.lower()
                diffs.setdefault(lever, []).append(diff)
        order = sorted(diffs, key=lambda lever: -np.mean(diffs[lever]))
        ranks = {lever: int(facts[f"lever/{lever}"].text.split(".")[0]) for lever in order}
        assert [ranks[lever] for lever in order] == [1, 2]


def test_the_minimum_important_difference_is_a_setting(studies):
    strict = build(studies["levers"], minimum=0.99, robustness=None)
    assert all(v["verdict"] == "none" for f in strict.facts if f.key.startswith("lever/")
               for v in f.numbers.values())
    assert "±99 percentage points" in strict.html
    assert strict.facts[0].key == "answer" and "No measure made" in strict.facts[0].text
    loose = build(studies["levers"], minimum=0.0, robustness=None)
    for fact in loose.facts:
        if fact.key.startswith("lever/"):
            for v in fact.numbers.values():
                assert (v["verdict"] == "gain") == (v["low"] > 0)


def test_robustness_results_are_quoted_when_they_exist(studies, tmp_path):
    path = tmp_path / "robustness.json"
    path.write_text(json.dumps({"source": "docs/validation.md", "claims": [
        {"claim": "second_ebe", "variants": 16, "holds": 14, "low": 0.04, "high": 0.55,
         "reverses": False, "carried_by": ["Latané's group-size term", "EBE exits"]}]}))
    for lang, words in (("en", "in 14 of 16 variants"), ("nl", "in 14 van de 16 varianten")):
        brief = build(studies["hires"], lang=lang, robustness=path)
        text = {f.key: f.text for f in brief.facts}["calibration/second_ebe"]
        assert words in text and "+4" in text and "+55" in text
    path.write_text(json.dumps({"claims": [{"claim": "second_ebe", "holds": 3}]}))
    assert main([str(studies["hires"]), "--robustness", str(path),
                 "--out", str(tmp_path / "x.html")]) == 2


def test_a_second_claim_does_not_repeat_the_lead_in_or_the_same_mechanisms(studies, tmp_path):
    """The levers brief quotes a second EBE and the best measure that adds no one."""
    path = tmp_path / "robustness.json"
    named = build(studies["levers"], robustness=None).facts[0].numbers["named"]
    assert named == ["two_hires", "intervision"]
    for second, same in ((["EBE exits"], True), (["anchor drift"], False)):
        path.write_text(json.dumps({"source": "docs/validation.md", "claims": [
            {"claim": "second_ebe", "variants": 16, "holds": 14, "carried_by": ["EBE exits"]},
            {"claim": lever_claim("intervision"), "variants": 16, "holds": 15,
             "carried_by": second}]}))
        facts = {f.key: f.text for f in build(studies["levers"], robustness=path).facts}
        first = facts["calibration/second_ebe"]
        later = facts[f"calibration/{lever_claim('intervision')}"]
        assert first.startswith("What the model's calibration leaves open: the advantage of")
        assert later.startswith("The advantage of peer intervision") and "15 of 16" in later
        assert ("It rests on the same mechanisms." in later) is same
        assert ("anchor drift" in later) is not same


def english_words_of_the_model() -> set[str]:
    """Discipline keys and names, and the structural rows with their mechanisms, as the
    English brief or the validation document writes them (those the Dutch spell the same
    way, such as 'feedback', left out)."""
    words = set()
    for key, noun in DISCIPLINES.items():
        words |= {key, key.replace("_", " ")} | {noun.one.en, noun.many.en} - {
            noun.one.nl, noun.many.nl}
    structural = json.loads((DOCS / "validation.json").read_text())["structural"]
    for row in structural["rows"]:
        words.add(row["row"])
        if row["row"] in MECHANISMS and MECHANISMS[row["row"]].en != MECHANISMS[row["row"]].nl:
            words.add(MECHANISMS[row["row"]].en)
    return words - {"EBE", "EBEs", "expert by experience"}


def test_the_dutch_brief_of_each_kind_names_disciplines_and_mechanisms_in_dutch(studies):
    english = english_words_of_the_model()
    for kind, path in studies.items():
        brief = build(path, lang="nl")                  # with the committed robustness file
        text = " ".join(parse(brief.html).text)
        assert "Het rust vooral op:" in text, kind      # the mechanisms are quoted
        found = sorted(w for w in english if re.search(rf"\b{re.escape(w)}\b", text, re.I))
        assert not found, (kind, found)
        assert "4 verpleegkundigen, 2 sociaal-psychiatrisch verpleegkundigen" in text
        assert "de psychiater draagt de eindverantwoordelijkheid" in text
    english_page = " ".join(parse(build(studies["hires"]).html).text)
    assert "1 psychiatrist, 1 psychologist, 4 nurses, 2 social psychiatric nurses" in english_page


def test_the_robustness_paragraph_says_it_was_measured_on_the_default_study(studies, tmp_path):
    for lang, basis, one in (("en", "on the default study (a FACT team over two years, at "
                              "normal pressure and at high pressure", "one year"),
                             ("nl", "op de standaardstudie (een FACT-team over twee jaar, bij "
                              "normale werkdruk en bij hoge werkdruk", "één jaar")):
        facts = {f.key: f for f in build(studies["hires"], lang=lang).facts}
        assert basis in facts["calibration/basis"].text
        assert facts["calibration/basis"].numbers["differences"] == []   # same design
        grid = [("hires", [f"ebe.count={n}", "run.weeks=52", "pressure=high"]) for n in (1, 2)]
        short = write_study(tmp_path / lang, "one_year", grid, 10, swept=["ebe.count"],
                            weekly="quantiles")
        other = {f.key: f for f in build(short, lang=lang).facts}["calibration/basis"]
        assert other.numbers["differences"] == [f"over {one}"]
        assert basis in other.text and ("describe the default study, not this one" in other.text
                                        or "gaan over de standaardstudie" in other.text)


def test_a_hazard_ratio_the_runs_cannot_estimate_is_said_not_crashed(tmp_path):
    """Two weeks: no team loses the perspective, so there is no hazard to compare."""
    grid = [("hires", [f"ebe.count={n}", "run.weeks=2"]) for n in (1, 2)]
    short = write_study(tmp_path, "two_weeks", grid, 20, swept=["ebe.count"])
    for lang, words in (("en", "No simulated team with an EBE lost"),
                        ("nl", "Geen gesimuleerd team met een ervaringsdeskundige verloor")):
        fact = {f.key: f for f in build(short, lang=lang, robustness=None).facts}["hazard_ratio"]
        assert fact.numbers == {"reason": "no_loss"} and fact.text.startswith(words)


def test_the_dutch_brief_writes_decimal_commas_everywhere(briefs):
    """Every number in a Dutch brief's text (its tables' p-values too) has a decimal comma;
    a point only separates thousands (1.000)."""
    for kind in ("hires", "levers"):
        text = " ".join(parse(briefs[(kind, "nl")].html).text)
        assert "," in text
        points = re.findall(r"\d+(?:\.\d+)+", text)
        assert all(re.fullmatch(r"\d{1,3}(?:\.\d{3})+", p) for p in points), (kind, points)


def test_links_are_absolute_and_the_docs_address_is_a_setting(studies, briefs, tmp_path):
    links = parse(briefs[("hires", "en")].html).links
    assert all(link.startswith(("file://", "http")) for link in links)
    assert any(link.endswith("docs/ODD.md") for link in links)
    moved = build(studies["hires"], docs="https://example.org/teamsim/docs", robustness=None)
    assert "https://example.org/teamsim/docs/ODD.md" in parse(moved.html).links


def test_a_sweep_with_two_settings_is_compared_within_each(tmp_path):
    grid = [("sweep", [f"ebe.count={n}", f"organisation.intervision={i}"])
            for i in (0.0, 1.0) for n in (1, 2)]
    study = write_study(tmp_path, "sweep", grid, 30, swept=["ebe.count",
                                                         "organisation.intervision"])
    brief = build(study, robustness=None)
    keys = {f.key for f in brief.facts}
    assert {"alive/0.0", "alive/1.0", "step/2"} <= keys
    assert {f.key: f.text for f in brief.facts}["alive/1.0"].startswith(
        "With peer intervision = 1, with one EBE")


def test_with_few_runs_the_brief_says_what_is_unclear_and_how_many_runs_would_tell(tmp_path):
    grid = [("hires", [f"ebe.count={n}", f"workload.caseload={c}"])
            for c in (0.8, 0.95) for n in (1, 2, 3)]
    study = write_study(tmp_path, "few", grid, 10, swept=["ebe.count", "workload.caseload"],
                        weekly="quantiles")
    for lang, unclear, wide in (("en", "unclear (more simulation runs needed)",
                                 "too wide to answer"),
                                ("nl", "onduidelijk (meer simulaties nodig)", "te groot")):
        brief = build(study, lang=lang, robustness=None)
        facts = {f.key: f for f in brief.facts}
        assert wide in facts["noise"].text and not facts["noise"].numbers["small"]
        calls = {count: [v["verdict"] for v in facts[f"step/{count}"].numbers.values()]
                 for count in (2, 3)}
        assert "gain" in calls[2] and "unclear" in calls[3]   # ten teams cannot tell it
        for count in (2, 3):
            for v in facts[f"step/{count}"].numbers.values():
                within = v["low"] >= -0.05 and v["high"] <= 0.05
                beyond = v["low"] > 0.05 or v["high"] < -0.05
                assert (v["verdict"] == "none") == within
                assert (v["verdict"] == "unclear") == (not within and not beyond)
            assert (unclear in facts[f"step/{count}"].text) == ("unclear" in calls[count])
        assert facts["unclear"].numbers["needed"] > 10
        answer = facts["answer"]
        assert answer.numbers["enough"] == 2 and answer.numbers["needed"] > 10
        assert unclear.split()[0] in answer.text                # 'unclear' / 'onduidelijk'
        assert "no meaningful further difference" not in answer.text
        assert "geen betekenisvol verschil meer" not in answer.text


def logrank_rows(page: str) -> list[list[str]]:
    """The cells of the log-rank table (after its heading), one list per row."""
    table = page.split("Log-rank")[1].split("</table>")[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in table.split("<tr>")[1:]]


def test_the_logrank_table_gives_a_signed_z_and_says_which_way_it_points(briefs):
    for lang, words in (("en", "Positive z: with fewer EBEs"),
                        ("nl", "Positieve z: met minder ervaringsdeskundigen")):
        page = briefs[("hires", lang)].html
        assert "z (signed)" in page if lang == "en" else "z (met teken)" in page
        assert words in page
        first = [row for row in logrank_rows(page) if row[1:3] == ["1", "2"]]
        assert first and all(row[3].startswith("+") for row in first)   # one EBE lost more


def test_a_logrank_test_without_losses_is_a_dash_with_a_note_not_a_warning(tmp_path):
    grid = [("hires", [f"ebe.count={n}", "run.weeks=20", "pressure=high"]) for n in (1, 2, 3)]
    study = write_study(tmp_path, "short", grid, 20, swept=["ebe.count"])
    frame = load_replicates(study)
    assert not frame.loc[frame["ebe_count"] > 1, "lost"].any()    # two and three kept it
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page = build(study, robustness=None).html
    assert not [w for w in caught if "scalar divide" in str(w.message)]   # log-rank's 0/0
    rows = {tuple(row[1:3]): row[3:] for row in logrank_rows(page)}
    assert rows[("2", "3")] == ["–", "–"] and rows[("1", "2")][0].startswith("+")
    assert "nan" not in " ".join(parse(page).text)
    assert "–: no test is possible" in page


def test_large_numbers_of_runs_are_written_with_thousands_separated(tmp_path):
    grid = [("hires", [f"ebe.count={n}", "run.weeks=8"]) for n in (1, 2)]
    study = write_study(tmp_path, "large", grid, 1200, swept=["ebe.count"], weekly="none")
    for lang, written in (("en", "1,200"), ("nl", "1.200")):
        brief = build(study, lang=lang, robustness=None)
        noise = {f.key: f.text for f in brief.facts}["noise"]
        assert f" {written} " in noise
        assert f" {written} " in brief.html.split("id='analysts'")[1]   # the assumptions


def test_main_writes_both_languages_and_names_bad_input(studies, tmp_path, capsys):
    assert main([str(studies["levers"]), "--out", str(tmp_path / "brief.html")]) == 0
    assert main([str(studies["levers"]), "--lang", "nl", "--robustness",
                 str(tmp_path / "none.json")]) == 0
    assert (studies["levers"] / "report.nl.html").read_text().startswith("<!DOCTYPE html>")
    assert main([str(tmp_path / "hire_more_than_one")]) == 2
    assert "teamsim run experiment=hire_more_than_one" in capsys.readouterr().err
    assert main([str(studies["levers"]), "--baseline", "nobody"]) == 2
    assert "baseline scenario 'nobody'" in capsys.readouterr().err
    assert main([str(studies["levers"]), "--mid", "-3"]) == 2
    assert "--mid = -3 is out of range" in capsys.readouterr().err
    flat = write_study(tmp_path, "flat", [("single_hire", [])], 10)
    assert main([str(flat)]) == 2
    assert "varies neither" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([str(flat), "--lang", "de"])
