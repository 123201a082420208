"""Benchmark notices: what a decision with 10,000 followers costs its request, and how fast the
worker's work then delivers the 10,000 messages to an SMTP server on 127.0.0.1.

    .venv/bin/python -m benchmarks.bench_notices [--followers 10000] [--database-url URL]

PostgreSQL by default (the local `test` database; everything is dropped afterwards). The
request goes through the real view with a broker configured but no worker listening, so it
pays only for what it does itself: the decision, its audit entry, one outbox row and the
enqueue. The worker's part (fan-out, then batches of 100 deliveries, each message claimed,
composed in the recipient's language and sent over one SMTP connection per batch) runs in
this process against aiosmtpd, which accepts each message and keeps nothing.
"""
from __future__ import annotations

import argparse
import re
import socket
import statistics
import time
from datetime import datetime, timezone

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app import create_app
from app.extensions import db
from app.models import Follow, Idea, Notice, NoticeEvent, Space, User
from app.notifications.delivery import deliver_notices
from app.notifications.fanout import DELIVER_BATCH, fan_out

REQUEST_TARGET_MS = 50.0
PASSWORD = "correct horse battery"


class Counting:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed(followers: int) -> tuple[int, int]:
    now = datetime.now(timezone.utc)
    staff = User(email="jefa@city.gob.mx", display_name="Jefa", role="staff", email_confirmed_at=now)
    staff.set_password(PASSWORD)
    space = Space(slug="zocalo", name="Zócalo", center_lat=19.43, center_lng=-99.13, phase="voting")
    db.session.add_all([staff, space])
    db.session.flush()
    idea = Idea(space_id=space.id, title="Shade for the market", category="greenery", lat=19.43, lng=-99.13)
    db.session.add(idea)
    db.session.flush()
    hashed = staff.password_hash
    db.session.execute(sa.insert(User), [
        {"email": f"follower{n}@example.org", "display_name": f"Follower {n}", "password_hash": hashed,
         "role": "resident", "email_confirmed_at": now, "notify": "immediately",
         "language": "es" if n % 2 else "en", "created_at": now} for n in range(followers)])
    ids = db.session.scalars(sa.select(User.id).where(User.role == "resident")).all()
    db.session.execute(sa.insert(Follow), [{"user_id": i, "idea_id": idea.id, "created_at": now} for i in ids])
    db.session.commit()
    return staff.id, idea.id


def decide_request(client, idea_id: int, status: str) -> float:
    page = client.get(f"/staff/spaces/zocalo/ideas/{idea_id}/decide").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    start = time.perf_counter()
    response = client.post(f"/staff/spaces/zocalo/ideas/{idea_id}/decide",
                           data={"status": status, "response": "We plant 40 trees in March.", "csrf_token": token})
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 302, response.status_code
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()

    handler, port = Counting(), free_port()
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": args.database_url,
                      "RATELIMIT_ENABLED": False, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                      # A broker nobody consumes from: the request only queues its job.
                      "CELERY_BROKER_URL": "redis://127.0.0.1:6379/10", "CELERY_QUEUE": "bench-notices"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        try:
            staff_id, idea_id = seed(args.followers)
            client = app.test_client()
            page = client.get("/auth/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
            client.post("/auth/login", data={"email": "jefa@city.gob.mx", "password": PASSWORD, "csrf_token": token})
            timings = [decide_request(client, idea_id, status) for status in
                       ("under_review", "adopted", "under_review", "adopted", "under_review")]
            event_id = db.session.scalar(sa.select(sa.func.max(NoticeEvent.id)))
            start = time.perf_counter()
            created = fan_out(event_id)
            fanned = time.perf_counter() - start
            ids = db.session.scalars(sa.select(Notice.id).where(Notice.event_id == event_id).order_by(Notice.id)).all()
            start = time.perf_counter()
            for first in range(0, len(ids), DELIVER_BATCH):
                deliver_notices(ids[first:first + DELIVER_BATCH])
            sent_s = time.perf_counter() - start
            sent = db.session.scalar(sa.select(sa.func.count(Notice.id)).where(
                Notice.event_id == event_id, Notice.status == "sent"))
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
            smtp.stop()
            import redis
            redis.Redis.from_url("redis://127.0.0.1:6379/10").flushdb()

    print(f"followers: {args.followers:,} ({args.database_url.split('://')[0]})")
    print(f"decision request: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms "
          f"(target <= {REQUEST_TARGET_MS:.0f} ms): {'met' if statistics.median(timings) <= REQUEST_TARGET_MS else 'MISSED'}")
    print(f"fan-out: {created:,} notices in {fanned * 1000:.0f} ms")
    print(f"delivery: {sent:,} messages to SMTP in {sent_s:.1f} s = {sent / sent_s:.0f} messages/s "
          f"(server received {handler.count:,})")


if __name__ == "__main__":
    main()
