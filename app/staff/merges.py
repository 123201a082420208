"""Merging a duplicate: find the idea to keep by its title, preview, confirm, and undo."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.forms import EmptyForm
from app.core.errors import Conflict
from app.extensions import db
from app.ideas import commands
from app.ideas.merging import MergeError, check_merge, preview_merge
from app.ideas.queries import merge_candidates
from app.lookups import get_space_or_404
from app.models import IdeaMerge
from app.staff import bp
from app.staff.routes import get_idea_of

SEARCH_MAX = 120


@bp.get("/spaces/<slug>/ideas/<int:idea_id>/merge")
def merge_search(slug: str, idea_id: int):
    """Search the titles of the space for the idea to keep (a plain GET form)."""
    space = get_space_or_404(slug)
    duplicate = get_idea_of(space, idea_id)
    search = request.args.get("q", "").strip()[:SEARCH_MAX]
    matches = db.session.scalars(merge_candidates(space.id, duplicate.id, search)).all() if search else []
    return render_template("staff/merge_search.html", space=space, duplicate=duplicate, search=search,
                           matches=matches)


@bp.get("/spaces/<slug>/ideas/<int:idea_id>/merge/<int:kept_id>")
def merge_preview(slug: str, idea_id: int, kept_id: int):
    """Both ideas side by side, what moves and what stops counting, and the kept idea's place."""
    space = get_space_or_404(slug)
    duplicate, kept = get_idea_of(space, idea_id), get_idea_of(space, kept_id)
    try:
        check_merge(kept, duplicate)
    except MergeError as exc:
        flash(str(exc), "error")
        return redirect(url_for("staff.merge_search", slug=space.slug, idea_id=duplicate.id))
    return render_template("staff/merge_preview.html", space=space, duplicate=duplicate, kept=kept,
                           preview=preview_merge(kept, duplicate), form=EmptyForm())


@bp.post("/spaces/<slug>/ideas/<int:idea_id>/merge/<int:kept_id>")
def merge(slug: str, idea_id: int, kept_id: int):
    """Merge the duplicate into the kept idea, as previewed."""
    space = get_space_or_404(slug)
    duplicate, kept = get_idea_of(space, idea_id), get_idea_of(space, kept_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        record = commands.merge(kept, duplicate, current_user.id)
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("staff.merge_search", slug=space.slug, idea_id=duplicate.id))
    db.session.commit()
    flash(_("“%(duplicate)s” is merged into “%(title)s”. You can undo it from the audit log.",
            duplicate=duplicate.title, title=kept.title), "success")
    return redirect(url_for("staff.audit", space=space.slug, action="idea.merge", merge=record.id))


@bp.post("/merges/<int:merge_id>/undo")
def undo_merge(merge_id: int):
    """Put the duplicate and its ballots back, if nothing changed since that would be lost."""
    record = db.session.get(IdeaMerge, merge_id) or abort(404, description=_("There is no such merge."))
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        duplicate = commands.undo_merge(record, current_user.id)
    except Conflict as exc:
        db.session.rollback()
        flash(_("This merge cannot be undone: %(reason)s", reason=exc.message), "error")
        return redirect(url_for("staff.audit", action="idea.merge"))
    db.session.commit()
    flash(_("The merge is undone: “%(title)s” is back with its votes and ballots.", title=duplicate.title),
          "success")
    return redirect(url_for("staff.audit", action="idea.unmerge"))
