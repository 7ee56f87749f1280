"""The classroom page in a real headless Chromium (Debian's, driven by Playwright).

The test starts ``teamsim classroom``'s server itself on a free 127.0.0.1 port and
fails on any console error, page error, failed request, HTTP 4xx/5xx answer or request
to anywhere but 127.0.0.1 (the page must work offline).
"""

from __future__ import annotations

import re
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


COUNTER = re.compile(r"^(Step|Time): ")  # Mesa 3.3 shows 'Step: 3', Mesa 3.4+ 'Time: 3.0'


def week(n: int) -> re.Pattern:
    return re.compile(rf"^(Step|Time): {n}(\.0)?$")


def local(url: str) -> bool:
    """Inline data, or http/ws/blob on 127.0.0.1."""
    if url.startswith("data:"):
        return True
    return urlparse(url.removeprefix("blob:")).hostname == "127.0.0.1"


@pytest.fixture(scope="module")
def address(tmp_path_factory):
    log = tmp_path_factory.mktemp("classroom") / "server.log"
    with log.open("w") as out:
        server, url = launch(output=out)
    yield url
    stop(server)


def drive(page, address: str, shot: Path) -> None:
    """Load the page, move a slider, Reset, Step twice; check what the page shows."""
    from playwright.sync_api import expect

    page.goto(address)
    step, counter = page.get_by_role("button", name="Step"), page.get_by_text(COUNTER)
    expect(counter).to_have_text(week(0), timeout=30_000)
    expect(page.get_by_text("Week 0: Sam (EBE) joins")).to_be_visible()
    plots = page.locator("img.widget-image")
    expect(plots).to_have_count(4)

    slider = page.get_by_role("slider", name="Number of EBEs")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(slider).to_have_attribute("aria-valuenow", "2")
    page.get_by_role("button", name="Reset").click()
    expect(page.get_by_text("Week 0: Noor (EBE) joins")).to_be_visible()
    expect(page.locator(".settings")).to_contain_text("2 EBEs (employed)")

    before = [plots.nth(i).get_attribute("src") for i in range(4)]
    step.click()
    expect(counter).to_have_text(week(1))
    expect(page.locator(".narration").first).to_contain_text("Week 1: ")
    for i in (0, 1, 3):  # team, perspectives, feedback (the share plot needs 2 weeks)
        expect(plots.nth(i)).not_to_have_attribute("src", before[i])
    step.click()
    expect(counter).to_have_text(week(2))
    expect(plots.nth(2)).not_to_have_attribute("src", before[2])
    page.screenshot(path=shot, full_page=True)


def test_classroom_page_in_chromium(address, tmp_path):
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    shot = tmp_path / "classroom.png"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
        page.on("request", lambda r: local(r.url) or problems.append(f"not local: {r.url}"))
        try:
            drive(page, address, shot)
        except AssertionError as err:
            pytest.fail(f"{err}\nseen by the browser:\n" + "\n".join(problems))
        finally:
            browser.close()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not problems, "\n".join(problems)
