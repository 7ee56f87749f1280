"""The classroom page (sim.app): levers, drawings and a fast render with ``solara.render``."""

from __future__ import annotations

import re

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara

from sim import TeamModel, compose
from sim.app import (
    ClassroomTeam,
    classroom_config,
    classroom_page,
    describe,
    feedback_figure,
    model_params,
    perspective_figure,
    share_figure,
    team_figure,
    team_graph,
)
from sim.config import ConfigError
from sim.narration import role_label

COUNTER = r"(Step|Time): \d+(\.0)?"


@pytest.mark.parametrize("lever, value, section, field", [
    ("ebes", 3, "ebe", "count"),
    ("hierarchy_steepness", 2.5, "team", "hierarchy_steepness"),
    ("experiential_authority", 0.7, "organisation", "experiential_authority"),
    ("dialogue_culture", 0.9, "organisation", "dialogue_culture"),
    ("intervision", 1.0, "organisation", "intervision"),
    ("professional_autonomy", 0.8, "organisation", "professional_autonomy"),
    ("employment", "external", "ebe", "employment"),
    ("seed", "42", "run", "seed"),
])
def test_each_lever_sets_its_config_field(lever, value, section, field):
    cfg = classroom_config(**{lever: value})
    expected = int(value) if lever == "seed" else value
    assert getattr(getattr(cfg, section), field) == expected
    default = classroom_config()
    assert getattr(getattr(default, section), field) != expected


def test_pressure_choice_is_the_pressure_group():
    for level in ("calm", "normal", "high"):
        assert classroom_config(pressure=level).workload == compose([f"pressure={level}"]).workload


def test_defaults_are_the_model_defaults():
    default, composed = classroom_config(), compose([])
    assert default.label == "classroom"
    for section in ("team", "ebe", "workload", "organisation", "behaviour"):
        assert getattr(default, section) == getattr(composed, section)


@pytest.mark.parametrize("levers, message", [
    ({"seed": "abc"}, r"run\.seed = 'abc' .* allowed a whole number"),
    ({"pressure": "extreme"}, "pressure = 'extreme' .* allowed one of calm, normal, high"),
    ({"employment": "volunteer"}, "ebe.employment = 'volunteer' .* employed, external"),
    ({"dialogue_culture": 1.5}, r"organisation\.dialogue_culture = 1\.5 .* \[0\.0, 1\.0\]"),
])
def test_bad_levers_name_field_and_allowed_values(levers, message):
    with pytest.raises(ConfigError, match=message):
        classroom_config(**levers)


def test_bad_levers_on_the_page_show_a_problem_and_the_default_team():
    model = ClassroomTeam(seed="abc")
    assert "run.seed = 'abc'" in model.problem
    assert model.config == classroom_config()


def test_inputs_match_the_model_and_the_config_ranges():
    from mesa.visualization.solara_viz import _check_model_params  # after sim.app: quiet

    _check_model_params(ClassroomTeam.__init__, model_params)
    start = {name: spec["value"] for name, spec in model_params.items()}
    assert ClassroomTeam(**start).config == ClassroomTeam().config == classroom_config()
    for name, spec in model_params.items():
        if spec["type"].startswith("Slider"):
            assert spec["min"] <= spec["value"] <= spec["max"]
            classroom_config(**{name: spec["min"]})
            classroom_config(**{name: spec["max"]})
        if spec["type"] == "Select":
            for value in spec["values"]:
                classroom_config(**{name: value})


def test_unknown_lever_is_named():
    with pytest.raises(ConfigError, match="lever 'coaching' is unknown: allowed ebes, "):
        classroom_config(coaching=0.5)


def test_describe_lists_the_levers_in_use():
    text = describe(classroom_config(ebes=2, pressure="high", intervision=0.5))
    assert text.startswith("2 EBEs (employed) · pressure high")
    assert "intervision 0.50" in text


def test_team_graph_has_every_present_member_and_pair():
    model = ClassroomTeam(ebes=2)
    model.step()
    graph = team_graph(model)
    assert set(graph.nodes) == set(model.members)
    n = len(model.members)
    assert graph.number_of_edges() == n * (n - 1) // 2
    a, b = model.members[0], model.members[11]
    edge = graph.edges[0, 11]
    assert edge["trust"] == pytest.approx((a.trust_in(b) + b.trust_in(a)) / 2)
    assert edge["irritation"] == max(a.irritation_toward(b), b.irritation_toward(a))


def texts(fig) -> str:
    return "\n".join(t.get_text() for ax in fig.axes for t in ax.texts)


