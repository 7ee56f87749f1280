"""The classroom page (experiments.classroom.app, team, figures), rendered with
``solara.render`` as ``solara run`` renders it: fast checks of what a teacher sees."""

from __future__ import annotations

import io
import re

import ipyvuetify as v
import ipywidgets as widgets
import pandas as pd
import pytest
import solara
import solara.widgets
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba

from experiments.classroom.app import SPEEDS, WEEKS_PER_STEP, Page, strip
from experiments.classroom.figures import (
    BLUE,
    GREY,
    ORANGE,
    PURPLE,
    STATE_COLOURS,
    feedback_figure,
    member_label,
    perspective_figure,
    seat_positions,
    share_figure,
    team_figure,
    team_graph,
)
from experiments.classroom.levers import classroom_config, model_params
from experiments.classroom.structure import duo_partners, seat_order
from experiments.classroom.team import COUNTS, ClassroomTeam
from sim import TeamModel
from sim.config import EBE
from sim.outcomes import OBSERVED
from sim.parameters import working_together


def texts(fig) -> str:
    return "\n".join(t.get_text() for ax in fig.axes for t in ax.texts)


# --- the team -------------------------------------------------------------------------

def test_bad_settings_show_a_problem_and_the_default_team():
    model = ClassroomTeam(seed="abc")
    assert "seed 'abc' cannot be used" in model.problem
    assert "9223372036854775807" not in model.problem
    assert model.config == classroom_config()


def test_a_run_stops_at_the_horizon(small):
    model = ClassroomTeam()
    while model.running:
        model.step()
    model.step()  # Step pressed once more: nothing happens
    assert model.week == model.config.run.weeks
    assert len(model.journal) == model.config.run.weeks + 1


def test_run_until_lost_stops_in_the_first_week_without_the_perspective():
    model = ClassroomTeam(pressure="high", seed=18)
    model.run_until_lost()
    states = model.states()
    assert states[-1] in ("assimilated", "vacant")
    assert all(state in ("retained", "diffused") for state in states[:-1])
    model.run_until_lost()  # lost already: no further weeks
    assert len(model.states()) == len(states)


def test_counts_are_the_weekly_sums_so_far():
    model = ClassroomTeam(ebes=2, dialogue_culture=0.8)
    for _ in range(30):
        model.step()
    weeks = model.datacollector.get_model_vars_dataframe()
    counts = model.counts()
    assert set(counts) == set(COUNTS) and set(COUNTS.values()) <= set(OBSERVED)
    for label, name in COUNTS.items():
        assert counts[label] == weeks[name].sum()
    assert counts["feedback given"] > 0 and counts["open conversations"] > 0


def test_the_run_as_a_table_has_one_row_per_week():
    model = ClassroomTeam(ebes=2, intervision=0.5, seed="7")
    for _ in range(10):
        model.step()
    table = pd.read_csv(io.StringIO(model.table().to_csv(index=False)))
    assert list(table["week"]) == list(range(11))
    assert (table["ebes"] == 2).all() and (table["intervision"] == 0.5).all()
    assert (table["seed"] == 7).all() and (table["team"] == "fact").all()
    assert set(OBSERVED) <= set(table.columns)
    assert table["state"].iloc[-1] == model.observation()["state"]
    sam = model.members[10]
    assert table["view of Sam (EBE)"].iloc[-1] == pytest.approx(sam.perspective)
    assert table["authority of Sam"].iloc[-1] == pytest.approx(sam.authority)
    assert table["what happened"].iloc[3].startswith("Week 3: ")


# --- the drawings ---------------------------------------------------------------------

def test_team_graph_has_every_present_member_and_pair():
    model = ClassroomTeam(ebes=2, structure="duos")
    model.step()
    graph = team_graph(model)
    assert set(graph.nodes) == set(model.members)
    n = len(model.members)
    assert graph.number_of_edges() == n * (n - 1) // 2
    a, b = model.members[0], model.members[11]
    edge = graph.edges[0, 11]
    assert edge["trust"] == pytest.approx((a.trust_in(b) + b.trust_in(a)) / 2)
    assert edge["irritation"] == max(a.irritation_toward(b), b.irritation_toward(a))
    close = working_together(model.config, list(model.params.roles))
    assert all(graph.edges[e]["together"] == close[e] for e in graph.edges)


