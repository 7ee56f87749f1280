"""The classroom page: one team, week by week, in the browser (Solara, Mesa's controller).

Run with ``teamsim classroom`` (or ``solara run experiments.classroom.app --production``).
Every browser tab gets its own team, and a reload starts a fresh one: the team is made
inside :func:`Page`, once per session. The page is assembled like a Mesa example page:
Mesa's :class:`~mesa.visualization.solara_viz.ModelController` (Reset, play/pause, Step
and its play loop, which redraws through Mesa's ``update_counter``), the inputs in
Mesa's ``model_params`` format (:mod:`experiments.classroom.levers`), and components
that are small functions of the model. Mesa's ``SolaraViz`` frame is not used: it
adds a "Page 0" tab, a "Use Threads" box and a step card, hides slider values, and
cannot show a replayed run's settings in the sliders.
"""

from __future__ import annotations

import html
import os
import warnings

import solara

from experiments.classroom.figures import (
    STATE_COLOURS,
    feedback_figure,
    perspective_figure,
    png,
    share_figure,
    team_figure,
)
from experiments.classroom.guide import guide_html
from experiments.classroom.levers import MORE, describe, model_params, other_settings
from experiments.classroom.narration import MEANING, status
from experiments.classroom.replay import REPLAY_ENV, ReplayError, study_points
from experiments.classroom.team import ClassroomTeam

with warnings.catch_warnings():  # Mesa 3.3.1's ComponentsView trips Solara's hook linter
    warnings.filterwarnings("ignore", "(?s).*ComponentsView: `use_state` found despite early")
    from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import force_update, update_counter

TITLE = "teamsim classroom: experts by experience in a mental-health team"
#: Play speeds: milliseconds between redraws (``fast`` redraws as fast as it can).
SPEEDS = {"slow": 1000, "normal": 250, "fast": 1}
WEEKS_PER_STEP = [1, 4, 13, 52]
REPLAY_INPUTS = ("study", "point", "replicate")
CSS = """
.classroom .side { flex: 0 0 285px; max-height: calc(100vh - 88px); overflow-y: auto; }
.classroom .side .v-input__slider .v-input__slot { flex-wrap: wrap; }
.classroom .side .v-input__slider .v-label { flex: 1 0 100%; margin-bottom: -4px;
                                             height: auto; white-space: normal; }
.classroom .main { flex: 1 1 0; min-width: 0; }
.classroom .status { font-weight: bold; font-size: 1.05em; }
.classroom .quiet { color: #555; font-size: 0.85em; }
.classroom .strip { flex: 1 1 0; height: 14px; border: 1px solid #999; border-radius: 3px; }
.classroom .key span { display: inline-block; width: 10px; height: 10px; margin: 0 3px 0 8px; }
.classroom .figure { flex: 3 1 0; min-width: 380px; }
.classroom .plot img { max-height: calc(100vh - 370px); width: auto; max-width: 100%; }
.classroom .story { flex: 2 1 0; min-width: 240px; overflow-y: auto;
                    max-height: calc(100vh - 370px); font-size: 0.9em; }
.classroom .story p { margin: 0 0 4px 0; }
.classroom .guide td, .classroom .guide th { text-align: left; vertical-align: top; }
"""


def first_inputs() -> dict:
    """The inputs of a new session: the defaults, or the run ``--replay`` named."""
    inputs = {name: spec["value"] for name, spec in model_params.items()}
    replay = [os.environ.get(name, "") for name in REPLAY_ENV]
    return inputs | dict(zip(REPLAY_INPUTS, replay, strict=True)) | {
        "replicate": replay[2] or "0"}


def shown_inputs(model: ClassroomTeam, inputs: dict) -> dict:
    """The inputs showing the team on screen (a replay shows its own settings)."""
    shown = inputs | model.levers
    if model.replay is not None:
        shown |= {"point": model.replay.name, "replicate": str(model.replay.replicate)}
    return shown


def pending(model: ClassroomTeam, inputs: dict) -> bool:
    """Whether the inputs differ from the team on screen (they apply on Reset)."""
    return shown_inputs(model, inputs) != inputs


