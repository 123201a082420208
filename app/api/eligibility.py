"""Who may vote in a space, and verifying as a resident, in the JSON API."""
from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from app.api import bp
from app.core.errors import Malformed
from app.eligibility import rules
from app.web.eligibility import claim_for_request, may_verify_here, standing_here
from app.extensions import db
from app.lookups import get_space_or_404

BODY_HINT = '{"method": "roll", "fields": {...}} or {"method": "code", "code": "..."}'


@bp.get("/spaces/<slug>/eligibility")
def get_eligibility(slug: str):
    """The space's rules, and what this voter may do under them."""
    space = get_space_or_404(slug)
    standing = standing_here(space)
    return jsonify(
        rules={action: {"rule": rules.rule_of(space, action), "text": rules.describe(space, action)}
               for action in rules.ACTIONS},
        methods=(methods := rules.methods_open(space)),
        roll_fields=list(space.roll_fields) if "roll" in methods else [],
        verified_without_account=space.verified_without_account,
        you={"verified": standing.verified, "district": standing.district,
             "confirmed": standing.confirmed, "may_verify": may_verify_here(space) and not standing.verified,
             **{f"may_{action}": rules.admits(rules.rule_of(space, action), standing)
                for action in rules.ACTIONS}})


@bp.post("/spaces/<slug>/verification")
def post_verification(slug: str):
    """Verify as a resident: 200 `{"verified": true, "district": ...}`, or 422 saying why
    (never which of the roll's values was wrong)."""
    space = get_space_or_404(slug)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise Malformed(_("Send a JSON object: %(body)s.", body=BODY_HINT))
    verified = claim_for_request(space, payload.get("method"), payload)
    db.session.commit()
    return jsonify(verified=True, district=verified.district, resumed=verified.resumed)
