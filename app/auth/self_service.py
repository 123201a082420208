"""What people do with their own account: sign up, confirm, reset, change, delete.

Each function changes the session and records the e-mail to send as an event; the mail goes
out from a job after the commit (app/auth/mails.py), never inside the request. Sign-up and
"forgot my password" answer the same whether or not the address has an account, so neither
tells anyone who is registered here.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timezone

import sqlalchemy as sa

from app import jobs
from app.auth import login_sessions, tokens
from app.auth.accounts import AccountError, change_password, create_account
from app.core import events
from app.core.errors import Conflict, Invalid
from app.core.events import AFTER_COMMIT, Event, subscribe
from app.extensions import db
from app.models import Follow, Notice, User
from app.models.columns import utcnow
from app.models.user import normalize_email
from app.text import _

DELETED_NAME = "Deleted account"


@dataclass(frozen=True)
class AccountMailWanted(Event):
    """An account e-mail to send once the change is committed (app/auth/mails.py)."""

    kind: str  # confirm, already_registered, reset, email_change, email_changed
    user_id: int
    extra: dict = field(default_factory=dict)


@subscribe(AccountMailWanted, phase=AFTER_COMMIT)
def _send_after_commit(event: AccountMailWanted) -> None:
    jobs.submit("plaza.send_account_mail", event.kind, event.user_id, event.extra)


def _mail(kind: str, user: User, **extra) -> None:
    events.record(db.session, AccountMailWanted(kind, user.id, extra))


def sign_up(email: str, password: str, display_name: str, language: str, next_url: str | None,
            accepted_terms: bool) -> None:
    """A new, unconfirmed account and its confirmation link; for an address that has an
    account already, a message to its owner instead. The caller commits either way.

    Nobody gets an account without accepting the terms of use and the privacy notice; the
    account keeps when they did.
    """
    if not accepted_terms:
        message = _("Accept the terms of use and the privacy notice to create an account.")
        raise Invalid(message, {"accept_terms": message})
    existing = db.session.scalar(User.by_email(email))
    if existing is not None:
        if existing.deleted_at is None:
            _mail("already_registered", existing)
        return
    user = create_account(email, password, display_name)
    user.language = language
    user.terms_accepted_at = utcnow()
    db.session.flush()
    _mail("confirm", user, next=next_url or "")


def resend_confirmation(user: User) -> None:
    if user.email_confirmed_at is None:
        _mail("confirm", user)


def confirm(token: str) -> tuple[User, str | None]:
    """Confirm the address a link names; the account and where to go next.

    tokens.LinkError for an expired or forged link, or one for an address the account no
    longer has. A link used twice simply finds the address confirmed.
    """
    link = tokens.read_confirmation(token)
    user = db.session.get(User, link.user_id)
    if user is None or user.deleted_at is not None or user.email != link.email:
        raise tokens.LinkError(expired=False)
    user.confirm_email()
    return user, link.next


def request_reset(email: str) -> None:
    """A reset link for the account with this address, if there is one (nothing tells)."""
    user = db.session.scalar(User.by_email(email))
    if user is not None and user.deleted_at is None:
        _mail("reset", user)


def check_reset(token: str) -> User:
    """The account a reset link is for, if the link is still good (not used, not expired)."""
    user_id, fingerprint = tokens.read_reset(token)
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or tokens.password_fingerprint(user.password_hash) != fingerprint:
        raise tokens.LinkError(expired=False)
    return user


def reset_password(token: str, password: str) -> User:
    """A new password from a reset link; every login of the account ends. The link opened
    from the mail also shows the address is the person's: it counts as confirmed."""
    user = check_reset(token)
    user.session_token = None
    change_password(user, password)
    user.confirm_email()
    return user


def request_email_change(user: User, new_email: str, password: str) -> None:
    """A confirmation link to the new address and a word to the old one; nothing changes
    until the link is followed."""
    new_email = normalize_email(new_email)
    if not user.check_password(password):
        raise Invalid(_("That is not your current password."), {"password": _("That is not your current password.")})
    if "@" not in new_email or new_email.startswith("@") or new_email.endswith("@"):
        raise Invalid(_("Enter an e-mail address like name@example.org."),
                      {"email": _("Enter an e-mail address like name@example.org.")})
    if new_email == user.email:
        raise Invalid(_("This is already your address."), {"email": _("This is already your address.")})
    _mail("email_change", user, new_email=new_email)
    _mail("email_changing", user, new_email=new_email)


def apply_email_change(token: str) -> User:
    user_id, old_email, new_email = tokens.read_email_change(token)
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise tokens.LinkError(expired=False)
    if user.email == new_email:
        return user  # followed twice
    if user.email != old_email:
        raise tokens.LinkError(expired=False)
    if db.session.scalar(sa.select(sa.exists().where(User.email == new_email))):
        raise Conflict(_("Another account uses that address now."))
    user.email = new_email
    user.email_confirmed_at = None
    user.confirm_email()
    return user


def change_own_password(user: User, current: str, new: str) -> None:
    """From the settings page: this login stays, every other one ends."""
    if not user.check_password(current):
        raise Invalid(_("That is not your current password."),
                      {"current_password": _("That is not your current password.")})
    try:
        change_password(user, new)
    except AccountError as exc:
        raise Invalid(str(exc), {"password": str(exc)}) from exc


def delete_account(user: User, password: str) -> None:
    """Remove the person's name and address; their votes, ballots and ideas stay, anonymous,
    so no count changes. Every login ends, nothing more is sent."""
    if not user.check_password(password):
        raise Invalid(_("That is not your current password."), {"password": _("That is not your current password.")})
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.display_name = DELETED_NAME
    user.set_password(secrets.token_urlsafe(32))
    user.deleted_at = datetime.now(timezone.utc)
    user.notify = "never"
    user.role = "resident"
    db.session.execute(sa.delete(Follow).where(Follow.user_id == user.id))
    db.session.execute(sa.update(Notice).where(Notice.user_id == user.id, Notice.status == "pending")
                       .values(status="skipped"))
    user.session_token = None
    login_sessions.end_all_others(user)
