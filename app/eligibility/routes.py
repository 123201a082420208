"""The verification page: a resident types their roll values or their letter code."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.core.errors import Invalid
from app.eligibility import bp, rules
from app.extensions import db
from app.lookups import get_space_or_404
from app.web.eligibility import claim_for_request, may_verify_here, standing_here
from app.web.redirects import safe_next


@bp.route("/spaces/<slug>/verify", methods=["GET", "POST"], endpoint="verify")
def verify_page(slug: str):
    """Verify as a resident: the roll's values or a letter code (from the QR code's link)."""
    space = get_space_or_404(slug)
    methods = rules.methods_open(space)
    typed = {"code": request.values.get("code", ""),
             **{f"field-{i}": request.form.get(f"field-{i}", "") for i, _n in enumerate(space.roll_fields)}}
    error, status = None, 200
    standing = standing_here(space)
    if request.method == "POST" and not standing.verified:
        method = request.form.get("method")
        payload = {"code": typed["code"],
                   "fields": {name: typed[f"field-{i}"] for i, name in enumerate(space.roll_fields)}}
        try:
            verified = claim_for_request(space, method, payload)
        except Invalid as exc:
            db.session.rollback()
            error, status = exc.message, 422
        else:
            db.session.commit()
            flash(_("You are verified as a resident of %(space)s.", space=space.name)
                  + (" " + _("Welcome back: your earlier votes and ballot are here.") if verified.resumed else ""),
                  "success")
            return redirect(safe_next(request.args.get("next")) or url_for("spaces.show", slug=space.slug))
    return render_template("eligibility/verify.html", space=space, methods=methods, typed=typed,
                           error=error, standing=standing, may_verify=may_verify_here(space),
                           rules_text=[rules.describe(space, a) for a in rules.ACTIONS]), status
