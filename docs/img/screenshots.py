"""Take the screenshots of docs/classroom.md from the real classroom page.

    python docs/img/screenshots.py          # needs Debian's chromium and playwright

Starts ``teamsim classroom`` on a free 127.0.0.1 port, opens it in a 1024x768 window (a
classroom projector), sets the levers of each lesson with the keyboard and the mouse as
a teacher would, presses Reset, runs the weeks with Step and saves the whole page after
one year of the default team (``classroom-overview.png``) and, for each lesson run, the
page's main column with the tab the lesson talks about (``lesson-*.png``), beside this
script. The lesson seed and levers are those in docs/classroom.md, which
tests/test_classroom_lessons.py checks against the model.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from experiments.classroom.launch import launch, stop

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
PROJECTOR = {"width": 1024, "height": 768}
LESSON_SEED = "665"
WEEKS_PER_STEP = 13
#: image -> (levers, the tab it shows); an image with the levers of the one before shows
#: another tab of the same run
LESSONS = {
    "lesson-one-ebe": ({}, "Perspectives"),
    "lesson-two-ebes": ({"Number of EBEs": 2}, "Perspectives"),
    "lesson-calm": ({"Pressure (caseload)": "calm"}, "Team"),
    "lesson-high-pressure": ({"Pressure (caseload)": "high"}, "Team"),
    "lesson-authority": ({"Experiential authority at the start": 0.8}, "Feedback"),
    "lesson-authority-dialogue": ({"Experiential authority at the start": 0.8,
                                   "Dialogue culture": 0.8}, "Feedback"),
    "lesson-duo": ({"Who works with whom": "duos"}, "Team"),
    "lesson-duo-authority": ({"Who works with whom": "duos"}, "Voice and authority"),
}
DEFAULTS = {"Number of EBEs": 1, "Pressure (caseload)": "normal",
            "Experiential authority at the start": 0.0, "Dialogue culture": 0.2,
            "Who works with whom": "full"}
SELECTS = ("Pressure (caseload)", "Who works with whom")


def week(n: int) -> re.Pattern:
    return re.compile(rf"^Week {n} of 104 · ")


def set_slider(page: Page, label: str, value: float) -> None:
    """Move a slider with the arrow keys until it rests at ``value``.

    Each key press goes to the server and back; waiting after each press (and checking
    that the value stays) keeps a late echo from moving the slider back.
    """
    slider = page.get_by_role("slider", name=label)
    slider.focus()
    for _ in range(400):
        now = float(slider.get_attribute("aria-valuenow"))
        if abs(now - value) < 1e-9:
            page.wait_for_timeout(500)
            if abs(float(slider.get_attribute("aria-valuenow")) - value) < 1e-9:
                return
            continue
        page.keyboard.press("ArrowRight" if now < value else "ArrowLeft")
        page.wait_for_timeout(100)
    raise RuntimeError(f"slider {label!r} did not reach {value}")


def choose(page: Page, label: str, option: str) -> None:
    page.get_by_label(label).click(force=True)
    page.get_by_role("option", name=option, exact=True).click()


def type_in(page: Page, label: str, text: str) -> None:
    field = page.get_by_label(label)
    field.fill(text)
    field.press("Enter")


def show(page: Page, levers: dict, weeks: int, seed: str) -> None:
    """Set the levers and the seed, press Reset and run ``weeks`` weeks."""
    for label, value in {**DEFAULTS, **levers}.items():
        if label in SELECTS:
            choose(page, label, value)
        else:
            set_slider(page, label, value)
    type_in(page, "Seed", seed)
    page.get_by_role("button", name="Reset").click()
    status = page.locator(".status")
    expect(status).to_have_text(week(0))
    expect(page.locator(".settings")).to_contain_text(f"seed {seed}")
    for done in range(WEEKS_PER_STEP, weeks + 1, WEEKS_PER_STEP):
        page.get_by_role("button", name="Step", exact=True).click()
        expect(status).to_have_text(week(done), timeout=60_000)


def look(page: Page, tab: str) -> None:
    """Open ``tab`` and let its picture arrive."""
    page.get_by_role("tab", name=tab).click()
    expect(page.locator("img.team, img.perspective_figure, img.feedback_figure, "
                        "img.share_figure").first).to_be_visible()
    page.wait_for_timeout(1500)


def main() -> int:
    server, url = launch()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM,
                                         args=["--headless=new", "--no-sandbox",
                                               "--disable-gpu"])
            page = browser.new_page(viewport=PROJECTOR)
            page.goto(url)
            expect(page.locator(".status")).to_have_text(week(0), timeout=60_000)
            page.get_by_role("button", name=str(WEEKS_PER_STEP), exact=True).click()
            show(page, {}, 52, "20261123")
            look(page, "Team")
            page.screenshot(path=HERE / "classroom-overview.png")
            shown = None
            for name, (levers, tab) in LESSONS.items():
                if levers != shown:
                    show(page, levers, 104, LESSON_SEED)
                    shown = levers
                look(page, tab)
                page.locator(".main").screenshot(path=HERE / f"{name}.png")
                print(f"saved {name}.png", flush=True)
            browser.close()
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
