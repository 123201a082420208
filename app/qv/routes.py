"""Pages of quadratic voting: the ballot, with credits to spread over the space's ideas."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.lookups import get_space_or_404
from app.models import Space
from app.qv import bp
from app.qv.ballots import load_ballot, save_ballot, votable_ideas
from app.qv.budget import BallotError, max_votes
from app.qv.forms import BallotForm, allocations_from_form, typed_votes
from app.qv.ordering import ballot_order, category_order
from app.web.eligibility import gate
from app.eligibility.rules import describe
from app.extensions import login_manager
from app.web.voter import has_voter, voter_id


def order_seed(space: Space, voter: int | None) -> str:
    """Each person keeps one order of the ballot: an account by its id (it may have no voter
    yet), a resident verified without one by their voter."""
    who = f"user:{current_user.id}" if current_user.is_authenticated else f"voter:{voter}"
    return f"space:{space.id}/{who}"


@bp.route("/spaces/<slug>/qv", methods=["GET", "POST"])
def ballot(slug: str):
    """The ballot; scripts save it through the API, and without them the form posts here.

    An account, or a resident verified without one (their voter is in the cookie)."""
    space = get_space_or_404(slug)
    refused = gate(space, "qv")
    if refused is not None:
        return refused
    if not has_voter():
        return login_manager.unauthorized()
    form = BallotForm()
    error, typed = None, {}
    if form.validate_on_submit():
        typed = typed_votes(request.form)
        try:
            saved = save_ballot(space, voter_id(create=True), allocations_from_form(typed))
        except BallotError as exc:
            db.session.rollback()
            error = str(exc)
        else:
            db.session.commit()
            flash(_("Your ballot is saved: %(used)s of %(budget)s credits spent, %(left)s left.",
                    used=format_decimal(saved.credits_used), budget=format_decimal(saved.budget),
                    left=format_decimal(saved.credits_left)), "success")
            return redirect(url_for("qv.ballot", slug=space.slug))
    voter = voter_id(create=False)
    current = load_ballot(space, voter)
    ideas = db.session.scalars(votable_ideas(space.id)).all()
    return render_template(
        "qv/ballot.html", space=space, form=form, ballot=current,
        ideas=ballot_order(ideas, space.categories, order_seed(space, voter)),
        typed=typed, error=error, max_votes=max_votes(space.qv_budget), rule_text=describe(space, "qv"),
        categories=category_order(space.categories, {idea.category for idea in ideas}),
    ), 422 if error else 200
