"""Pages of quadratic voting: the ballot, with credits to spread over the space's ideas."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.lookups import get_space_or_404
from app.qv import bp
from app.qv.ballots import load_ballot, save_ballot, votable_ideas, voter_id_of_user
from app.qv.budget import BallotError, max_votes
from app.qv.forms import BallotForm, allocations_from_form, typed_votes
from app.qv.ordering import ballot_order, category_order
from app.voters import voter_id_for_user
from app.web.permissions import require_confirmed


@bp.route("/spaces/<slug>/qv", methods=["GET", "POST"])
@login_required
def ballot(slug: str):
    """The ballot; scripts save it through the API, and without them the form posts here."""
    space = get_space_or_404(slug)
    require_confirmed("vote_qv", space)
    form = BallotForm()
    error, typed = None, {}
    if form.validate_on_submit():
        typed = typed_votes(request.form)
        try:
            saved = save_ballot(space, voter_id_for_user(current_user.id),
                                allocations_from_form(typed))
        except BallotError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Your ballot is saved: %(used)s of %(budget)s credits spent, %(left)s left.",
                    used=format_decimal(saved.credits_used), budget=format_decimal(saved.budget),
                    left=format_decimal(saved.credits_left)), "success")
            return redirect(url_for("qv.ballot", slug=space.slug))
    current = load_ballot(space, voter_id_of_user(current_user.id))
    ideas = db.session.scalars(votable_ideas(space.id)).all()
    return render_template(
        "qv/ballot.html", space=space, form=form, ballot=current,
        ideas=ballot_order(ideas, space.categories, f"space:{space.id}/user:{current_user.id}"),
        typed=typed, error=error, max_votes=max_votes(space.qv_budget),
        categories=category_order(space.categories, {idea.category for idea in ideas}),
    ), 422 if error else 200
