"""The explorer in a real headless Chromium (Debian's, driven by Playwright).

The test starts ``teamsim explore``'s server on a free 127.0.0.1 port, changes the number
of EBEs and a lever, and checks that the numbers change and equal ``simulate`` for the
same settings composed by another route; that a second browser session keeps its own
choices; that the saved scenario file is the one ``teamsim run`` accepts; and that no
request leaves 127.0.0.1 and nothing fails.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from analysis.explorer.scenario import Choice, compare, scenario_file
from analysis.explorer.serve import launch
from experiments.classroom.launch import stop
from sim import compose, simulate

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium: apt-get install -y chromium"),
]


def local(url: str) -> bool:
    if url.startswith("data:"):
        return True
    return urlparse(url.removeprefix("blob:")).hostname == "127.0.0.1"


@pytest.fixture(scope="module")
def address(tmp_path_factory):
    log = tmp_path_factory.mktemp("explorer") / "server.log"
    with log.open("w") as out:
        server, url = launch(output=out)
    yield url
    stop(server)


def alive_of(overrides: list[str]) -> float:
    cfg = compose(["scenario=single_hire", "run.replicates=500", *overrides])
    return float(simulate(cfg, weekly=False).replicates["survived"].mean())


def watch(page, problems: list[str]) -> None:
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: r.status >= 400 and problems.append(f"{r.status}: {r.url}"))
    page.on("request", lambda r: local(r.url) or problems.append(f"not local: {r.url}"))


def value(page, name: str) -> float:
    return float(page.locator(".explorer-data").get_attribute(f"data-{name}"))


def wait_for(page, name: str, old: float) -> float:
    page.wait_for_function(
        f"old => document.querySelector('.explorer-data').dataset['{name}'] != old",
        arg=repr(old), timeout=30_000)
    return value(page, name)


def test_explorer_in_chromium(address, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        try:
            first = browser.new_context(viewport={"width": 1024, "height": 768},
                                        accept_downloads=True)
            page = first.new_page()
            watch(page, problems)
            page.goto(address)
            sentence = page.locator(".explorer-sentence")
            expect(sentence).to_be_visible(timeout=60_000)
            assert sentence.bounding_box()["y"] < 768           # on the first screen
            one = value(page, "alive")
            assert one == alive_of([]) == value(page, "baseline")

            ebes = page.get_by_role("slider", name=re.compile("^Number of EBEs"))
            ebes.focus()
            page.keyboard.press("ArrowRight")
            two = wait_for(page, "alive", one)
            assert two == alive_of(["ebe.count=2"])
            assert value(page, "baseline") == one
            assert value(page, "difference") == pytest.approx(two - one)
            expect(sentence).to_contain_text("Two employed EBEs")

            lever = page.get_by_role("slider", name=re.compile("^Peer intervision"))
            lever.focus()
            for _ in range(10):                                   # 10 steps of 0.05
                page.keyboard.press("ArrowRight")
            expect(sentence).to_contain_text("peer intervision 0.50")
            page.wait_for_function(
                "document.querySelector('.explorer-data').dataset.alive !== undefined")
            with_lever = value(page, "alive")
            assert with_lever == alive_of(["ebe.count=2", "organisation.intervision=0.5"])
            page.screenshot(path=tmp_path / "explorer.png", full_page=True)

            with page.expect_download() as download:
                page.get_by_role("button", name=re.compile("Save this scenario")).click()
            saved = Path(download.value.path()).read_text()
            choice = Choice().set(ebes=2, intervision=0.5)
            assert saved == scenario_file(choice, compare(choice))   # composes: test_explorer

            second = browser.new_context().new_page()               # another session
            watch(second, problems)
            second.goto(address)
            expect(second.locator(".explorer-sentence")).to_be_visible(timeout=60_000)
            assert value(second, "alive") == one                   # its own choices
            assert value(page, "alive") == with_lever
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