def test_team_figure_shows_who_left_the_vacant_post_and_the_newcomer(small):
    model = TeamModel(small("behaviour.exit_rate=1.0", "behaviour.stress_hazard_ratio=50",
                            "organisation.rehire_delay_weeks=10", "team.turnover=0",
                            weeks=104))
    model.title = "exits"
    for member in model.members.values():
        assert member_label(member) in texts(team_figure(model))
    while not model.departed and model.running:
        model.step()
    assert model.departed, "with these rates the EBE leaves within two years"
    drawn = texts(team_figure(model))
    gone = model.departed[0]
    assert f"{gone.name}\nleft week {gone.left_week}" in drawn
    assert "vacant post\nEBE" in drawn
    while model.params.ebe_seats.start not in model.members:
        model.step()
    newcomer = model.members[model.params.ebe_seats.start]
    assert f"{newcomer.name}\nEBE\nsince week {newcomer.joined_week}" in texts(
        team_figure(model))


def test_team_figure_marks_a_locum_and_professional_newcomers(small):
    model = TeamModel(small("team.turnover=0.9", "team.vacancy_weeks=4", weeks=104))
    model.title = "turnover"
    while model.running and not any(gone.seat == 0 for gone in model.departed):
        model.step()
    locum = model.members[0]
    drawn = texts(team_figure(model))
    assert f"{locum.name.removesuffix(' (locum)')}\nlocum psychiatrist\nsince week " \
           f"{locum.joined_week}" in drawn
    newcomers = [m for m in model.members.values() if m.joined_week > 0 and m.seat != 0]
    assert newcomers and all(f"\nsince week {m.joined_week}" in member_label(m)
                             for m in newcomers)
    for member in model.members.values():
        assert member_label(member) in drawn


def _coloured(ax, colour: str, kind, face: bool = False) -> list:
    """Collections of ``kind`` on ``ax`` drawn in ``colour`` (edge, or face)."""
    rgba = to_rgba(colour)
    found = []
    for c in ax.collections:
        colours = c.get_facecolor() if face else c.get_edgecolor()
        if isinstance(c, kind) and len(colours) and tuple(colours[0][:3]) == rgba[:3]:
            found.append(c)
    return found


def test_team_figure_draws_duos_allies_and_each_ebes_authority():
    model = ClassroomTeam(structure="duos", ebes=2, ally_share=0.3, experiential_authority=0.4)
    for _ in range(8):
        model.step()
    fig = team_figure(model)
    ax = fig.axes[0]
    pos = seat_positions(model)
    (duos,) = _coloured(ax, BLUE, LineCollection)
    partners = duo_partners(model)
    assert {frozenset(map(tuple, segment)) for segment in duos.get_segments()} == {
        frozenset((pos[e], pos[p])) for e, p in partners.items()}
    order = seat_order(model)
    assert all(order.index(e) == order.index(p) + 1 for e, p in partners.items())
    ebes = [m for m in model.members.values() if m.role == EBE]
    rings = _coloured(ax, PURPLE, PathCollection)
    assert len(rings) == sum(m.authority > 0 for m in ebes) == 2
    for member in ebes:
        assert f"{member.authority:.2f}" in [t.get_text() for t in ax.texts]
    (stars,) = _coloured(ax, ORANGE, PathCollection, face=True)
    allies = [pos[s] for s, m in model.members.items() if getattr(m, "ally", False)]
    assert len(stars.get_offsets()) == len(allies) == 3
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"duo", "ally: lived experience", "EBE authority (full ring = 1)"} <= set(labels)


