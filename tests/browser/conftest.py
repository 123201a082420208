"""Browser fixtures: the app served on 127.0.0.1, Debian's Chromium driven by Playwright.

No machine here reaches the internet, so the CDN and the map tiles are answered from local
files; any other outside request is aborted and recorded, so a test notices it.
"""
from __future__ import annotations

import mimetypes
import os
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CHROMIUM = os.environ.get("PLAZA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "tablet": {"viewport": {"width": 1024, "height": 768}, "has_touch": True},
}
CDN_PACKAGES = {"leaflet@": xs_leaflet.BASE_DIR, "leaflet.markercluster@": xs_cluster.BASE_DIR}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def tile_png() -> bytes:
    """A plain 256×256 PNG, made here so no binary file is needed."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes((232, 236, 234)) * 256 for _ in range(256))
    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


TILE = tile_png()


CDN_STATES = ("up", "down", "hang", "slow")


@dataclass
class Network:
    """What the page asked of the outside world during a test, and how the world answers.

    The CDN is `up`, `down` (every request fails at once), `hang`s (no request is ever
    answered) or is `slow` (each file arrives after `cdn_delay_ms`); with `tiles_down` every
    map tile fails.
    """

    cdn: list[str] = field(default_factory=list)
    tiles: int = 0
    blocked: list[str] = field(default_factory=list)
    cdn_state: str = "up"
    cdn_delay_ms: int = 0
    tiles_down: bool = False


def closing_responses(app: WSGIApplication) -> WSGIApplication:
    """Close every response, also one whose connection the browser dropped mid-send.

    Werkzeug's development server skips the response's close() when a write fails (a page
    navigating away while its stylesheet is still being sent), which leaves the static file
    open until it is garbage-collected, with a ResourceWarning in whatever test runs then.
    gunicorn always closes it; this gives the test server the same behaviour.
    """
    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterator[bytes]:
        response = app(environ, start_response)
        try:
            yield from response
        finally:
            if hasattr(response, "close"):
                response.close()
    return serve


@pytest.fixture
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, closing_responses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Fails, never skips, when Chromium is missing: the suite must not pass without it."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; install it with `apt-get install -y chromium`.")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def route_outside(network: Network, live_server: str):
    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(live_server):
            route.continue_()
        elif url.startswith("https://unpkg.com/"):
            network.cdn.append(url)
            assert network.cdn_state in CDN_STATES, network.cdn_state
            if network.cdn_state == "down":
                route.abort("internetdisconnected")
                return
            if network.cdn_state == "hang":
                return  # never answered: the request stays pending until the page closes
            if network.cdn_state == "slow":
                # Waits through Playwright, so other requests are answered meanwhile.
                route.request.frame.page.wait_for_timeout(network.cdn_delay_ms)
            package_and_path = url.removeprefix("https://unpkg.com/")
            for prefix, base in CDN_PACKAGES.items():
                if package_and_path.startswith(prefix):
                    filename = package_and_path.split("/dist/", 1)[1]
                    path = os.path.join(base, filename)
                    route.fulfill(path=path, headers={
                        "Access-Control-Allow-Origin": "*",
                        "Content-Type": mimetypes.guess_type(path)[0] or "text/plain"})
                    return
            route.fulfill(status=404)
        elif url.startswith("https://tile.openstreetmap.org/"):
            network.tiles += 1
            if network.tiles_down:
                route.abort("internetdisconnected")
            else:
                route.fulfill(body=TILE, content_type="image/png")
        else:
            network.blocked.append(url)
            route.abort()

    return handle


@pytest.fixture
def network() -> Network:
    return Network()


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request, browser, live_server, network) -> Iterator[Page]:
    """A fresh browser context per test, at phone and at tablet size."""
    context = browser.new_context(base_url=live_server, **VIEWPORTS[request.param])
    context.route("**/*", route_outside(network, live_server))
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and "Content Security Policy" in msg.text
            and page.js_errors.append(msg.text))
    page.device = request.param
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.unroute_all(behavior="ignoreErrors")  # a stalled CDN's requests are still in flight
    context.close()
    assert page.js_errors == [], page.js_errors
    assert network.blocked == [], f"requests left the machine: {network.blocked}"


def assert_fits_width(page: Page) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the {page.device} screen"


def log_in(page: Page, email: str, password: str) -> None:
    """Through the login form, as a person would."""
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome back")).to_be_visible()


# For each visible heading: how wide it is inside, how wide its longest word is in its own font,
# and whether its text (overflow included) runs over a card other than the one it is in.
HEADING_PROBLEMS_JS = """(cards) => {
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const shown = [...document.querySelectorAll(cards)].filter(visible);
  const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const problems = [];
  for (const h of document.querySelectorAll("h1, h2, h3")) {
    if (!visible(h) || !h.textContent.trim()) { continue; }
    const style = getComputedStyle(h);
    const probe = document.createElement("span");
    probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap;left:0;top:0";
    probe.style.font = style.font;
    probe.style.letterSpacing = style.letterSpacing;
    probe.style.textTransform = style.textTransform;
    document.body.appendChild(probe);
    let longest = 0, word = "";
    for (const w of h.textContent.trim().split(/\\s+/)) {
      probe.textContent = w;
      const width = probe.getBoundingClientRect().width;
      if (width > longest) { longest = width; word = w; }
    }
    probe.remove();
    const inner = h.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const range = document.createRange();
    range.selectNodeContents(h);
    const text = range.getBoundingClientRect();
    const name = h.id ? "#" + h.id : h.tagName.toLowerCase();
    if (inner + 1 < longest) {
      problems.push(`${name} "${h.textContent.trim()}" is ${Math.round(inner)}px wide, its word "${word}" ${Math.round(longest)}px`);
    }
    const others = shown.filter((card) => !card.contains(h) && !h.contains(card));
    if (others.some((card) => meet(text, card.getBoundingClientRect()))) {
      problems.push(`${name} "${h.textContent.trim()}" runs over a card`);
    }
  }
  return problems;
}"""
CARDS = ".idea-card, .k-qv-line, .card, .s-card, .k-dialog, .map"


def assert_headings_readable(page: Page, cards: str = CARDS) -> None:
    """No heading squeezed narrower than its longest word, none running over a card."""
    problems = page.evaluate(HEADING_PROBLEMS_JS, cards)
    assert problems == [], f"on {page.url} ({page.device}): " + "; ".join(problems)
