"""A bounded crawl of the pages a person is shown, shared by the guard tests.

Starting at the home page, it follows every same-origin link a page shows (GET only), visits one
page per route pattern (so a portfolio of a thousand commitments costs one commitment page), and
skips signing out and downloads. The link test checks every link it saw; the layout test opens the
visited pages in a browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import Resolver404, resolve

# Routes a crawl never opens as pages: signing out ends the session; API docs and JSON are not
# pages of the app's layout (the API docs have their own browser test).
SKIPPED_PREFIXES = ("/accounts/logout/", "/api/")
NEVER_FOLLOWED = ("/accounts/logout/",)
MAX_PAGES = 400


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.downloads: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        found = dict(attrs)
        href = found.get("href")
        if href:
            self.hrefs.append(href)
            if "download" in found:
                self.downloads.add(href)


def links_in(html: str, base: str) -> tuple[list[str], set[str]]:
    """Same-origin paths (with query, without fragment) of every <a href> in the page."""
    parser = _Links()
    parser.feed(html)
    base_origin = urlsplit(base)
    paths, downloads = [], set()
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        absolute = urldefrag(urljoin(base, href)).url
        parts = urlsplit(absolute)
        if parts.netloc and parts.netloc != base_origin.netloc:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        paths.append(path)
        if href in parser.downloads:
            downloads.add(path)
    return paths, downloads


def route_pattern(path: str) -> str:
    """The URL pattern of a path, e.g. "trust:round_detail"; unknown paths are their own."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return path
    return match.view_name


@dataclass
class Visit:
    path: str
    pattern: str
    status: int
    content_type: str
    shown_on: str  # the page whose link led here ("" for the start page)


@dataclass
class Crawl:
    pages: list[Visit] = field(default_factory=list)  # one HTML page per route pattern
    links: dict[str, str] = field(default_factory=dict)  # every link seen -> a page showing it
    downloads: set[str] = field(default_factory=set)


# fetch(path) -> (status, content type, body text or "" for non-HTML)
Fetch = Callable[[str], tuple[int, str, str]]


def is_download(path: str, content_type: str) -> bool:
    return not content_type.startswith("text/html")


def crawl(fetch: Fetch, start: str = "/", base: str = "http://testserver") -> Crawl:
    """Breadth-first over the links shown, one page per route pattern, GET only."""
    result = Crawl()
    seen_patterns: set[str] = set()
    queue: list[tuple[str, str]] = [(start, "")]
    while queue and len(result.pages) < MAX_PAGES:
        path, shown_on = queue.pop(0)
        if path.startswith(SKIPPED_PREFIXES) or path in result.downloads:
            continue
        pattern = route_pattern(path)
        if pattern in seen_patterns:
            continue
        status, content_type, body = fetch(path)
        if status != 200:
            continue  # the link test reports it; another link of the pattern may still open
        seen_patterns.add(pattern)
        if is_download(path, content_type):
            result.downloads.add(path)
            continue
        result.pages.append(Visit(path, pattern, status, content_type, shown_on))
        paths, downloads = links_in(body, urljoin(base, path))
        result.downloads |= downloads
        for link in paths:
            if link.startswith(NEVER_FOLLOWED):
                continue
            result.links.setdefault(link, path)
            queue.append((link, path))
    return result
