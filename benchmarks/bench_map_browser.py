"""The map page with 10,000 ideas in Chromium: how long until it is usable, and filtering.

Run: `.venv/bin/python -m benchmarks.bench_map_browser [--ideas N]` (Debian's Chromium at
/usr/bin/chromium, as the browser tests use). The CDN is answered from the local copy.
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time

import numpy as np
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.models import Space
from benchmarks.bench_ideas import ZOCALO, fill
from tests.browser.conftest import CHROMIUM_ARGS, Network, route_outside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/map.sqlite3"})
        with app.app_context():
            db.create_all()
            space = Space(slug="bench", name="Bench square", center_lat=19.4326,
                          center_lng=-99.1332, boundary=ZOCALO, phase="voting")
            db.session.add(space)
            db.session.commit()
            fill(space.id, args.ideas, np.random.default_rng(7))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        ready, filtering, markers = [], [], 0
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for _ in range(args.repeats):
                context = browser.new_context(base_url=base, viewport={"width": 1024, "height": 768})
                context.route("**/*", route_outside(Network(), base))
                page = context.new_page()
                start = time.perf_counter()
                page.goto("/spaces/bench")
                page.wait_for_selector("#space-map[data-ready=true]", timeout=60_000)
                ready.append(time.perf_counter() - start)
                markers = int(page.get_attribute("#space-map", "data-marker-count"))
                start = time.perf_counter()
                page.select_option("#filter-category", "lighting")
                page.wait_for_function("document.getElementById('space-map').dataset.markerCount !== '%d'" % markers)
                filtering.append(time.perf_counter() - start)
                context.close()
            browser.close()
        server.shutdown()
    print(f"map page, {args.ideas} ideas ({markers} public markers), tablet 1024x768, median of {args.repeats}")
    print(f"  until map and list are usable: {statistics.median(ready):6.2f} s")
    print(f"  category filter, map and list: {statistics.median(filtering) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
