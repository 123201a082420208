"""Benchmark the stored fit (issue 14): the refit job at scale, and a fresh web worker's first read.

    .venv/bin/python -m benchmarks.bench_cluster [--votes 2000000] [--ideas 10000] [--quick]
                                                 [--database-url URL]

PostgreSQL by default (the local `test` database; every table is dropped afterwards). The
votes (by 50,000 voters, each pair once per voter) are loaded with COPY. It measures, in one
run, against the issue's targets:

- a full rebuild by the refit job (every vote read with the binary COPY, fitted, stored);
- the refit job after 1% new votes (only those are read, the fit starts from the stored one);
- the first pair read of a freshly started web worker: a new app reading the stored fit and
  building the chooser (no fitting), and how much memory it added;
- the bulk vote reader on its own.

Not measured here (see the closing note): refit CPU summed over 1-8 gunicorn workers, and the
vote path's p99 under 32 clients while refits run (benchmarks/bench_load.py measures the vote
path without refits).
"""
from __future__ import annotations

import argparse
import io
import resource
import time

import numpy as np
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import Idea, Space
from app.pairwise import refit_job
from app.pairwise.refit_job import refit_space
from app.pairwise.refits import refitter
from app.pairwise.vote_reader import VoteKeeper, read_votes

TARGETS = {"incremental": 1.0, "full": 3.0, "first_read_ms": 50.0}
VOTERS = 50_000


def load(space_id: int, ideas: int, votes: int, seed: int, first_voter: int = 0) -> None:
    """`votes` Bradley-Terry answers over the space's ideas, by VOTERS voters, loaded with COPY."""
    rng = np.random.default_rng(seed)
    idea_ids = np.array(sorted(db.session.scalars(sa.select(Idea.id).where(Idea.space_id == space_id))))
    theta = rng.normal(size=idea_ids.size)
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy("COPY voters (id, anon_key, created_at) FROM STDIN") as copy:
            for n in range(first_voter, first_voter + VOTERS):
                copy.write_row((n + 1, f"bench-{n}", "2026-12-01T00:00:00Z"))
        voter = rng.integers(first_voter + 1, first_voter + VOTERS + 1, size=int(votes * 1.02))
        a = rng.integers(0, ideas, size=voter.size)
        b = (a + rng.integers(1, ideas, size=voter.size)) % ideas
        low, high = np.minimum(a, b), np.maximum(a, b)
        _, first = np.unique(np.stack([voter, low, high], axis=1), axis=0, return_index=True)
        keep = np.sort(first)[:votes]
        voter, a, b = voter[keep], a[keep], b[keep]
        left_wins = rng.random(voter.size) < 1 / (1 + np.exp(theta[b] - theta[a]))
        choice = np.where(left_wins, "left", "right")
        text = io.StringIO()
        for row in zip(voter.tolist(), idea_ids[a].tolist(), idea_ids[b].tolist(), choice.tolist()):
            text.write(f"{space_id}\t{row[0]}\t{row[1]}\t{row[2]}\t{row[3]}\t2026-12-01T00:00:00Z\n")
        with cursor.copy("COPY pairwise_votes (space_id, voter_id, left_idea_id, right_idea_id, choice, "
                         "created_at) FROM STDIN") as copy:
            copy.write(text.getvalue())
    db.session.commit()


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=2_000_000)
    parser.add_argument("--ideas", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="200,000 votes over 2,000 ideas")
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if args.quick:
        args.votes, args.ideas = 200_000, 2_000
    config = {"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": args.database_url,
              "CELERY_BROKER_URL": None, "RATELIMIT_ENABLED": False}
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            space = Space(slug="bench", name="Bench", center_lat=19.43, center_lng=-99.13, phase="voting")
            db.session.add(space)
            db.session.flush()
            db.session.execute(sa.insert(Idea), [
                dict(space_id=space.id, title=f"Idea {n}", category="greenery", lat=19.43, lng=-99.13,
                     status="published") for n in range(args.ideas)])
            db.session.commit()
            space_id = space.id
            started = time.perf_counter()
            load(space_id, args.ideas, args.votes, seed=1)
            print(f"loaded {args.votes:,} votes over {args.ideas:,} ideas in {time.perf_counter() - started:.1f} s "
                  f"({args.database_url.split('://')[0]})")

            started = time.perf_counter()
            votes = read_votes(db.session, space_id)
            db.session.commit()
            print(f"bulk read (COPY BINARY into numpy): {len(votes):,} votes in {time.perf_counter() - started:.2f} s")

            refit_job.keeper = VoteKeeper()
            full = refit_space(space_id, full=True)
            print(f"full rebuild: {full.seconds:.2f} s wall (target <= {TARGETS['full']} s) "
                  f"{'met' if full.seconds <= TARGETS['full'] else 'MISSED'}")
            load(space_id, args.ideas, args.votes // 100, seed=2, first_voter=VOTERS)
            step = refit_space(space_id)
            print(f"refit after +1% votes: {step.seconds:.2f} s wall, read all: {step.read_all} "
                  f"(target <= {TARGETS['incremental']} s) {'met' if step.seconds <= TARGETS['incremental'] else 'MISSED'}")
            first_read(config, space_id)
        finally:
            db.session.remove()
            db.drop_all()


def first_read(config: dict, space_id: int) -> None:
    """A web worker started after the fit was stored: its first pair read, and its memory."""
    web = create_app(config)
    before = rss_mb()
    with web.app_context():
        started = time.perf_counter()
        standings = refitter().current(space_id)
        elapsed = (time.perf_counter() - started) * 1000
        standings.chooser.choose(set(), np.random.default_rng(0))
        print(f"first read of a fresh web worker: {elapsed:.1f} ms (target <= {TARGETS['first_read_ms']:.0f} ms) "
              f"{'met' if elapsed <= TARGETS['first_read_ms'] else 'MISSED'}; memory +{rss_mb() - before:.1f} MB, "
              f"{standings.votes:,} votes served, no vote arrays held")
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