@solara.component
def LeverInput(name: str, spec: dict, inputs: solara.Reactive[dict], disabled: bool):
    """One input of :data:`model_params`, its current value in the label."""
    value = inputs.value[name]

    def change(new):
        inputs.set({**inputs.value, name: new})

    kind = spec["type"]
    if kind.startswith("Slider"):
        shown = f"{value:.2f}" if kind == "SliderFloat" else f"{value}"
        slider = solara.SliderFloat if kind == "SliderFloat" else solara.SliderInt
        slider(f"{spec['label']}: {shown}", value=value, on_value=change, min=spec["min"],
               max=spec["max"], step=spec["step"], disabled=disabled)
    elif kind == "Select":
        solara.Select(spec["label"], values=spec["values"], value=value, on_value=change,
                      disabled=disabled)
    else:
        solara.InputText(spec["label"], value=str(value), on_value=change,
                         continuous_update=False, disabled=disabled)


@solara.component
def Settings(model: ClassroomTeam, inputs: solara.Reactive[dict]):
    """The team's levers; they apply on Reset. A replay shows its own settings. The less
    used ones are folded away under "More settings", which says how many differ from the
    defaults, so a changed setting is never hidden unnoticed."""
    replaying = bool(str(inputs.value["study"]).strip())
    with solara.Card("Team settings", subtitle="apply on Reset"):
        if replaying:
            solara.Text("Replaying a study run: the settings are its own. Empty the study "
                        "folder below to use them.", classes=["quiet"])
        for name, spec in model_params.items():
            if name not in MORE:
                LeverInput(name, spec, inputs, replaying)
        changed = sum(inputs.value[name] != model_params[name]["value"] for name in MORE)
        summary = "More settings" + (f" ({changed} changed)" if changed else "")
        with solara.Details(summary=summary, expand=False):
            for name in MORE:
                LeverInput(name, model_params[name], inputs, replaying)
        if pending(model, inputs.value):
            solara.Warning("Changed: press Reset to apply.", dense=True)


def point_names(folder: str) -> tuple[list[str], str]:
    """The readable names of a study's points, or the reason there are none."""
    try:
        return [p.name for p in study_points(folder)], ""
    except ReplayError as err:
        return [], str(err)


@solara.component
def Replay(inputs: solara.Reactive[dict]):
    """Open one run of a finished study: folder, point (by its readable name), run."""
    def change(name):
        return lambda value: inputs.set({**inputs.value, name: value})

    folder = str(inputs.value["study"]).strip()
    names, problem = solara.use_memo(lambda: point_names(folder) if folder else ([], ""),
                                     [folder])
    with solara.Card("Replay a study run", subtitle="press Reset to open it"):
        solara.InputText("Study folder", value=folder, on_value=change("study"),
                         continuous_update=False)
        if problem:
            solara.Text(problem, classes=["quiet"])
        if names:
            point = inputs.value["point"]
            solara.Select("Point", values=names, value=point if point in names else None,
                          on_value=change("point"))
        solara.InputText("Run (replicate)", value=str(inputs.value["replicate"]),
                         on_value=change("replicate"), continuous_update=False)


@solara.component
def Controls(model: solara.Reactive[ClassroomTeam], inputs: solara.Reactive[dict]):
    """Mesa's Reset / play / Step, the pace, a jump to the loss and the CSV download."""
    update_counter.get()
    interval = solara.use_reactive(SPEEDS["normal"])
    weeks = solara.use_reactive(1)
    threads = solara.use_reactive(False)  # Mesa's own play loop, no drawing thread
    team = model.value

    def until_lost():
        team.run_until_lost()
        force_update()

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"}):
        ModelController(model, model_parameters=inputs, play_interval=interval,
                        render_interval=weeks, use_threads=threads)
        solara.Button("Run until lost", on_click=until_lost, color="primary", outlined=True,
                      disabled=not (team.running and team.observation()["alive"]))
        with solara.Row(style={"align-items": "center"}, gap="4px"):
            solara.Text("weeks per Step", classes=["quiet"])
            solara.ToggleButtonsSingle(value=weeks, values=WEEKS_PER_STEP, dense=True)
        with solara.Row(style={"align-items": "center"}, gap="4px"):
            solara.Text("play", classes=["quiet"])
            with solara.ToggleButtonsSingle(value=interval, dense=True):
                for name, ms in SPEEDS.items():
                    solara.Button(name, value=ms)
        solara.FileDownload(lambda: team.table().to_csv(index=False),
                            filename=f"teamsim-classroom-{team.seed}-{team.replicate}.csv",
                            label="CSV", mime_type="text/csv")


