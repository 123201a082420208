"""Views of notifications: the setting, one-click unsubscribe, following an idea."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth.forms import EmptyForm
from app.extensions import db
from app.lookups import get_space_or_404, get_visible_idea_or_404
from app.notifications import bp
from app.notifications.follows import follow, follows, unfollow
from app.notifications.forms import NotifyForm
from app.notifications.settings import set_frequency, user_of_token
from app.web.permissions import require


@bp.route("/me/notifications", methods=["GET", "POST"])
@login_required
def settings():
    """How often I hear about the ideas I follow (the footer of every e-mail links here)."""
    form = NotifyForm(frequency=current_user.notify)
    if form.validate_on_submit():
        set_frequency(current_user._get_current_object(), form.frequency.data)
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("account.settings"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    """One click (RFC 8058): mail programs POST here without a page or a CSRF token; a person
    who opens the link gets a page with the button."""
    user = user_of_token(token)
    if user is None:
        abort(404, description=_("This unsubscribe link is not valid."))
    if request.method == "POST":
        set_frequency(user, "never")
        db.session.commit()
        return render_template("notifications/unsubscribed.html")
    return render_template("notifications/unsubscribe.html", token=token)


@bp.post("/spaces/<slug>/ideas/<int:idea_id>/follow")
@login_required
def toggle_follow(slug: str, idea_id: int):
    space = get_space_or_404(slug)
    idea = get_visible_idea_or_404(space, idea_id)
    require("follow", idea, status=403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if follows(current_user.id, idea.id):
        unfollow(current_user.id, idea.id)
        message = _("You no longer follow this idea.")
    else:
        follow(current_user.id, idea.id)
        message = _("You follow this idea now: you hear when the city decides on it.")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("ideas.show", slug=space.slug, idea_id=idea.id))


@bp.post("/spaces/<slug>/ideas/<int:idea_id>/support")
@login_required
def support_instead(slug: str, idea_id: int):
    """"Support this one instead" on the idea form's look-alike hints: follow the existing
    idea rather than add a copy. It casts no vote (a vote is a choice made on the voting
    pages), and is not a toggle: pressing it twice still follows."""
    space = get_space_or_404(slug)
    idea = get_visible_idea_or_404(space, idea_id)
    require("follow", idea, status=403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    follow(current_user.id, idea.id)
    db.session.commit()
    flash(_("You now follow “%(title)s”: you hear when the city decides on it. No vote was cast.",
            title=idea.title), "success")
    return redirect(url_for("ideas.show", slug=space.slug, idea_id=idea.id))
