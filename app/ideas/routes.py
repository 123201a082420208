"""Pages for one idea: submit, read, flag, moderate, and its photo."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from app.auth.decorators import staff_required
from app.auth.forms import EmptyForm
from app.core.errors import Conflict
from app.extensions import db
from app.ideas import bp, commands
from app.ideas.display import status_label
from app.ideas.forms import FlagForm, IdeaForm
from app.ideas.transitions import moderation_actions
from app.lookups import get_space_or_404, get_visible_idea_or_404, viewer_is_staff
from app.models import Idea, IdeaPhoto
from app.notifications.follows import follows
from app.web.permissions import require_confirmed


@bp.route("/spaces/<slug>/ideas/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    """The submission form; with errors it comes back with everything the person typed."""
    space = get_space_or_404(slug)
    commands.require_accepting_ideas(space)
    require_confirmed("propose", space)
    form = IdeaForm(space)
    if form.validate_on_submit():
        idea = commands.submit_idea(space, current_user.id, form.draft())
        db.session.commit()
        if idea.status == "pending":
            flash(_("Thank you! Staff will publish your idea after a quick check."), "success")
        else:
            flash(_("Thank you! Your idea is on the map."), "success")
        return redirect(url_for("ideas.show", slug=space.slug, idea_id=idea.id))
    status = 422 if form.is_submitted() else 200
    return render_template("ideas/new.html", space=space, form=form), status


@bp.get("/spaces/<slug>/ideas/<int:idea_id>")
def show(slug: str, idea_id: int):
    """One idea: its text, photo, place, status and the staff's answer."""
    space = get_space_or_404(slug)
    merged = db.session.get(Idea, idea_id)
    if merged is not None and merged.space_id == space.id and merged.merged_into_id:
        return redirect(url_for("ideas.show", slug=slug, idea_id=merged.merged_into_id), 301)
    return render_idea(space, get_visible_idea_or_404(space, idea_id), FlagForm())


def render_idea(space, idea, flag_form: FlagForm, status: int = 200):
    """The idea page; a flag form with errors is shown open with what was typed."""
    return render_template(
        "ideas/show.html", space=space, idea=idea, flag_form=flag_form,
        has_photo=db.session.get(IdeaPhoto, idea.id) is not None,
        action_form=EmptyForm(), is_staff=viewer_is_staff(),
        following=current_user.is_authenticated and follows(current_user.id, idea.id),
        actions=moderation_actions(idea.status),
    ), status


@bp.get("/spaces/<slug>/ideas/<int:idea_id>/photo")
def photo(slug: str, idea_id: int):
    space = get_space_or_404(slug)
    idea = get_visible_idea_or_404(space, idea_id)
    stored = db.session.get(IdeaPhoto, idea.id) or abort(404)
    response = Response(stored.data, mimetype=stored.content_type)
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/spaces/<slug>/ideas/<int:idea_id>/flag")
@login_required
def flag(slug: str, idea_id: int):
    """Report an idea to staff; three different people hide it until staff review it."""
    space = get_space_or_404(slug)
    idea = get_visible_idea_or_404(space, idea_id)
    require_confirmed("flag", idea)
    form = FlagForm()
    if not form.validate_on_submit():
        return render_idea(space, idea, form, 422)
    try:
        added = commands.flag_idea(idea, current_user.id, form.reason.data)
        db.session.commit()
    except IntegrityError:  # the same person flagging twice at the same moment
        db.session.rollback()
        added = False
    flash(_("Thank you, staff will look at this idea.") if added
          else _("You have already reported this idea; staff will look at it."), "info")
    return redirect(url_for("ideas.show", slug=space.slug, idea_id=idea.id))


@bp.post("/spaces/<slug>/ideas/<int:idea_id>/moderate/<action>")
@staff_required
def moderate(slug: str, idea_id: int, action: str):
    """Staff publish a pending or hidden idea, or hide one."""
    space = get_space_or_404(slug)
    idea = get_visible_idea_or_404(space, idea_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        commands.moderate(idea, action, current_user.id)
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("The idea is now %(status)s.", status=status_label(idea.status)), "success")
    return redirect(url_for("ideas.show", slug=space.slug, idea_id=idea.id))


@bp.post("/spaces/<slug>/ideas/<int:idea_id>/dismiss-reports")
@staff_required
def dismiss_reports(slug: str, idea_id: int):
    """Staff keep a reported idea: its reports are dismissed, and it is public again."""
    space = get_space_or_404(slug)
    idea = get_visible_idea_or_404(space, idea_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        commands.dismiss_reports(idea, current_user.id)
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("“%(title)s” stays, and its reports are dismissed.", title=idea.title), "success")
    return redirect(url_for("staff.moderation", slug=space.slug))
