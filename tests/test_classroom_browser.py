"""The classroom page in a real headless Chromium (Debian's, driven by Playwright).

The tests start ``teamsim classroom``'s server on a free 127.0.0.1 port and fail on any
console error, page error, failed request, HTTP 4xx/5xx answer or request to anywhere
but 127.0.0.1 (the page must work offline). The projector test uses a 1024x768 window.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from experiments.classroom.launch import launch, stop

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium: apt-get install -y chromium"),
]
PROJECTOR = {"width": 1024, "height": 768}
TABS = ("Team", "Perspectives", "Voice and authority", "Feedback", "Guide")
TWO_YEARS_SECONDS = 30


def local(url: str) -> bool:
    """Inline data, or http/ws/blob on 127.0.0.1."""
    if url.startswith("data:"):
        return True
    return urlparse(url.removeprefix("blob:")).hostname == "127.0.0.1"


def week(n: int) -> re.Pattern:
    return re.compile(rf"^Week {n} of 104 · ")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("classroom") / "server.log"
    with log.open("w") as out:
        process, url = launch(output=out)
    yield url, log
    stop(process)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM),
                                      args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def watch():
    """Open pages in fresh browser contexts (sessions); collect everything that went wrong."""
    problems: list[str] = []
    contexts = []

    def open_page(browser, viewport=PROJECTOR):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(
            f"console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(
            f"{r.status}: {r.url}"))
        page.on("request", lambda r: local(r.url) or problems.append(f"not local: {r.url}"))
        return page

    yield open_page, problems
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


def ready(page, url: str) -> float:
    """Load the page; seconds until the team is shown."""
    from playwright.sync_api import expect

    start = time.monotonic()
    page.goto(url)
    expect(page.locator(".status")).to_have_text(week(0), timeout=60_000)
    expect(page.locator("img.team")).to_be_visible()
    return time.monotonic() - start


def test_each_session_has_its_own_team_and_a_reload_starts_afresh(server, browser, watch):
    from playwright.sync_api import expect

    url, _ = server
    open_page, _ = watch
    first = open_page(browser)
    seconds = ready(first, url)
    print(f"page ready in {seconds:.1f} s")
    for n in (1, 2, 3):
        first.get_by_role("button", name="Step", exact=True).click()
        expect(first.locator(".status")).to_have_text(week(n))
    second = open_page(browser)
    ready(second, url)
    expect(first.locator(".status")).to_have_text(week(3))
    second.get_by_role("button", name="Step", exact=True).click()
    expect(second.locator(".status")).to_have_text(week(1))
    expect(first.locator(".status")).to_have_text(week(3))
    first.reload()
    expect(first.locator(".status")).to_have_text(week(0), timeout=60_000)
    expect(first.locator(".narration").first).to_have_text(re.compile("^Week 0: "))


def test_projector_every_panel_fits_and_nothing_of_mesa_leftovers(server, browser, watch,
                                                                 tmp_path):
    from playwright.sync_api import expect

    url, _ = server
    open_page, _ = watch
    page = open_page(browser)
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    ready(page, url)
    for leftover in (re.compile(r"^page \d+$", re.I), "Use Threads", re.compile(r"^Step: ")):
        expect(page.get_by_text(leftover)).to_have_count(0)
    slider = page.get_by_role("slider", name="Number of EBEs")
    expect(page.get_by_text("Number of EBEs: 1", exact=True)).to_be_visible()
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Number of EBEs: 2", exact=True)).to_be_visible()
    expect(page.get_by_text("Dialogue culture: 0.20", exact=True)).to_be_visible()
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("Week 0: Noor (EBE) joins")).to_be_visible()
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator(".status")).to_have_text(week(1))
    panels = {"Team": "img.team", "Perspectives": "img.perspective_figure",
              "Voice and authority": "img.share_figure", "Feedback": "img.feedback_figure",
              "Guide": ".solara-markdown h1 >> nth=0"}
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        panel = page.locator(panels[tab])
        expect(panel).to_be_visible()
        page.wait_for_timeout(300)  # the image settles into its box
        for element in (panel, page.locator(".status"), page.locator(".counts"),
                        page.get_by_role("button", name="Reset")):
            box = element.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PROJECTOR["width"] + 1, tab
            assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"] + 1, (
                tab, element, box)
        page.screenshot(path=tmp_path / f"{tab}.png")
    page.get_by_role("tab", name="Guide").click()
    page.wait_for_timeout(2000)   # the guide needs no maths or diagram renderer
    assert not [url for url in requested if "katex" in url or "mermaid" in url], requested
    story = page.locator(".story")
    page.get_by_role("tab", name="Team").click()
    box = story.bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"] + 1


def test_more_settings_unfold_within_the_projector_and_apply(server, browser, watch):
    from playwright.sync_api import expect

    url, _ = server
    open_page, _ = watch
    page = open_page(browser)
    ready(page, url)
    label = page.get_by_text("Allies among the professionals: 0.00", exact=True)
    expect(label).to_be_hidden()   # folded away
    page.get_by_text("More settings").click()
    label.scroll_into_view_if_needed()   # the side column scrolls, the page does not
    expect(label).to_be_visible()
    box = label.bounding_box()
    assert box["y"] + box["height"] <= PROJECTOR["height"] + 1
    page.get_by_role("slider", name="Allies among the professionals").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("Allies among the professionals: 0.05", exact=True)).to_be_visible()
    expect(page.get_by_text("More settings (1 changed)")).to_be_visible()
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".settings")).to_contain_text("allies 0.05")
    for element in (page.locator(".status"), page.get_by_role("button", name="Reset")):
        box = element.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"] + 1


def test_fastest_play_runs_two_years_quickly_and_stops_when_lost(server, browser, watch):
    from playwright.sync_api import expect

    url, log = server
    open_page, _ = watch
    page = open_page(browser)
    ready(page, url)
    page.get_by_role("button", name="fast").click()
    start = time.monotonic()
    page.get_by_role("button", name="▶").click()
    expect(page.locator(".status")).to_have_text(week(104), timeout=TWO_YEARS_SECONDS * 1000)
    seconds = time.monotonic() - start
    print(f"two years at the fastest play speed in {seconds:.1f} s")
    assert seconds <= TWO_YEARS_SECONDS
    expect(page.locator(".strip")).to_have_attribute("style", re.compile("linear-gradient"))
    page.get_by_label("Seed").fill("18")
    page.get_by_label("Seed").press("Enter")
    page.get_by_label("Pressure (caseload)").click(force=True)
    page.get_by_role("option", name="high").click()
    page.get_by_role("button", name="Reset").click()
    expect(page.locator(".settings")).to_contain_text("pressure high")
    page.get_by_role("button", name="Run until lost").click()
    expect(page.locator(".status")).to_contain_text("The perspective is lost")
    expect(page.get_by_role("button", name="Run until lost")).to_be_disabled()
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV").click()
    lines = Path(download.value.path()).read_text().splitlines()
    week_lost = int(re.search(r"^Week (\d+) of", page.locator(".status").inner_text())[1])
    assert len(lines) == 1 + week_lost + 1 and lines[0].startswith("team,pressure,ebes,")
    assert "UserWarning" not in log.read_text()
