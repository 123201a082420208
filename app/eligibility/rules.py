"""Who may compare ideas and who may cast a quadratic ballot in a space.

Every voting channel stores votes through `record_vote` or `save_ballot`, and both ask
`require` first, so a rule set on a space holds on the web, on a session phone, in a kiosk
sync, through the API and in an import alike.

A rule admits everyone a stronger one admits: a verified resident may vote where a
confirmed account is asked for. An account that logs in through an identity provider the
city marks as verifying (OIDC_VERIFIES) is a verified resident in every space. A participant
of a facilitated session counts as confirmed (a facilitator is in the room).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.core.errors import Refused
from app.extensions import db
from app.models import ExternalIdentity, Space, User, Verification, VerificationCode, Voter
from app.models.facilitation import SessionParticipant
from app.text import _

ACTIONS = ("pairwise", "qv")


@dataclass(frozen=True)
class Standing:
    """What a voter has shown in one space."""

    confirmed: bool
    verified: bool
    district: str | None = None


NOBODY = Standing(confirmed=False, verified=False)


class NotEligible(Refused):
    """The voter may not vote this way here; the message says how to become eligible."""

    def __init__(self, message: str, space_slug: str):
        super().__init__(message)
        self.space_slug = space_slug


def rule_of(space: Space, action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown voting action {action!r}; known: {', '.join(ACTIONS)}")
    return space.pairwise_rule if action == "pairwise" else space.qv_rule


def admits(rule: str, standing: Standing) -> bool:
    if rule == "anyone":
        return True
    if rule == "confirmed":
        return standing.confirmed or standing.verified
    return standing.verified


_STANDING = (
    sa.select(sa.and_(User.email_confirmed_at.is_not(None), User.deleted_at.is_(None)),
              sa.exists().where(SessionParticipant.voter_id == Voter.id),
              Verification.id, Verification.district,
              sa.exists().where(ExternalIdentity.user_id == Voter.user_id, ExternalIdentity.verifies))
    .select_from(Voter)
    .outerjoin(User, User.id == Voter.user_id)
    .outerjoin(Verification, sa.and_(Verification.voter_id == Voter.id,
                                     Verification.space_id == sa.bindparam("space_id")))
    .where(Voter.id == sa.bindparam("voter_id")))


def standing_of(space_id: int, voter_id: int | None) -> Standing:
    if voter_id is None:
        return NOBODY
    row = db.session.connection().execute(_STANDING, {"space_id": space_id, "voter_id": voter_id}).first()
    if row is None:
        return NOBODY
    account_confirmed, in_session, verification_id, district, by_provider = row
    return Standing(confirmed=bool(account_confirmed) or bool(in_session),
                    verified=verification_id is not None or bool(by_provider), district=district)


def require(space: Space, action: str, voter_id: int) -> None:
    """Refuse (NotEligible, a 403) a voter the space's rule for `action` does not admit."""
    rule = rule_of(space, action)
    if rule != "anyone" and not admits(rule, standing_of(space.id, voter_id)):
        raise NotEligible(refusal(space, action), space.slug)


def methods_open(space: Space) -> list[str]:
    """The ways a resident can verify here now: a method the space accepts, with a roll
    imported or codes printed."""
    methods = []
    if "code" in space.verification_methods and db.session.scalar(
            sa.select(VerificationCode.id).where(VerificationCode.space_id == space.id).limit(1)):
        methods.append("code")
    if "roll" in space.verification_methods and space.roll_fields:
        methods.append("roll")
    return methods


def may_verify(space: Space) -> bool:
    """Whether a resident can verify here by themselves (roll or letter code)."""
    return bool(methods_open(space))


def describe(space: Space, action: str) -> str:
    """The rule as the space page and the voting screens state it."""
    rule = rule_of(space, action)
    if action == "pairwise":
        return {
            "anyone": _("Anyone may compare ideas here, with or without an account."),
            "confirmed": _("Only people with a confirmed account or a verified resident can compare ideas in %(space)s.",
                           space=space.name),
            "verified": _("Only verified residents of %(space)s can compare ideas here.", space=space.name),
        }[rule]
    return {
        "confirmed": _("Only people with a confirmed account or a verified resident can spend credits in %(space)s.",
                       space=space.name),
        "verified": _("Only verified residents of %(space)s can spend credits here.", space=space.name),
    }[rule]


def how_to(space: Space, action: str) -> str:
    """What to do about it, in one sentence."""
    rule = rule_of(space, action)
    if rule == "confirmed":
        if may_verify(space):
            return _("Log in and confirm your e-mail address, or verify as a resident on the space's page.")
        return _("Log in and confirm your e-mail address.")
    if may_verify(space):
        return _("To verify, use “Verify as a resident” on the space's page.")
    return _("Ask the city how to verify.")


def refusal(space: Space, action: str) -> str:
    return f"{describe(space, action)} {how_to(space, action)}"
