"""Take the screenshots of docs/classroom.md from the real classroom page.

    python docs/img/screenshots.py          # needs Debian's chromium and playwright

Starts ``teamsim classroom`` on a free 127.0.0.1 port, sets the levers of each lesson
with the keyboard as a teacher would, presses Reset, runs the weeks with Step and saves
the page (``classroom-overview.png``) and the team, narration and plots of each lesson
(``lesson-*.png``) beside this script.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from experiments.classroom.launch import launch, stop

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
INTERVAL = 13  # weeks per press of Step (the Render Interval slider: 1, 3, 5, ...)
LESSONS = {
    "lesson-one-ebe": {},
    "lesson-two-ebes": {"Number of EBEs": 2},
    "lesson-calm": {"Pressure (caseload)": "calm"},
    "lesson-high-pressure": {"Pressure (caseload)": "high"},
    "lesson-authority": {"Experiential authority": 0.8},
    "lesson-authority-dialogue": {"Experiential authority": 0.8,
                                  "Dialogue (feedback culture)": 0.8},
}
DEFAULTS = {"Number of EBEs": 1, "Pressure (caseload)": "normal",
            "Experiential authority": 0.0, "Dialogue (feedback culture)": 0.2}
SELECTS = ("Pressure (caseload)",)
LESSON_SEED = "18"  # a typical run: the lone EBE's view is lost in year two, two EBEs keep it


COUNTER = re.compile(r"^(Step|Time): ")  # Mesa 3.3 shows 'Step: 3', Mesa 3.4+ 'Time: 3.0'


def week(n: int) -> re.Pattern:
    return re.compile(rf"^(Step|Time): {n}(\.0)?$")


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
    page.get_by_role("option", name=option).click()


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
    counter = page.get_by_text(COUNTER)
    expect(counter).to_have_text(week(0))
    for done in range(INTERVAL, weeks + 1, INTERVAL):
        page.get_by_role("button", name="Step").click()
        expect(counter).to_have_text(week(done), timeout=60_000)
    page.wait_for_timeout(1500)  # let the last images arrive


def main() -> int:
    server, url = launch()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM,
                                         args=["--headless=new", "--no-sandbox",
                                               "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1500, "height": 1150})
            page.goto(url)
            expect(page.get_by_text(COUNTER)).to_have_text(week(0), timeout=60_000)
            set_slider(page, "Render Interval (steps)", INTERVAL)
            show(page, {}, 52, "20261123")
            page.screenshot(path=HERE / "classroom-overview.png")
            for name, levers in LESSONS.items():
                show(page, levers, 104, LESSON_SEED)
                page.locator(".vue-grid-layout").screenshot(path=HERE / f"{name}.png")
                print(f"saved {name}.png", flush=True)
            browser.close()
    finally:
        stop(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
