"""The brief in a real browser: Debian's chromium driven by Playwright.

The page must render in both languages, every image must load, the console must stay
free of errors and no request may leave the machine (only file:// and data:). At
1024x768 the question, the bold answer and the uncertainty are on the first screen, and
the page prints on A4.
"""

from __future__ import annotations

import re
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
A4_POINTS = (595, 842)   # 210 x 297 mm at 72 points per inch


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("browser")
    hires = [("hires", [f"ebe.count={n}", f"pressure={p}"])
             for p in ("normal", "high") for n in (1, 2)]
    levers = [(s, [f"scenario={s}", "pressure=high"]) for s in ("single_hire", "coaching")]
    hires_dir = write_study(root, "hire_more_than_one", hires, 30, swept=["ebe.count"],
                            collect=True)
    levers_dir = write_study(root, "levers", levers, 30, weekly="quantiles")
    return [write(hires_dir, robustness=None), write(hires_dir, lang="nl", robustness=None),
            write(levers_dir, robustness=None)]


def test_brief_renders_offline_with_the_answer_on_the_first_screen(pages):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--headless=new", "--no-sandbox", "--disable-gpu"])
        try:
            for path in pages:
                page = browser.new_page(viewport={"width": 1024, "height": 768})
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
                answer = page.locator("p.answer strong")
                assert answer.inner_text().strip()
                for selector in ("h1", "p.answer", "p[data-fact='noise']"):
                    box = page.locator(selector).bounding_box()
                    assert box["y"] + box["height"] <= 768, selector   # on the first screen
                images = page.locator("img")
                assert images.count() >= 3
                widths = images.evaluate_all("els => els.map(e => e.complete && e.naturalWidth)")
                assert all(w and w > 0 for w in widths), widths
                odd = page.locator("a[href$='docs/ODD.md']")
                assert odd.count() == 1
                assert errors == [] and outside == [] and failed == []
                pdf = page.pdf(prefer_css_page_size=True)   # the page's own @page size
                sizes = {tuple(float(v) for v in m.groups())
                         for m in re.finditer(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
                assert sizes and all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2
                                     for w, h in sizes), sizes
                page.close()
        finally:
            browser.close()
