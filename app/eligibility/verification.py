"""A resident proves they are one: by their roll entry's values or a letter code.

Each roll entry and each code verifies one voter, ever. The unique indexes on
`verifications` decide a race, so of eight accounts claiming one entry at once exactly one
wins, on any database. A refused claim is written to the audit log for staff.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.core.errors import Invalid
from app.eligibility import codes
from app.eligibility.hashing import Hasher
from app.extensions import db
from app.models import AuditEntry, RollEntry, Space, User, Verification, VerificationCode, Voter
from app.text import _

CLAIM_REFUSED = "verification.refused"


@dataclass(frozen=True)
class Claim:
    """What was claimed: a roll entry or a code, with the district it gives."""

    method: str
    target_id: int
    district: str | None


@dataclass(frozen=True)
class Verified:
    """The voter now verified; `resumed` when a person without an account came back with the
    same code (or roll values) and got their earlier voter identity back."""

    voter_id: int
    district: str | None
    resumed: bool = False


def wrong_details() -> str:
    return _("These details do not match the roll. Check them as they are printed on your document.")


def verify(hasher: Hasher, space: Space, voter_id: int, method: object, payload: dict) -> Verified:
    """Claim a roll entry (`payload["fields"]`) or a code (`payload["code"]`) for the voter.

    The caller commits. Invalid (422) for values that match nothing (never saying which
    field was wrong), a method the space does not accept, or a claim someone else holds.
    """
    claim = find_claim(hasher, space, method, payload)
    mine = _verification_of(space.id, voter_id)
    if mine is not None:
        if (mine.roll_entry_id or mine.code_id) == claim.target_id and mine.method == claim.method:
            return Verified(voter_id, mine.district)
        raise Invalid(_("You are already verified in this space."))
    try:
        with db.session.begin_nested():
            db.session.add(Verification(space_id=space.id, voter_id=voter_id, method=claim.method,
                                        district=claim.district, **_target(claim)))
    except IntegrityError:
        return _held_elsewhere(hasher, space, voter_id, claim)
    return Verified(voter_id, claim.district)


def find_claim(hasher: Hasher, space: Space, method: object, payload: dict) -> Claim:
    if method not in ("roll", "code") or method not in space.verification_methods:
        raise Invalid(_("This space does not accept that way of verifying."))
    if method == "roll":
        return _roll_claim(hasher, space, payload.get("fields"))
    return _code_claim(hasher, space, payload.get("code"))


def _roll_claim(hasher: Hasher, space: Space, fields: object) -> Claim:
    if not space.roll_fields:
        raise Invalid(_("This space has no roll to verify against yet."))
    if not isinstance(fields, dict):
        raise Invalid(_("Send the roll's values as fields: %(names)s.", names=", ".join(space.roll_fields)))
    values = [fields.get(name) for name in space.roll_fields]
    missing = [name for name, value in zip(space.roll_fields, values) if not isinstance(value, str) or not value.strip()]
    if missing:
        raise Invalid(_("Fill in: %(names)s.", names=", ".join(missing)),
                      {name: _("Fill in this field.") for name in missing})
    row = db.session.execute(
        sa.select(RollEntry.id, RollEntry.district)
        .where(RollEntry.space_id == space.id, RollEntry.listed,
               RollEntry.key_hash == hasher.roll(space.id, values))).first()
    if row is None:
        raise Invalid(wrong_details())
    return Claim("roll", row.id, row.district)


def _code_claim(hasher: Hasher, space: Space, typed: object) -> Claim:
    code = codes.cleaned(typed) if isinstance(typed, str) else None
    row = None if code is None else db.session.execute(
        sa.select(VerificationCode.id, VerificationCode.district)
        .where(VerificationCode.space_id == space.id,
               VerificationCode.code_hash == hasher.code(code))).first()
    if row is None:
        raise Invalid(_("This code is not valid here. Type it as printed on your letter."))
    return Claim("code", row.id, row.district)


def _target(claim: Claim) -> dict[str, int]:
    return {"roll_entry_id" if claim.method == "roll" else "code_id": claim.target_id}


def _verification_of(space_id: int, voter_id: int) -> Verification | None:
    return db.session.scalar(sa.select(Verification).where(
        Verification.space_id == space_id, Verification.voter_id == voter_id))


def _holder_of(claim: Claim) -> tuple[int | None, int | None] | None:
    """(voter id, account id) of whoever holds the claim; a row with no voter is an
    account since deleted, which keeps what it claimed."""
    column = Verification.roll_entry_id if claim.method == "roll" else Verification.code_id
    return db.session.execute(
        sa.select(Verification.voter_id, Voter.user_id)
        .outerjoin(Voter, Voter.id == Verification.voter_id)
        .where(column == claim.target_id)).first()


def _held_elsewhere(hasher: Hasher, space: Space, voter_id: int, claim: Claim) -> Verified:
    holder = _holder_of(claim)
    if holder is not None and holder[0] == voter_id:
        return Verified(voter_id, claim.district)  # the same voter, twice at once
    caller_has_account = db.session.scalar(sa.select(Voter.user_id).where(Voter.id == voter_id)) is not None
    if (holder is not None and holder[0] is not None and holder[1] is None and not caller_has_account
            and space.verified_without_account):
        return Verified(holder[0], claim.district, resumed=True)
    if holder is None and _verification_of(space.id, voter_id) is not None:
        raise Invalid(_("You are already verified in this space."))
    _log_refused(hasher, space, voter_id, claim)
    raise Invalid(_("This is already used by someone else. If it is yours, ask the city for help."))


def _log_refused(hasher: Hasher, space: Space, voter_id: int, claim: Claim) -> None:
    """Written and committed at once: the refusal that follows rolls the request back."""
    user = db.session.scalar(sa.select(User).join(Voter, Voter.user_id == User.id).where(Voter.id == voter_id))
    db.session.add(AuditEntry(
        actor_id=user.id if user else None, actor_email=user.email if user else "",
        action=CLAIM_REFUSED, target_type="space", target_id=space.id, space_id=space.id,
        before=None, after={"method": claim.method, "claim": claim.target_id,
                            "voter": hasher.voter(voter_id)}))
    db.session.commit()
