"""Reader features of the site in a real browser: offline search, light and dark
themes, copy buttons, numbered equations and theorems, and accessibility (axe-core)."""

import json

import pytest

from conftest import PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("query", "page"), [("Solow", "history"), ("Bellman", "dp_theory"),
                                           ("reservation", "job_search")])
def test_offline_search_finds_the_lecture(server, visit, query, page):
    v = visit(f"{server}/html/search.html?q={query}")
    v.page.wait_for_selector("#search-results li a", timeout=15_000)
    hits = v.page.locator("#search-results li a").evaluate_all("as => as.map(a => a.href)")
    assert any(h.split("#")[0].endswith(f"/book/{page}.html") for h in hits)
    assert v.off_host() == []


def test_one_search_field_and_no_empty_top_bar(server, visit):
    v = visit(f"{server}/html/book/history.html")
    visible = v.page.locator(".search-button-field:visible")
    assert visible.count() == 1
    assert v.page.locator(".bd-header").evaluate("e => e.getBoundingClientRect().height") == 0
    visible.click()
    v.page.keyboard.type("Bellman")
    v.page.keyboard.press("Enter")
    v.page.wait_for_selector("#search-results li a", timeout=15_000)
    hits = v.page.locator("#search-results li a").evaluate_all("as => as.map(a => a.href)")
    assert any(h.split("#")[0].endswith("/book/dp_theory.html") for h in hits)


def test_theme_switch_turns_the_page_dark_and_back(server, visit):
    v = visit(f"{server}/html/book/history.html")
    seen = set()
    for _ in range(3):
        v.page.locator("button.theme-switch-button").first.click()
        seen.add(v.page.evaluate("() => document.documentElement.dataset.theme"))
    assert {"light", "dark"} <= seen


def test_code_cells_have_copy_buttons(server, visit):
    v = visit(f"{server}/html/book/history.html")
    assert v.page.locator("button.copybtn").count() >= 10


def test_equations_and_theorems_are_numbered_and_referenced(server, visit):
    v = visit(f"{server}/html/book/history.html")
    assert v.page.locator("span.eqno").first.inner_text().strip() == "(1)"
    assert "Proposition 1" in v.page.locator(".proof.proposition").first.inner_text()
    assert v.page.locator('a[href="#history-steady-state"]').count() >= 1


@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violations(seen, page):
    serious = seen("html", page)["axe_serious"]
    assert serious == [], json.dumps(serious, indent=1)
