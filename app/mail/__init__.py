"""Sending e-mail: Flask-Mail over SMTP, or .eml files in instance/outbox/ without a server.

Only jobs send mail (app/jobs/), never a request. Every message is built by `compose`: plain
text and HTML in the recipient's language, with one-click unsubscribe (RFC 8058) and a
footer link to the notification settings.
"""
from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask, current_app, render_template, url_for
from flask_babel import force_locale
from flask_mail import Mail, Message

mail = Mail()
_outbox_counter = itertools.count()


@dataclass(frozen=True)
class Recipient:
    """Who a message is for: enough to address it and to write it in their language."""

    user_id: int
    email: str
    name: str
    language: str


def init_app(app: Flask) -> None:
    app.config.setdefault("MAIL_SUPPRESS_SEND", False)  # tests talk to a real SMTP server
    mail.init_app(app)


def compose(recipient: Recipient, template: str, build: Callable[[], dict]) -> Message:
    """The message from mail/<template>.txt and .html, written in the recipient's language.

    `build()` returns the templates' values, "subject" included; it runs inside the
    recipient's language and a request context at PLAZA_BASE_URL, so what it translates and
    the links it makes come out right for them, whoever caused the message.
    """
    from app.notifications.settings import unsubscribe_token

    with _mail_context(), force_locale(recipient.language):
        unsubscribe = url_for("notifications.unsubscribe", token=unsubscribe_token(recipient.user_id),
                              _external=True)
        values = dict(build(), recipient=recipient, unsubscribe_url=unsubscribe,
                      settings_url=url_for("notifications.settings", _external=True))
        message = Message(
            subject=values["subject"], recipients=[(recipient.name, recipient.email)],
            body=render_template(f"mail/{template}.txt", **values),
            html=render_template(f"mail/{template}.html", **values),
            extra_headers={"List-Unsubscribe": f"<{unsubscribe}>",
                           "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                           "Content-Language": recipient.language},
        )
    return message


@contextmanager
def _mail_context():
    """A request context at Plaza's public address, so url_for(_external=True) works in jobs."""
    with current_app.test_request_context(base_url=current_app.config["PLAZA_BASE_URL"]):
        yield


@contextmanager
def connection() -> Iterator[Callable[[Message], None]]:
    """`send(message)` over one SMTP connection (or into the outbox folder) for many messages."""
    if not current_app.config["MAIL_SERVER"]:
        yield _write_to_outbox
        return
    with mail.connect() as smtp:
        yield smtp.send


def _write_to_outbox(message: Message) -> None:
    """Writes the message beside its name and renames it, so whoever reads the folder (an
    operator's mail reader, a test, another process's worker) finds whole messages only."""
    folder = current_app.config["PLAZA_OUTBOX"]
    os.makedirs(folder, exist_ok=True)
    name = f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{next(_outbox_counter):06d}.eml"
    partial = os.path.join(folder, f".{name}.part")
    with open(partial, "wb") as fh:
        fh.write(message.as_bytes())
    os.replace(partial, os.path.join(folder, name))