def strip(model: ClassroomTeam) -> str:
    """A CSS gradient with one band per week, coloured by the state of the perspective."""
    weeks = model.config.run.weeks + 1
    bands = [f"{STATE_COLOURS[state]} {100 * w / weeks:.3f}% {100 * (w + 1) / weeks:.3f}%"
             for w, state in enumerate(model.states())]
    return f"linear-gradient(to right, {', '.join(bands)}, #f2f2f2 0%)"


@solara.component
def Status(model: ClassroomTeam):
    """Week, the state of the perspective in words and as a strip, and running counts."""
    update_counter.get()
    if model.problem:
        solara.Error(f"Not applied: {model.problem}. Showing the default team.")
    with solara.Column(gap="2px"):
        solara.Text(f"Week {model.week} of {model.config.run.weeks} · {status(model)}",
                    classes=["status"])
        extra = other_settings(model.config)
        solara.Text(describe(model.config) + (" · also " + ", ".join(extra) if extra else ""),
                    classes=["quiet", "settings"])
        key = "".join(f'<span style="background:{colour}"></span>{name}'
                      for name, colour in STATE_COLOURS.items())
        with solara.Row(style={"align-items": "center"}, gap="4px"):
            solara.HTML(tag="div", classes=["strip"],
                        style=f"background: {strip(model)}",
                        attributes={"title": "the state of the perspective, week by week"})
            solara.HTML(tag="div", unsafe_innerHTML=key, classes=["key", "quiet"],
                        attributes={"title": "; ".join(f"{k}: {v}"
                                                       for k, v in MEANING.items())})
        counts = " · ".join(f"{label} {n}" for label, n in model.counts().items())
        solara.Text(f"So far: {counts}", classes=["quiet", "counts"])


def story_html(model: ClassroomTeam) -> str:
    """The journal, newest week first, one paragraph per sentence."""
    parts = []
    for lines in reversed(model.journal):
        parts += [f'<p class="narration">{html.escape(line)}</p>' for line in lines]
    return "".join(parts)


@solara.component
def Picture(model: ClassroomTeam, week: int, draw, classes: list[str]):
    """A figure of the model, drawn once per week shown."""
    image = solara.use_memo(lambda: png(draw(model)), [model, week])
    return solara.Image(image, classes=classes)


@solara.component
def TeamPanel(model: ClassroomTeam):
    """The team drawn as people, beside what happened, newest week first."""
    update_counter.get()
    with solara.Row(style={"align-items": "flex-start", "gap": "12px"}):
        with solara.Column(classes=["figure", "plot"]):
            Picture(model, model.week, team_figure, ["team"])
        solara.HTML(tag="div", unsafe_innerHTML=story_html(model),
                    classes=["story"])


@solara.component
def Plot(model: ClassroomTeam, draw):
    """One plot of the weeks so far."""
    update_counter.get()
    with solara.Column(classes=["plot"]):
        Picture(model, model.week, draw, [draw.__name__])


@solara.component
def Guide():
    """The guide, as NetLogo's Info tab: what the model is, how to use it, four lessons."""
    solara.HTML(tag="div", unsafe_innerHTML=guide_html(), style="max-width: 60em",
                classes=["solara-markdown", "rendered_html", "jp-RenderedHTMLCommon", "guide"])


@solara.component
def Page():
    """The page of one browser session: its own team, made when the session starts."""
    first = solara.use_memo(lambda: ClassroomTeam(**first_inputs()), [])
    model = solara.use_reactive(first)
    inputs = solara.use_reactive(solara.use_memo(lambda: shown_inputs(first, first_inputs()),
                                                 []))
    solara.use_effect(lambda: inputs.set(shown_inputs(model.value, inputs.value)),
                      [model.value])
    solara.Title("teamsim classroom")
    solara.Style(CSS)
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Row(classes=["classroom"], style={"align-items": "flex-start", "gap": "12px"}):
        with solara.Column(classes=["side"]):
            Settings(model.value, inputs)
            Replay(inputs)
        with solara.Column(classes=["main"], gap="6px"):
            Controls(model, inputs)
            Status(model.value)
            with solara.lab.Tabs(lazy=True):
                with solara.lab.Tab("Team"):
                    TeamPanel(model.value)
                with solara.lab.Tab("Perspectives"):
                    Plot(model.value, perspective_figure)
                with solara.lab.Tab("Voice and authority"):
                    Plot(model.value, share_figure)
                with solara.lab.Tab("Feedback"):
                    Plot(model.value, feedback_figure)
                with solara.lab.Tab("Guide"):
                    Guide()
