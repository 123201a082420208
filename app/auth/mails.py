"""The account e-mails, composed and sent by a job (app/jobs/tasks.py: send_account_mail)."""
from __future__ import annotations

from flask import url_for

from app.auth import tokens
from app.extensions import db
from app.mail import Recipient, compose, connection
from app.models import User
from app.text import _


def send_account_mail(kind: str, user_id: int, extra: dict) -> None:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        return
    to = Recipient(user.id, user.email, user.display_name, user.language)
    if kind == "email_change":  # the link goes to the new address
        to = Recipient(user.id, extra["new_email"], user.display_name, user.language)
    message = compose(to, f"account_{kind}", lambda: _values(kind, user, extra))
    with connection() as send:
        send(message)


def _values(kind: str, user: User, extra: dict) -> dict:
    """Subject, text and link of each account e-mail, inside the recipient's language."""
    if kind == "confirm":
        link = url_for("auth.confirm", token=tokens.confirmation_token(user.id, user.email, extra.get("next")),
                       _external=True)
        return {"subject": _("Confirm your e-mail address for Plaza"), "link": link}
    if kind == "already_registered":
        return {"subject": _("Someone tried to sign up to Plaza with your address"),
                "link": url_for("auth.forgot", _external=True),
                "login": url_for("auth.login", _external=True)}
    if kind == "reset":
        return {"subject": _("Reset your Plaza password"),
                "link": url_for("auth.reset", token=tokens.reset_token(user.id, user.password_hash), _external=True)}
    if kind == "email_change":
        return {"subject": _("Confirm your new e-mail address for Plaza"), "new_email": extra["new_email"],
                "link": url_for("account.confirm_email_change",
                                token=tokens.email_change_token(user.id, user.email, extra["new_email"]),
                                _external=True)}
    if kind == "email_changing":
        return {"subject": _("Your Plaza address is about to change"), "new_email": extra["new_email"],
                "link": url_for("auth.forgot", _external=True)}
    raise ValueError(f"unknown account mail {kind!r}")
