"""Accounts that log in through the city's identity provider (OpenID Connect).

The provider vouches for the person: the first login makes (or finds, by a verified e-mail
address) a Plaza account and links it to the provider's subject; later logins find it by
that link, whatever the e-mail says by then. Where the city marks the provider as
verifying residents, such an account counts as a verified resident in every space.
"""
from __future__ import annotations

import secrets
from collections.abc import Mapping

import sqlalchemy as sa

from app.extensions import db
from app.models import ExternalIdentity, User
from app.models.columns import utcnow
from app.models.user import normalize_email
from app.text import _


class IdentityRefused(ValueError):
    """The provider's answer cannot log anyone in; the message is meant for the person."""


def account_for(issuer: str, claims: Mapping[str, object], verifies: bool) -> User:
    """The account the provider's `claims` (from a validated ID token) belong to; made on
    the first login. The caller commits."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise IdentityRefused(_("The identity provider did not say who you are. Try again."))
    linked = db.session.scalar(sa.select(ExternalIdentity).where(
        ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject))
    if linked is not None:
        linked.verifies = verifies
        return db.session.get(User, linked.user_id)
    user = _account_by_email(claims)
    db.session.add(ExternalIdentity(user_id=user.id, issuer=issuer, subject=subject, verifies=verifies))
    return user


def _account_by_email(claims: Mapping[str, object]) -> User:
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise IdentityRefused(_("The identity provider gave no e-mail address; Plaza needs one for your account."))
    confirmed = claims.get("email_verified") is True
    user = db.session.scalar(User.by_email(email))
    if user is not None:
        if not confirmed:
            # Anyone can type an address at some provider: only a confirmed one joins an account.
            raise IdentityRefused(_("An account with this e-mail already exists. Log in with its password."))
        return user
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    user = User(email=normalize_email(email), display_name=(name or email.split("@", 1)[0])[:80],
                role="resident", terms_accepted_at=utcnow(), email_confirmed_at=utcnow() if confirmed else None)
    user.set_password(secrets.token_urlsafe(32))  # no password of its own: the provider logs it in
    db.session.add(user)
    db.session.flush()
    return user


def verified_by_provider(user_id: int) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(
        ExternalIdentity.user_id == user_id, ExternalIdentity.verifies))) is True