def test_team_figure_draws_care_lines_and_only_the_pairs_that_work_closely():
    model = ClassroomTeam(structure="subteams", subteams=3, ebes=2)
    model.step()
    fig = team_figure(model)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("care line")] == [
        "care line 1", "care line 2", "care line 3"]
    close = working_together(model.config, list(model.params.roles))
    present = sorted(model.members)
    pairs = sum(close[a, b] >= 1 for i, a in enumerate(present) for b in present[i + 1:])
    (trust,) = _coloured(ax, GREY, LineCollection)
    assert len(trust.get_segments()) == pairs < len(present) * (len(present) - 1) // 2
    full = ClassroomTeam(ebes=2)
    (trust,) = _coloured(team_figure(full).axes[0], GREY, LineCollection)
    assert len(trust.get_segments()) == 12 * 11 // 2


def test_team_figure_draws_any_team():
    for team in ("small", "neighbourhood", "large"):
        model = ClassroomTeam(team=team, ebes=3)
        drawn = texts(team_figure(model))
        assert all(member_label(m) in drawn for m in model.members.values())


def test_plots_follow_the_weeks():
    model = ClassroomTeam(ebes=2)
    for _ in range(12):
        model.step()
    labels = [line.get_label() for line in perspective_figure(model).axes[0].lines]
    assert {"Sam (EBE)", "Noor (EBE)", "professionals (mean)",
            "professionals in week 0"} <= set(labels)
    share = share_figure(model).axes[0].lines[0]
    assert list(share.get_xdata()) == list(range(1, 13))
    assert list(share.get_ydata()) == model.datacollector.model_vars["experiential_share"][1:]
    earned = share_figure(model).axes[1].lines
    assert [line.get_label() for line in earned[:2]] == ["Sam", "Noor"]
    people = model.people.get_agent_vars_dataframe()
    assert list(earned[0].get_ydata()) == list(people[people["name"] == "Sam"]["authority"])
    given, held, attack = feedback_figure(model).axes[0].lines
    data = model.datacollector.model_vars
    assert given.get_ydata()[-1] == sum(data["feedback_given"])
    assert held.get_ydata()[-1] == sum(data["feedback_withheld"])
    assert attack.get_ydata()[-1] == sum(data["feedback_attack"])
    given_to_ebe, held_to_ebe = feedback_figure(model).axes[1].lines
    assert given_to_ebe.get_ydata()[-1] == sum(data["feedback_given_to_ebe"])
    assert held_to_ebe.get_ydata()[-1] == sum(data["feedback_withheld_to_ebe"])


def test_the_strip_has_one_band_per_week_in_its_state_colour():
    model = ClassroomTeam(pressure="high", seed=18)
    model.run_until_lost()
    bands = re.findall(r"(#[0-9A-F]{6}) ([\d.]+)% ([\d.]+)%", strip(model))
    assert [colour for colour, _, _ in bands] == [STATE_COLOURS[s] for s in model.states()]
    width = 100 / (model.config.run.weeks + 1)
    assert all(float(b) - float(a) == pytest.approx(width, abs=2e-3) for _, a, b in bands)


# --- the page -------------------------------------------------------------------------

def render():
    """Render the page as ``solara run`` does (inside an AppLayout)."""
    box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    rc.box = box
    return rc


def strings(widget):
    """Every text shown inside ``widget``, depth first."""
    for child in getattr(widget, "children", None) or ():
        if isinstance(child, str):
            yield child
        else:
            yield from strings(child)