def test_team_figure_labels_people_and_shows_who_left(small):
    model = TeamModel(small("behaviour.exit_rate=1.0", "behaviour.stress_hazard_ratio=50",
                            "organisation.rehire_delay_weeks=50", weeks=104))
    model.title = "exits"
    for member in model.members.values():
        assert f"{member.name}\n{role_label(member.role)}" in texts(team_figure(model))
    while not model.departed and model.running:
        model.step()
    assert model.departed, "with these rates the EBE leaves within two years"
    drawn = texts(team_figure(model))
    gone = model.departed[0]
    assert f"{gone.name}\nleft week {gone.left_week}" in drawn
    assert "vacant\nEBE post" in drawn
    assert f"{gone.name}\nexpert" not in drawn


def test_plots_follow_the_weeks():
    model = ClassroomTeam(ebes=2)
    for _ in range(12):
        model.step()
    labels = [line.get_label() for line in perspective_figure(model).axes[0].lines]
    assert {"Sam (EBE)", "Noor (EBE)", "professionals (mean)"} <= set(labels)
    share = share_figure(model).axes[0].lines[0]
    assert list(share.get_xdata()) == list(range(1, 13))
    assert list(share.get_ydata()) == model.datacollector.model_vars["experiential_share"][1:]
    given, held, attack = feedback_figure(model).axes[0].lines
    data = model.datacollector.model_vars
    assert given.get_ydata()[-1] == sum(data["feedback_given"])
    assert held.get_ydata()[-1] == sum(data["feedback_withheld"])
    assert attack.get_ydata()[-1] == sum(data["feedback_attack"])
    given_to_ebe, held_to_ebe = feedback_figure(model).axes[1].lines
    assert given_to_ebe.get_ydata()[-1] == sum(data["feedback_given_to_ebe"])
    assert held_to_ebe.get_ydata()[-1] == sum(data["feedback_withheld_to_ebe"])


def render(model):
    """Render the page as ``solara run`` does (inside an AppLayout, with the sidebar)."""
    box, rc = solara.render(solara.AppLayout(children=[classroom_page(model)]),
                            handle_error=False)
    rc.box = box
    return rc


def narration(rc) -> list[str]:
    return [w.children[0] for w in rc.find(v.Html, class_="narration").widgets]


def images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(widgets.Image).widgets]


def strings(widget):
    """Every text shown inside ``widget``, depth first."""
    for child in getattr(widget, "children", None) or ():
        if isinstance(child, str):
            yield child
        else:
            yield from strings(child)


def week_shown(rc) -> int:
    """The week on Mesa's counter: 'Step: 3' (Mesa 3.3) or 'Time: 3.0' (Mesa 3.4+)."""
    counters = [t for t in strings(rc.box) if re.fullmatch(COUNTER, t)]
    assert len(counters) == 1, counters
    return int(float(counters[0].split()[1]))


def test_page_has_controls_levers_and_panels():
    rc = render(ClassroomTeam())
    assert [b.children for b in rc.find(v.Btn).widgets] == [["Reset"], ["▶"], ["Step"]]
    sliders = {w.label for w in rc.find(v.Slider).widgets}
    assert {"Number of EBEs", "Knowledge hierarchy (steepness)", "Experiential authority",
            "Dialogue (feedback culture)", "Intervision", "Professional autonomy"} <= sliders
    selects = {w.label for w in rc.find(v.Select).widgets}
    assert selects == {"Pressure (caseload)", "EBE employed or external"}
    assert "Seed" in {w.label for w in rc.find(v.TextField).widgets}
    assert len(images(rc)) == 4
    first, joins = narration(rc)
    assert first.startswith("Week 0: a team of 10 professionals")
    assert joins.startswith("Week 0: Sam (EBE) joins")
    assert rc.find(v.Html, class_="status").widget.children[0].startswith("Perspective alive")


def test_step_advances_the_week_and_updates_plots_and_narration():
    rc = render(ClassroomTeam())
    before = images(rc)
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert week_shown(rc) == 1
    assert narration(rc)[0].startswith("Week 1: ")
    after = images(rc)
    assert after[0] != before[0] and after[1] != before[1]


def test_slider_and_reset_rebuild_the_team():
    model = ClassroomTeam()
    rc = render(model)
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Slider, label="Number of EBEs").widget.v_model = 3
    rc.find(v.Select, label="Pressure (caseload)").widget.v_model = "high"
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert week_shown(rc) == 0
    joins = [line for line in narration(rc) if "(EBE) joins" in line]
    assert [line.split()[2] for line in joins] == ["Sam", "Noor", "Kim"]
    settings = rc.find(v.Html, class_="settings").widget.children[0]
    assert settings.startswith("3 EBEs (employed) · pressure high")
