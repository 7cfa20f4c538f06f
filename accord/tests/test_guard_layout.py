"""Every page of the demo fits a phone (390 px) and a laptop (1366 px) for every persona: the
document never scrolls sideways. Screenshots of each page at both widths go to
test-results/screens/<persona>/ (a CI artifact) so a person can look at them.

The pages are those the link crawl reaches (accord/testing/crawl.py: every link shown, one page
per route pattern), opened in Debian's Chromium with DEBUG off, one browser context per persona.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accord.testing.crawl import crawl
from accord.testing.guard import client_fetch, load_guard_demo

WIDTHS = (390, 1366)
SCREENS = Path(__file__).resolve().parents[2] / "test-results" / "screens"
# Who looks: an alliance manager of each side of the partnership with a facilitator, that
# partnership's facilitator, and a read-only observer (the link test adds Northwind's manager).
LAYOUT_PERSONAS = {
    "helix-alliance-manager": "hannah.keller@helix.example.com",
    "cobalt-alliance-manager": "elena.rossi@cobalt.example.com",
    "observer": "lena.fischer@helix.example.com",
    "facilitator": "amara.osei@bridgeway.example.com",
}

# What sticks out past the right edge, to name in a failure (the widest three elements).
OVERFLOW = """() => {
  const width = window.innerWidth;
  const doc = document.documentElement.scrollWidth;
  const scrolls = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0 && !scrolls(el)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.classList.length ? '.' + [...el.classList].join('.') : '');
      culprits.push([Math.round(box.right), name]);
    }
  }
  culprits.sort((a, b) => b[0] - a[0]);
  return {doc, width, culprits: culprits.slice(0, 4).map(c => c[1] + ' → ' + c[0] + 'px')};
}"""


def shot_name(path: str) -> str:
    return path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_") or "home"


@pytest.mark.browser
@pytest.mark.parametrize("persona", sorted(LAYOUT_PERSONAS))
def test_no_page_scrolls_sideways_at_phone_or_laptop_width(
    persona, live_server, browser, transactional_db, settings
):
    settings.DEBUG = False
    load_guard_demo()
    user = get_user_model().objects.get(username=LAYOUT_PERSONAS[persona])
    client = Client()
    client.force_login(user)
    pages = crawl(client_fetch(client)).pages
    assert len(pages) >= 10, [p.path for p in pages]

    folder = SCREENS / persona
    shutil.rmtree(folder, ignore_errors=True)  # this run's pages only (record ids change)
    folder.mkdir(parents=True)
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 844})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    overflowing = []
    try:
        for visit in pages:
            page.set_viewport_size({"width": WIDTHS[0], "height": 844})
            response = page.goto(live_server.url + visit.path, wait_until="load")
            assert response is not None
            assert response.status == 200, f"{visit.path} answered {response.status}"
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 844 if width < 800 else 900})
                found = page.evaluate(OVERFLOW)
                if found["doc"] > found["width"]:
                    overflowing.append(
                        f"{visit.path} at {width}px is {found['doc']}px wide: "
                        + "; ".join(found["culprits"])
                    )
                page.screenshot(
                    path=str(folder / f"{shot_name(visit.path)}@{width}.png"), full_page=True
                )
    finally:
        context.close()
    assert overflowing == [], (
        f"{len(overflowing)} of {len(pages)} pages scroll sideways for {persona}:\n"
        + "\n".join(overflowing)
    )
