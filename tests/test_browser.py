"""The site in a real browser: Debian's chromium driven by Playwright, over ``ipgraph serve``.

A person's path through the site — home, search 海关, 广州海关's page, one of its statistics with
its quote highlighted, an example query in the editor with rows and a chart — and every page at a
phone's width (390 px) without sideways scrolling. Screenshots go to ``var/screenshots/`` (or
``$IPGRAPH_SCREENSHOTS``).

Playwright cannot download its own browser here: it drives the system's ``chromium``, and without
a CJK font every Chinese glyph would be a box. Where either is missing the tests skip and say how
to install them (``make browser``) — except under CI (``CI`` set), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import ROOT, serving

NARROW = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("IPGRAPH_SCREENSHOTS", ROOT / "var" / "screenshots"))


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if shutil.which("chromium") is None:
        return "chromium is not installed"
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        return "no CJK font is installed (fonts-noto-cjk)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    missing = _missing()
    if missing:
        message = f"{missing}: run `make browser` (apt-get install chromium fonts-noto-cjk) for the browser tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        # --no-sandbox: the sandbox needs user namespaces, which a container running as root lacks
        chromium = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("serve") / "serve.log", env={}, workers=1) as (url, _):
        yield url


@pytest.fixture
def page(browser, site):
    context = browser.new_context(viewport=WIDE, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(site)
    yield page
    context.close()
    assert errors == [], f"the page reported errors: {errors}"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_search_a_body_follow_a_statistic_and_see_its_quote(page):
    assert "广州知识产权发展与保护状况" in page.locator("h1").first.inner_text()
    shot(page, "01-home")
    page.locator("header input[name=q]").fill("海关")
    page.locator("header input[name=q]").press("Enter")
    page.wait_for_url("**/search?q=*")
    hits = page.locator("ol.hits > li")
    assert hits.count() >= 2
    texts = hits.all_inner_texts()
    assert any("广州海关" in t for t in texts) and any("黄埔海关" in t for t in texts)
    shot(page, "02-search")
    page.locator("ol.hits a[href='/id/body/guangzhou-customs']").click()
    page.wait_for_url("**/id/body/guangzhou-customs")
    assert page.locator("h1").inner_text() == "广州海关"
    shot(page, "03-body")
    statistic = page.locator("section.incoming a[href^='/id/observation/']").first
    target = statistic.get_attribute("href")
    statistic.click()
    page.wait_for_url(f"**{target}")
    marked = page.locator("section.quotes blockquote mark").first
    assert marked.is_visible()
    background = marked.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    assert marked.inner_text().strip() in page.locator("section.quotes blockquote").first.inner_text()
    shot(page, "04-statistic")
    page.locator("section.quotes a", has_text="在原文中").first.click()
    page.wait_for_url("**/report?passage=*")
    chosen = page.locator("mark.chosen").first
    assert chosen.is_visible()
    assert page.evaluate("window.scrollY") > 0, "the report page scrolls to the passage"
    shot(page, "05-report")


def test_run_an_example_in_the_editor_and_see_rows_and_a_chart(page, site):
    page.goto(site + "/sparql")
    assert page.locator(".CodeMirror").is_visible(), "the editor replaced the plain textarea"
    page.select_option("#example", "02-patent-awards-by-grade")
    code = page.locator(".CodeMirror-code")
    code.filter(has_text="SELECT").wait_for()
    assert page.locator(".CodeMirror .cm-keyword").count() > 0, "the query is highlighted"
    page.locator("form.editor button[type=submit]").click()
    page.wait_for_url("**/sparql?query=*")
    rows = page.locator("table.results tbody tr")
    assert rows.count() > 0
    chart = page.locator("section.answer figure.chart svg")
    assert chart.is_visible() and chart.locator("rect").count() > 0
    assert rows.count() == 6 and "金奖" in page.locator("table.results").inner_text()  # the report's six grades
    shot(page, "06-editor")


@pytest.mark.parametrize("path", ["/", "/search?q=海关", "/id/body/guangzhou-customs", "/class/qb:Observation",
                                  "/id/observation/guangzhou-2018-patent-applications", "/report", "/sparql",
                                  "/queries", "/ontology", "/downloads", "/quality"])
def test_no_page_scrolls_sideways_on_a_phone(page, site, path):
    page.set_viewport_size(NARROW)
    page.goto(site + path)
    assert not scrolls_sideways(page), f"{path} is wider than 390 px"
    shot(page, "narrow-" + (path.strip("/").replace("/", "-").replace("?", "-").replace(":", "-") or "home"))
