"""Ideas at city scale: the map's GeoJSON and the similar-ideas hint for 10,000 ideas.

Run: `.venv/bin/python -m benchmarks.bench_ideas [--database-url URL] [--ideas N]`
(default: a throw-away SQLite file). Targets from the ideas issue: GeoJSON for 10,000 ideas
in ≤ 150 ms server time and ≤ 1.5 MB.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.ideas.similarity import build_index
from app.models import Idea, Space
from app.models.space import DEFAULT_CATEGORIES

ROOT = Path(__file__).resolve().parents[1]
BG2050 = ROOT.parent / "shared" / "data" / "bg2050" / "comments.csv"
ZOCALO = {"type": "Polygon", "coordinates": [[[-99.13436, 19.43372], [-99.13208, 19.4338],
          [-99.13203, 19.43155], [-99.13431, 19.43147], [-99.13436, 19.43372]]]}


def resident_texts() -> list[str]:
    """Real resident comments (Bowling Green 2050, CC BY 4.0) as titles and bodies."""
    with BG2050.open(newline="", encoding="utf-8") as fh:
        return [r["comment-body"].strip() for r in csv.DictReader(fh) if r["comment-body"].strip()]


def fill(space_id: int, n: int, rng: np.random.Generator) -> None:
    texts = resident_texts()
    lats = rng.uniform(19.4316, 19.4336, n)
    lngs = rng.uniform(-99.1342, -99.1322, n)
    cats = rng.integers(0, len(DEFAULT_CATEGORIES), n)
    statuses = rng.choice(["published"] * 17 + ["adopted", "under_review", "pending"], n)
    rows = [
        dict(space_id=space_id, title=texts[i % len(texts)][:120], body=texts[i % len(texts)],
             category=DEFAULT_CATEGORIES[cats[i]], lat=float(lats[i]), lng=float(lngs[i]),
             status=str(statuses[i]))
        for i in range(n)
    ]
    db.session.execute(sa.insert(Idea), rows)
    db.session.commit()


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.create_all()
            space = Space(slug="bench", name="Bench", center_lat=19.4326, center_lng=-99.1332,
                          boundary=ZOCALO, phase="voting")
            db.session.add(space)
            db.session.commit()
            fill(space.id, args.ideas, np.random.default_rng(7))
            public = db.session.scalar(sa.select(sa.func.count(Idea.id)).where(Idea.status != "pending"))
            client = app.test_client()

            def get(encoding: str):
                response = client.get("/api/spaces/bench/ideas.geojson",
                                      headers={"Accept-Encoding": encoding})
                assert response.status_code == 200
                return response

            raw = get("identity").data
            zipped = get("gzip").data
            assert gzip.decompress(zipped) == raw
            def cold(encoding: str):
                app.extensions.pop("plaza_geojson", None)  # as right after an idea changed
                return get(encoding)

            t_cold = timed(lambda: cold("gzip"), args.repeats)
            t_raw = timed(lambda: get("identity"), args.repeats)
            t_gzip = timed(lambda: get("gzip"), args.repeats)
            rows = db.session.execute(sa.select(Idea.id, Idea.title, Idea.body)
                                      .where(Idea.status != "pending")).all()
            t_build = timed(lambda: build_index([(i, t, b) for i, t, b in rows]), 3)
            index = build_index([(i, t, b) for i, t, b in rows])
            queries = ["more trees and shade", "bike lanes downtown", "affordable housing",
                       "better public transport", "parks for children"]
            t_query = timed(lambda: [index.query(q) for q in queries], args.repeats)
            db.session.remove()
            db.drop_all()
    ms = lambda xs: f"{statistics.median(xs) * 1000:8.1f} ms"  # noqa: E731
    print(f"database: {url.split(':', 1)[0]}; ideas: {args.ideas} ({public} public)")
    print(f"{'figure':44} {'measured':>12}   target")
    print(f"{'GeoJSON server time, rebuilt after a change':44} {ms(t_cold):>12}   ≤ 150 ms")
    print(f"{'GeoJSON server time, unchanged, identity':44} {ms(t_raw):>12}   ≤ 150 ms")
    print(f"{'GeoJSON server time, unchanged, gzip':44} {ms(t_gzip):>12}   ≤ 150 ms")
    print(f"{'GeoJSON size, identity':44} {len(raw) / 1e6:9.2f} MB   ≤ 1.5 MB")
    print(f"{'GeoJSON size, gzip (what browsers get)':44} {len(zipped) / 1e6:9.2f} MB   ≤ 1.5 MB")
    print(f"{'similarity index build (median of 3)':44} {ms(t_build):>12}")
    print(f"{'similarity query (median per query)':44} "
          f"{statistics.median(t_query) / len(queries) * 1000:9.2f} ms")


if __name__ == "__main__":
    main()
