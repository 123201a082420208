"""`flask --app wsgi notices ...`: the periodic e-mail jobs, by hand or from cron."""
from __future__ import annotations

import click

from app import jobs


@click.group("notices")
def notices_command() -> None:
    """E-mail jobs that beat runs on its own when CELERY_BROKER_URL is set."""


@notices_command.command("digests")
def digests_command() -> None:
    """Send the daily and weekly digests that are due (safe to run often)."""
    from app.notifications.digests import send_due_digests

    sent = send_due_digests()
    jobs.wait()
    click.echo(f"Sent {sent} digest(s).")


@notices_command.command("sweep")
def sweep_command() -> None:
    """Queue again what a broker outage or a crash left waiting, and close interrupted sends."""
    from app.notifications.delivery import sweep

    sweep()
    jobs.wait()
    click.echo("Swept.")
