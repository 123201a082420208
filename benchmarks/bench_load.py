"""Load: Plaza under gunicorn (2 workers) on PostgreSQL, many voters at once, next to bare Flask.

Run: `.venv/bin/python -m benchmarks.bench_load [--seconds 30] [--clients 32] [--residents 8]
[--database-url postgresql+psycopg://postgres@127.0.0.1:5432/plaza_load] [--py-spy DIR]`.

It empties and rebuilds its own database (the name must contain "load"), builds the schema
with `flask db upgrade`, seeds the demo space with `flask seed-demo --with-votes`, creates
resident accounts with `flask create-user`, and serves Plaza and a bare Flask app
(`benchmarks/load_app.py`) with `gunicorn -w 2` on 127.0.0.1, one after the other. Each
client is one person with its own cookie jar: anonymous voters GET a pair and POST their
vote (CSRF token from the page's meta tag), logged-in residents PUT QV ballots. Afterwards
every acknowledged vote and ballot is checked in the database. Goals (issue 8): Plaza's
throughput ≥ 0.5 of the bare endpoint's, p99 < 100 ms. Servers, database and CPU meters are
in `benchmarks/load_harness.py`; the meaning of each figure is in `benchmarks/README.md`.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import re
import secrets
import signal
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.demo import zocalo
from app.models import SKIP_REASONS, Idea, PairwiseVote, QVAllocation, QVBallot, Space, User, Voter
from app.statuses import VOTABLE_STATUSES
from benchmarks.load_harness import PY_SPY, Server, cpu_meter, cpu_used, flask_cli, prepare_database, profile

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/plaza_load"
PASSWORD = "load-" + secrets.token_hex(8)
SLUG = zocalo.SLUG
IDEAS_WANTED = 50


# ---------------------------------------------------------------------------------------
# Clients


@dataclass
class Run:
    """What one phase measured, and what the server acknowledged."""

    window: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    late: int = 0  # requests that finished after the window (counted for integrity only)
    votes: list[dict] = field(default_factory=list)  # acknowledged with 201
    replays: int = 0
    unknown_votes: int = 0  # sent but never answered: stored or not, nobody knows
    ballots: dict[str, dict] = field(default_factory=dict)  # email -> last acknowledged ballot
    exhausted: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds used in the window, by whom


async def call(session, run: Run, deadline: float, label: str, method: str, url: str, **kwargs):
    """One request: (status, parsed JSON or text); latency kept if it ended inside the window."""
    start = time.perf_counter()
    try:
        async with session.request(method, url, **kwargs) as response:
            body = await response.read()
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        run.statuses[label][type(exc).__name__] += 1
        return None, None
    if time.monotonic() <= deadline:
        run.latencies[label].append(time.perf_counter() - start)
        run.statuses[label][status] += 1
    else:
        run.late += 1
    is_json = response.content_type == "application/json"
    return status, json.loads(body) if is_json else body.decode("utf-8", "replace")


def new_session(timeout: float) -> aiohttp.ClientSession:
    # unsafe=True: keep cookies from an IP-address host (127.0.0.1), like a browser does.
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                 timeout=aiohttp.ClientTimeout(total=timeout))


async def page_token(session, url: str) -> str:
    async with session.get(url) as response:
        match = CSRF_META.search(await response.text())
    if not match:
        raise RuntimeError(f"no csrf meta tag on {url}")
    return match.group(1)


async def log_in(session, base: str, email: str) -> str:
    token = await page_token(session, f"{base}/auth/login")
    async with session.post(f"{base}/auth/login", allow_redirects=False,
                            data={"email": email, "password": PASSWORD, "csrf_token": token}) as response:
        if response.status != 302:
            raise RuntimeError(f"login of {email} answered {response.status}")
    return await page_token(session, f"{base}/spaces/{SLUG}/qv")


async def voter(session, token: str, base: str, run: Run, deadline: float, rng) -> None:
    """An anonymous voter: a pair, a vote, again, until the window closes."""
    headers = {"X-CSRFToken": token}
    while time.monotonic() < deadline:
        status, pair = await call(session, run, deadline, "GET pair", "GET", f"{base}/api/spaces/{SLUG}/pair")
        if status == 404:
            run.exhausted += 1
            return
        if status != 200:
            continue
        choice = str(rng.choice(["left", "right", "left", "right", "tie", "skip"]))
        payload = {"pair_id": pair["pair_id"], "choice": choice,
                   "reason": str(rng.choice(SKIP_REASONS)) if choice == "skip" else None}
        status, body = await call(session, run, deadline, "POST pairwise-votes", "POST",
                                  f"{base}/api/spaces/{SLUG}/pairwise-votes", json=payload, headers=headers)
        if status == 201:
            run.votes.append({"id": body["id"], "client": id(session), "choice": choice,
                              "reason": payload["reason"], "left": pair["left"]["id"],
                              "right": pair["right"]["id"]})
        elif status == 200:
            run.replays += 1
        elif status is None:
            run.unknown_votes += 1


def random_ballot(rng, idea_ids: list[int], budget: int) -> dict[str, int]:
    """Votes on 1-5 ideas within the budget (n votes cost n² credits)."""
    left, ballot = budget, {}
    for idea_id in rng.choice(idea_ids, int(rng.integers(1, 6)), replace=False):
        most = math.isqrt(left)
        if most == 0:
            break
        votes = int(rng.integers(1, most + 1))
        ballot[str(int(idea_id))] = votes
        left -= votes * votes
    return ballot


async def resident(session, token: str, email: str, base: str, run: Run, deadline: float, rng,
                   idea_ids: list[int], budget: int) -> None:
    """A logged-in resident saving one QV ballot after another (as the page's script does)."""
    headers = {"X-CSRFToken": token}
    while time.monotonic() < deadline:
        ballot = random_ballot(rng, idea_ids, budget)
        status, body = await call(session, run, deadline, "PUT qv-ballot", "PUT",
                                  f"{base}/api/spaces/{SLUG}/qv-ballot", json={"allocations": ballot},
                                  headers=headers)
        if status == 200:
            run.ballots[email] = body["allocations"]
        elif status is None:
            run.ballots.pop(email, None)  # outcome unknown: nothing to check for this voter


async def bare_client(session, base: str, run: Run, deadline: float) -> None:
    """The same two-request rhythm as a voter, against an endpoint that does nothing."""
    payload = {"pair_id": "x" * 120, "choice": "left", "reason": None}
    while time.monotonic() < deadline:
        await call(session, run, deadline, "GET /ping", "GET", f"{base}/ping")
        await call(session, run, deadline, "POST /ping", "POST", f"{base}/ping", json=payload)


async def plaza_phase(base: str, args, emails: list[str], idea_ids: list[int], budget: int,
                      meter) -> Run:
    run = Run(window=args.seconds)
    sessions = [new_session(args.timeout) for _ in range(args.clients)]
    try:
        voters = sessions[len(emails):]
        tokens = await asyncio.gather(*(page_token(s, f"{base}/spaces/{SLUG}/vote") for s in voters))
        resident_tokens = await asyncio.gather(*(log_in(s, base, e) for s, e in zip(sessions, emails)))
        start = meter()
        deadline = time.monotonic() + args.seconds
        await asyncio.gather(
            *(voter(s, t, base, run, deadline, np.random.default_rng(i))
              for i, (s, t) in enumerate(zip(voters, tokens))),
            *(resident(s, t, e, base, run, deadline, np.random.default_rng(1000 + i), idea_ids, budget)
              for i, (s, t, e) in enumerate(zip(sessions, resident_tokens, emails))),
        )
        run.cpu = cpu_used(start, meter())
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return run


async def bare_phase(base: str, args, meter) -> Run:
    run = Run(window=args.seconds)
    sessions = [new_session(args.timeout) for _ in range(args.clients)]
    try:
        start = meter()
        deadline = time.monotonic() + args.seconds
        await asyncio.gather(*(bare_client(s, base, run, deadline) for s in sessions))
        run.cpu = cpu_used(start, meter())
    finally:
        await asyncio.gather(*(s.close() for s in sessions))
    return run


# ---------------------------------------------------------------------------------------
# Set-up through the app's own commands and API, integrity check, report


async def add_ideas(base: str, email: str, missing: int) -> None:
    """Bring the demo space to IDEAS_WANTED ideas through the API, as a resident would."""
    async with new_session(30) as session:
        token = await log_in(session, base, email)
        for n in range(missing):
            lat, lng = zocalo.position(0.1 + 0.8 * (n % 6) / 5, 0.1 + 0.8 * (n // 6) / 4)
            idea = {"title": f"Idea de carga {n + 1}", "body": "Added by the load benchmark.",
                    "category": "other", "lat": lat, "lng": lng}
            async with session.post(f"{base}/api/spaces/{SLUG}/ideas", json=idea,
                                    headers={"X-CSRFToken": token}) as response:
                if response.status != 201:
                    raise RuntimeError(f"adding an idea answered {response.status}: {await response.text()}")


def votable_ideas(engine) -> tuple[list[int], int, int]:
    with Session(engine) as s:
        space = s.scalar(sa.select(Space).where(Space.slug == SLUG))
        ids = s.scalars(sa.select(Idea.id).where(Idea.space_id == space.id,
                                                 Idea.status.in_(VOTABLE_STATUSES))).all()
        count = s.scalar(sa.select(sa.func.count(Idea.id)).where(Idea.space_id == space.id))
        return list(ids), space.qv_budget, count


def check_integrity(engine, run: Run, votes_before: int) -> list[tuple[str, bool, str]]:
    """(check, passed, detail): each acknowledged vote stored once, as sent; ballots as last saved."""
    ids = [v["id"] for v in run.votes]
    with Session(engine) as s:
        rows = {r.id: r for r in s.scalars(sa.select(PairwiseVote).where(PairwiseVote.id.in_(ids)))}
        total = s.scalar(sa.select(sa.func.count(PairwiseVote.id)))
        low = sa.func.least(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id)
        high = sa.func.greatest(PairwiseVote.left_idea_id, PairwiseVote.right_idea_id)
        doubled = s.execute(sa.select(PairwiseVote.voter_id, low, high)
                            .group_by(PairwiseVote.voter_id, low, high).having(sa.func.count() > 1)).all()
        mismatched = [v for v in run.votes if v["id"] in rows and (
            rows[v["id"]].choice, rows[v["id"]].skip_reason, rows[v["id"]].left_idea_id,
            rows[v["id"]].right_idea_id) != (v["choice"], v["reason"], v["left"], v["right"])]
        voters_of = defaultdict(set)
        for v in run.votes:
            if v["id"] in rows:
                voters_of[v["client"]].add(rows[v["id"]].voter_id)
        shared = len({next(iter(x)) for x in voters_of.values()}) != len(voters_of)
        ballots_wrong = []
        for email, acked in run.ballots.items():
            stored = dict(s.execute(
                sa.select(QVAllocation.idea_id, QVAllocation.votes).join(QVBallot)
                .join(Voter, Voter.id == QVBallot.voter_id).join(User, User.id == Voter.user_id)
                .where(User.email == email)).all())
            credits = s.scalar(sa.select(QVBallot.credits_used).join(Voter, Voter.id == QVBallot.voter_id)
                               .join(User, User.id == Voter.user_id).where(User.email == email))
            expected = {int(k): n for k, n in acked.items()}
            if stored != expected or credits != sum(n * n for n in expected.values()):
                ballots_wrong.append(email)
    new = total - votes_before
    return [
        ("acknowledged vote ids are distinct", len(set(ids)) == len(ids), f"{len(ids)} acknowledged"),
        ("each acknowledged vote is stored (once: primary key)", len(rows) == len(ids),
         f"{len(rows)} of {len(ids)} found"),
        ("stored votes are what was sent", not mismatched, f"{len(mismatched)} differ"),
        ("new rows = acknowledged new votes", new - len(ids) <= run.unknown_votes and new >= len(ids),
         f"{new} new rows, {len(ids)} acknowledged, {run.unknown_votes} unanswered"),
        ("no voter has a pair twice", not doubled, f"{len(doubled)} doubled"),
        ("one voter per client, none shared", all(len(x) == 1 for x in voters_of.values()) and not shared,
         f"{len(voters_of)} voting clients"),
        ("each QV ballot = its last acknowledged PUT", not ballots_wrong,
         f"{len(run.ballots) - len(ballots_wrong)} of {len(run.ballots)} residents match"),
    ]


def figures(run: Run, labels: list[str] | None = None) -> tuple[int, float, float, float, int]:
    """(requests, req/s, p50 ms, p99 ms, non-2xx/3xx) over the labels (all by default)."""
    labels = labels or list(run.statuses)
    lat = np.array([x for k in labels for x in run.latencies[k]]) * 1000
    errors = sum(n for k in labels for status, n in run.statuses[k].items()
                 if not (isinstance(status, int) and status < 400))
    if not len(lat):
        return 0, 0.0, float("nan"), float("nan"), errors
    p50, p99 = (float(np.percentile(lat, q)) for q in (50, 99))
    return len(lat), len(lat) / run.window, p50, p99, errors


def report(args, plaza: Run, bare: Run, checks, ideas: int) -> bool:
    print(f"\nLoad benchmark: {args.seconds:g} s per phase, {args.clients} concurrent clients "
          f"({args.clients - args.residents} anonymous pairwise voters, {args.residents} residents "
          f"saving QV ballots), gunicorn -w {args.workers} (sync workers), PostgreSQL, {ideas} ideas; "
          f"abuse limits {'on' if args.with_limits else 'off'}.")
    print(f"This machine has {os.cpu_count()} cores, shared by the client, both servers and PostgreSQL "
          f"(load average {args.load_before:.1f} before the run, from other work on the machine): "
          "the figures are lower bounds of what separate machines would measure.\n")
    rows = [("Plaza mix (all requests)", figures(plaza))]
    rows += [(f"  {label}", figures(plaza, [label])) for label in sorted(plaza.statuses)]
    rows += [("bare Flask (GET+POST /ping)", figures(bare))]
    print(f"| {'endpoint':<30} | {'requests':>8} | {'req/s':>7} | {'p50 ms':>7} | {'p99 ms':>7} "
          f"| {'errors':>6} |")
    print(f"| {'-' * 30} | {'-' * 8}:| {'-' * 7}:| {'-' * 7}:| {'-' * 7}:| {'-' * 6}:|")
    for name, (n, rps, p50, p99, err) in rows:
        print(f"| {name:<30} | {n:>8} | {rps:>7.1f} | {p50:>7.1f} | {p99:>7.1f} | {err:>6} |")
    print("\nCPU per request in the window (ms; whole machine: "
          f"{os.cpu_count()} cores x {args.seconds:g} s = {os.cpu_count() * args.seconds * 1000:,.0f} ms):")
    for name, run in (("Plaza mix", plaza), ("bare Flask", bare)):
        n = max(figures(run)[0], 1)
        parts = ", ".join(f"{who} {seconds * 1000 / n:.2f}" for who, seconds in run.cpu.items())
        print(f"  {name}: {parts}; total {sum(run.cpu.values()) / args.seconds:.0%} of one core")
    ratio = figures(plaza)[1] / max(figures(bare)[1], 1e-9)
    p99 = figures(plaza)[3]
    goals = [(f"throughput ratio Plaza / bare = {ratio:.2f} (goal >= 0.5)", ratio >= 0.5),
             (f"Plaza p99 = {p99:.1f} ms (goal < 100 ms)", p99 < 100)]
    print()
    for text, ok in goals:
        print(f"{'PASS' if ok else 'MISS'}  {text}")
    rps = max(figures(plaza)[1], 1e-9)
    print(f"      (each client waits for its answer before the next request, so the mean latency is "
          f"about clients / throughput = {args.clients} / {rps:.0f} req/s = {args.clients / rps * 1000:.0f} ms; "
          f"a p99 under 100 ms with {args.clients} clients needs well over {args.clients * 10} req/s)")
    statuses = {k: dict(v) for k, v in plaza.statuses.items()}
    print(f"\nPlaza statuses: {statuses}; {plaza.late} requests ended after the window; "
          f"{plaza.exhausted} voters ran out of pairs; {plaza.replays} replays.")
    print("\nIntegrity (checked in the database after the run):")
    for text, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}: {detail}")
    return all(ok for _, ok, _ in checks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--residents", type=int, default=8, help="clients saving QV ballots")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30, help="per request, seconds")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--py-spy", type=Path, metavar="DIR", help="profile Plaza's workers into DIR")
    parser.add_argument("--with-limits", action="store_true",
                        help="keep Flask-Limiter's abuse limits on (expect 429s: all clients share one IP)")
    args = parser.parse_args()
    if not 0 <= args.residents < args.clients:
        parser.error("--residents must be below --clients")
    if args.py_spy and not PY_SPY.exists():
        parser.error(f"--py-spy needs {PY_SPY}: .venv/bin/pip install py-spy")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop servers on kill too
    args.load_before = os.getloadavg()[0]

    # Abuse limits off unless asked: every simulated voter shares 127.0.0.1 and votes far faster
    # than a person (the limits allow 60 votes a minute per voter, 1,200 per IP).
    env = {**os.environ, "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": args.database_url,
           "RATELIMIT_ENABLED": "1" if args.with_limits else "0"}
    env.pop("FLASK_DEBUG", None)
    print("Preparing the database, schema, demo data and accounts ...", flush=True)
    prepare_database(args.database_url)
    flask_cli(env, "db", "upgrade")
    flask_cli(env, "seed-demo", "--with-votes")
    emails = [f"load{n}@plaza.example" for n in range(max(args.residents, 1))]
    with ThreadPoolExecutor(2) as pool:  # one process per account; two cores
        list(pool.map(lambda e: flask_cli(env, "create-user", "--email", e, "--password", PASSWORD,
                                          "--role", "resident"), emails))
    emails = emails[:args.residents]
    engine = sa.create_engine(args.database_url)
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="plaza-load-") as logs:
        stack.callback(engine.dispose)
        plaza = Server("plaza", "wsgi:app", env, args.workers, Path(logs))
        stack.callback(plaza.stop)
        plaza.wait_ready("/")
        _, budget, count = votable_ideas(engine)
        if count < IDEAS_WANTED:
            asyncio.run(add_ideas(plaza.base, "load0@plaza.example", IDEAS_WANTED - count))
        idea_ids, budget, count = votable_ideas(engine)
        with Session(engine) as s:
            votes_before = s.scalar(sa.select(sa.func.count(PairwiseVote.id)))
        print(f"Plaza at {plaza.base} ({count} ideas); {args.seconds:g} s of voting ...", flush=True)
        spies = profile(plaza, args.py_spy, args.seconds) if args.py_spy else []
        plaza_run = asyncio.run(plaza_phase(plaza.base, args, emails, idea_ids, budget,
                                            cpu_meter(plaza, engine)))
        for spy in spies:
            spy.wait(60)
        plaza.stop()

        bare = Server("bare", "benchmarks.load_app:create_app()", env, args.workers, Path(logs))
        stack.callback(bare.stop)
        bare.wait_ready("/ping")
        print(f"Bare Flask at {bare.base}; {args.seconds:g} s ...", flush=True)
        bare_run = asyncio.run(bare_phase(bare.base, args, cpu_meter(bare)))
        bare.stop()
        checks = check_integrity(engine, plaza_run, votes_before)
    ok = report(args, plaza_run, bare_run, checks, count)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
