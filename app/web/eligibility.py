"""Eligibility as the voting pages and the API ask it for the person of this request."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.identities import verified_by_provider
from app.core.errors import Invalid
from app.eligibility import hasher, rules
from app.eligibility.verification import Verified, verify
from app.extensions import db, login_manager
from app.spaces.permissions import is_confirmed
from app.models import Space, Voter
from app.web.voter import become_voter, voter_id


def standing_here(space: Space) -> rules.Standing:
    """What the voter of this request has shown in the space (no voter row is made)."""
    voter = voter_id(create=False)
    if voter is None and current_user.is_authenticated:
        return rules.Standing(confirmed=is_confirmed(current_user),
                              verified=verified_by_provider(current_user.id))
    return rules.standing_of(space.id, voter)


@dataclass(frozen=True)
class Eligibility:
    """What a voting page says of the rules, for the person looking at it."""

    rules: list[str]
    verified: bool
    district: str | None
    may_verify: bool


def eligibility_of(space: Space) -> Eligibility:
    """For the space page's "who may vote" note (a template global)."""
    standing = standing_here(space)
    return Eligibility(rules=[rules.describe(space, action) for action in rules.ACTIONS],
                       verified=standing.verified, district=standing.district,
                       may_verify=may_verify_here(space) and not standing.verified)


def refusal_page(space: Space, action: str):
    """The voting page's stand-in for a voter the rule does not admit: the rule, and the
    ways to meet it."""
    return render_template("eligibility/needed.html", space=space, action=action,
                           rule=rules.rule_of(space, action), rule_text=rules.describe(space, action),
                           may_verify=may_verify_here(space)), 403


def may_verify_here(space: Space) -> bool:
    return rules.may_verify(space) and (current_user.is_authenticated or space.verified_without_account)


def gate(space: Space, action: str):
    """None when the voter of this request may vote this way here; else the page that says
    how to become eligible."""
    rule = rules.rule_of(space, action)
    if not space.accepts_votes or rules.admits(rule, standing_here(space)):
        return None
    if rule == "confirmed" and not current_user.is_authenticated and not may_verify_here(space):
        return login_manager.unauthorized()
    return refusal_page(space, action)


def claim_for_request(space: Space, method: object, payload: dict) -> Verified:
    """Verify the voter of this request; someone with no account back with their code
    continues as the voter they were. The caller commits."""
    if not current_user.is_authenticated and not space.verified_without_account:
        raise Invalid(_("Log in first: this space verifies accounts only."))
    voter = voter_id(create=True)
    db.session.commit()  # the cookie now names this voter: a refused claim must not roll it back
    verified = verify(hasher(), space, voter, method, payload)
    if verified.resumed:
        become_voter(verified.voter_id,
                     db.session.scalar(sa.select(Voter.anon_key).where(Voter.id == verified.voter_id)))
    return verified
