"""Every background job, each a thin wrapper around a domain function, taking ids only.

A task is safe to run twice: the domain functions claim their rows first, so a retried or
duplicated message sends nothing twice.
"""
from __future__ import annotations

import smtplib

from celery import Celery

# Worth a retry: the SMTP server refused for now, timed out or could not be reached.
TRANSIENT = (smtplib.SMTPException, OSError)


def fan_out(event_id: int) -> None:
    from app.notifications.fanout import fan_out as run

    run(event_id)


def deliver(notice_ids: list[int]) -> None:
    from app.notifications.delivery import deliver_notices

    deliver_notices(notice_ids)


def sweep_notices() -> None:
    from app.notifications.delivery import sweep

    sweep()


def send_digests() -> None:
    from app.notifications.digests import send_due_digests

    send_due_digests()


def send_account_mail(kind: str, user_id: int, extra: dict | None = None) -> None:
    from app.auth.mails import send_account_mail as run

    run(kind, user_id, extra or {})


def refit_space(space_id: int) -> None:
    from app.pairwise.refits import run_refit

    run_refit(space_id)


def refit_due() -> None:
    """The beat's refit interval: a refit job for each space whose stored fit is behind."""
    from app import jobs
    from app.pairwise.refit_job import spaces_behind

    for space_id in spaces_behind():
        jobs.submit("plaza.refit_space", space_id)


def quadratic_standings(space_id: int) -> None:
    from app.qv.stored import refresh_standings

    refresh_standings(space_id)


def register(celery: Celery) -> None:
    """Name the tasks on this Celery app (several Flask apps, several Celery apps, in tests)."""
    retrying = {"autoretry_for": TRANSIENT, "retry_backoff": 5, "retry_backoff_max": 600,
                "retry_jitter": True, "max_retries": 6}
    celery.task(name="plaza.fan_out")(fan_out)
    celery.task(name="plaza.deliver", **retrying)(deliver)
    celery.task(name="plaza.sweep_notices")(sweep_notices)
    celery.task(name="plaza.send_digests")(send_digests)
    celery.task(name="plaza.send_account_mail", **retrying)(send_account_mail)
    celery.task(name="plaza.refit_space")(refit_space)
    celery.task(name="plaza.refit_due")(refit_due)
    celery.task(name="plaza.quadratic_standings")(quadratic_standings)
