"""The brief in a real browser: Debian's chromium driven by Playwright.

The page must render, every image must load, the console must stay free of errors and
no request may leave the machine (only file:// and 127.0.0.1).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from test_analysis_load import write_study

from analysis.report import write

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists() and shutil.which("chromium") is None,
                       reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("browser")
    hires = [("hires", [f"ebe.count={n}", f"pressure={p}"])
             for p in ("normal", "high") for n in (1, 2)]
    levers = [(s, [f"scenario={s}", "pressure=high"]) for s in ("single_hire", "coaching")]
    return [write(write_study(root, "hire_more_than_one", hires, 30, swept=["ebe.count"],
                              collect=True)),
            write(write_study(root, "levers", levers, 30, weekly="quantiles"))]


def test_brief_renders_offline_with_every_image(pages):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        try:
            for path in pages:
                page = browser.new_page()
                errors, outside, failed = [], [], []
                page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
                page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
                page.on("requestfailed", lambda r, f=failed: f.append(r.url))

                def check(request, outside=outside):
                    url = urlparse(request.url)
                    if url.scheme not in ("file", "data") and url.hostname != "127.0.0.1":
                        outside.append(request.url)
                page.on("request", check)
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                assert page.locator("h1").inner_text().endswith("?")
                assert page.locator("li[data-fact]").count() >= 2
                images = page.locator("img")
                assert images.count() >= 3
                widths = images.evaluate_all("els => els.map(e => e.complete && e.naturalWidth)")
                assert all(w and w > 0 for w in widths), widths
                odd = page.locator("a", has_text="ODD")
                assert odd.get_attribute("href").endswith("docs/ODD.md")
                assert errors == [] and outside == [] and failed == []
                page.close()
        finally:
            browser.close()
