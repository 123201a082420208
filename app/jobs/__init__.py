"""Background jobs: Celery with Redis in production, the web process itself in the demo.

`submit(task, *ids)` is the one way to start a job. With CELERY_BROKER_URL set it goes on
the queue, for `celery --app wsgi:celery_app worker`; without it (the SQLite demo, tests)
it runs in a background thread of the web process. Either way the same task function runs,
and it is only ever submitted after a commit (app/core/events.py, after_commit), so a job
never sees a change that was rolled back. Tasks are thin: ids in, a domain function called.
"""
from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from celery import Celery, Task
from flask import Flask, current_app

log = logging.getLogger(__name__)

# Periodic jobs for `celery --app wsgi:celery_app beat`.
BEAT_SCHEDULE = {
    "sweep-notices": {"task": "plaza.sweep_notices", "schedule": 60.0},
    "send-digests": {"task": "plaza.send_digests", "schedule": 15 * 60.0},
}


def init_app(app: Flask) -> Celery:
    """The Celery app of this Flask app; each task runs inside the Flask app's context."""

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"] or "memory://",
        task_default_queue=app.config["CELERY_QUEUE"],
        task_ignore_result=True,
        task_acks_late=True,  # a worker killed mid-job leaves it on the queue for another
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=2,
        broker_transport_options={"max_retries": 1, "socket_timeout": 2, "socket_connect_timeout": 2},
        beat_schedule=dict(BEAT_SCHEDULE, **{"refit-due": {
            "task": "plaza.refit_due", "schedule": float(app.config["PLAZA_REFIT_EVERY_SECONDS"])}}),
        timezone=app.config.get("BABEL_DEFAULT_TIMEZONE", "UTC"),
    )
    celery.set_default()
    app.extensions["celery"] = celery
    app.extensions["plaza_jobs"] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="plaza-job")
    app.extensions["plaza_jobs_running"] = []
    from app.jobs import tasks

    tasks.register(celery)
    return celery


def queued() -> bool:
    """True when jobs go to a Celery worker; False when they run in this process (the demo)."""
    return bool(current_app.config["CELERY_BROKER_URL"])


def submit(task_name: str, *args: object) -> None:
    """Run the task `task_name` with `args` (ids) on the queue, or here in the background.

    A broker that is down loses nothing: every job's work is also recorded in the database
    (a pending notice, a fan-out not yet done), and the periodic sweep submits it again.
    """
    app = current_app._get_current_object()
    celery: Celery = app.extensions["celery"]
    if app.config["CELERY_BROKER_URL"]:
        try:
            celery.send_task(task_name, args=args, retry=False)
        except Exception:  # the broker is down: the sweep will find the work in the database
            log.warning("Could not queue %s%r; the sweep will queue it again", task_name, args, exc_info=True)
        return
    task = celery.tasks[task_name]
    future = app.extensions["plaza_jobs"].submit(_run_here, app, task, args)
    running: list[Future] = app.extensions["plaza_jobs_running"]
    running[:] = [f for f in running if not f.done()] + [future]


def _run_here(app: Flask, task: Task, args: tuple) -> None:
    with app.app_context():
        try:
            task.run(*args)
        except Exception:
            log.exception("Job %s%r failed", task.name, args)


def wait(app: Flask | None = None) -> None:
    """Block until the jobs run here are done (tests, `flask` commands)."""
    app = app or current_app._get_current_object()
    while True:
        running = [f for f in app.extensions.get("plaza_jobs_running", []) if not f.done()]
        if not running:
            return
        for future in running:
            future.result()