def walk(widget):
    """``widget`` and every widget inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", None) or ():
        if isinstance(child, widgets.Widget):
            yield from walk(child)


def tagged(rc, name: str, kind=v.Html) -> list:
    """Widgets of ``kind`` carrying CSS class ``name``."""
    found = []
    for widget in walk(rc.box):
        if isinstance(widget, kind):
            classes = widget.class_ if kind is v.Html else widget.attributes.get("class", "")
            if name in (classes or "").split():
                found.append(widget)
    return found


def text_of(rc, name: str) -> str:
    (widget,) = tagged(rc, name)
    return widget.children[0]


def story(rc) -> str:
    (widget,) = tagged(rc, "story", solara.widgets.HTML)
    return widget.unsafe_innerHTML


def type_in(rc, label: str, text: str) -> None:
    """Type into a text field and leave it (the field applies on focus-out or Enter)."""
    field = rc.find(v.TextField, label=label).widget
    field.v_model = text
    field.fire_event("focusout", None)


def button(rc, label: str):
    return rc.find(v.Btn, children=[label]).widget


def slider(rc, label: str):
    return next(w for w in rc.find(v.Slider).widgets if w.label.startswith(label + ":"))


def test_page_shows_controls_levers_tabs_and_no_mesa_leftovers():
    rc = render()
    shown = list(strings(rc.box))
    labels = sorted(b.children[-1] for b in rc.find(v.Btn).widgets)
    assert labels == sorted(["Reset", "▶", "Step", "Run until lost", "CSV", *SPEEDS,
                             *map(str, WEEKS_PER_STEP)])
    assert [t.children[0] for t in rc.find(v.Tab).widgets] == [
        "Team", "Perspectives", "Voice and authority", "Feedback", "Guide"]
    assert not [t for t in shown if re.fullmatch(r"(?i)page \d+|(Step|Time): .*|Use Threads",
                                                 t)]
    assert not rc.find(v.Checkbox).widgets
    sliders = {w.label for w in rc.find(v.Slider).widgets}
    assert {"Number of EBEs: 1", "Hierarchy steepness: 1.00",
            "Experiential authority at the start: 0.00", "Dialogue culture: 0.20",
            "Intervision: 0.00", "Professional autonomy: 0.30",
            "Professional turnover (per year): 0.15", "Allies among the professionals: 0.00",
            "Care lines (for subteams): 2", "Contact outside duo or line: 0.30"} == sliders
    assert {w.label for w in rc.find(v.Select).widgets} == {
        "Team", "Pressure (caseload)", "EBE employed or external", "Who works with whom"}
    (more,) = rc.find(v.ExpansionPanel).widgets
    assert "More settings" in strings(more) and rc.find(v.ExpansionPanels).widget.v_model \
        is None   # folded away at the start
    assert len(rc.find(widgets.Image).widgets) == 1  # lazy tabs: only the team is drawn
    assert text_of(rc, "status") == ("Week 0 of 104 · The perspective is alive: Sam keeps it "
                                     "(retained, from the start).")
    assert "Week 0: Sam (EBE) joins" in story(rc)
    (download,) = [w for w in walk(rc.box) if type(w).__name__ == "FileDownloadWidget"]
    assert download.filename == "teamsim-classroom-20261123-0.csv"


def test_step_advances_the_week_the_picture_the_story_and_the_counts():
    rc = render()
    before = bytes(rc.find(widgets.Image).widget.value)
    button(rc, "Step").click()
    assert text_of(rc, "status").startswith("Week 1 of 104")
    assert story(rc).startswith('<p class="narration">Week 1: ')
    assert bytes(rc.find(widgets.Image).widget.value) != before
    assert re.search(r"feedback given [1-9]", text_of(rc, "counts"))


def test_weeks_per_step_sets_how_far_step_goes():
    rc = render()
    rc.find(v.BtnToggle).widgets[0].v_model = WEEKS_PER_STEP.index(13)
    button(rc, "Step").click()
    assert text_of(rc, "status").startswith("Week 13 of 104")


def test_run_until_lost_stops_at_the_loss_and_is_then_disabled():
    rc = render()
    type_in(rc, "Seed", "18")
    rc.find(v.Select, label="Pressure (caseload)").widget.v_model = "high"
    button(rc, "Reset").click()
    button(rc, "Run until lost").click()
    assert re.search(r"The perspective is lost: .*since week (\d+)", text_of(rc, "status"))
    assert button(rc, "Run until lost").disabled


def test_sliders_apply_on_reset_and_a_change_is_flagged():
    rc = render()
    button(rc, "Step").click()
    slider(rc, "Number of EBEs").v_model = 3
    rc.find(v.Select, label="Team").widget.v_model = "small"
    rc.find(v.Select, label="Pressure (caseload)").widget.v_model = "high"
    assert slider(rc, "Number of EBEs").label == "Number of EBEs: 3"
    assert "press Reset to apply" in " ".join(strings(rc.box))
    button(rc, "Reset").click()
    assert text_of(rc, "status").startswith("Week 0 of 104")
    joins = re.findall(r"Week 0: (\w+) \(EBE\) joins", story(rc))
    assert joins == ["Sam", "Noor", "Kim"]
    assert text_of(rc, "settings").startswith("small team · 3 EBEs (employed) · pressure high")
    assert "press Reset to apply" not in " ".join(strings(rc.box))


def test_more_settings_say_how_many_differ_and_apply_on_reset():
    rc = render()
    assert "More settings" in strings(rc.box) and "More settings (1 changed)" not in list(
        strings(rc.box))
    slider(rc, "Allies among the professionals").v_model = 0.3
    rc.find(v.Select, label="Who works with whom").widget.v_model = "duos"
    shown = list(strings(rc.box))
    assert "More settings (1 changed)" in shown and "Changed: press Reset to apply." in shown
    button(rc, "Reset").click()
    assert "duos (outside 0.30)" in text_of(rc, "settings")
    assert "allies 0.30" in text_of(rc, "settings")
    assert "Week 0: Sam (EBE) works in a duo with Mirjam (psychologist)" in story(rc)
    assert "bring lived experience of their own into the team (allies)" in story(rc)
    assert "More settings (1 changed)" in list(strings(rc.box))   # still differs from default


def test_two_pages_have_two_teams():
    """Each session renders its own Page, hence its own team."""
    first, second = render(), render()
    button(first, "Step").click()
    button(first, "Step").click()
    assert text_of(first, "status").startswith("Week 2 of 104")
    assert text_of(second, "status").startswith("Week 0 of 104")


def test_a_bad_seed_is_shown_in_words():
    rc = render()
    type_in(rc, "Seed", "12abc")
    button(rc, "Reset").click()
    (alert,) = [w for w in walk(rc.box) if isinstance(w, v.Alert)
                and "Not applied" in " ".join(strings(w))]
    message = " ".join(strings(alert))
    assert "seed '12abc' cannot be used: allowed a whole number" in message
    assert "9223372036854775807" not in message


def test_guide_tab_shows_the_guide_offline():
    """The guide is rendered in the page as HTML made on the server: headings, tables,
    screenshots inline, no links out, and no Markdown component (which would load a
    maths renderer from a CDN)."""
    rc = render()
    rc.find(v.Tabs).widget.v_model = 4
    (guide,) = [w.unsafe_innerHTML for w in tagged(rc, "guide", solara.widgets.HTML)]
    assert ">HOW TO USE IT</h2>" in guide and ">Lesson 1: one hire or two</h2>" in guide
    assert ">Lesson 4: the team changes too</h2>" in guide
    assert "<table>" in guide and "<td>Who works with whom</td>" in guide
    images = re.findall(r'<img [^>]*src="([^"]+)"', guide)
    assert len(images) == 9 and all(src.startswith("data:image/png;base64,") for src in images)
    links = re.findall(r'href="([^"]+)"', guide)
    assert all(link.startswith(("http://", "https://")) for link in links), links
    assert not [w for w in rc.find(v.VuetifyTemplate).widgets
                if "solara-markdown" in str(w.template)]


@pytest.mark.parametrize("name", list(model_params))
def test_every_input_is_on_the_page(name):
    rc = render()
    label = model_params[name]["label"]
    shown = ([w.label for w in rc.find(v.Slider).widgets]
             + [w.label for w in rc.find(v.Select).widgets]
             + [w.label for w in rc.find(v.TextField).widgets])
    assert any(text == label or text.startswith(label + ":") for text in shown)
