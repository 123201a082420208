"""Views of the staff workspace; every one is for staff and admins only."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, get_timezone
from flask_babel import gettext as _
from flask_login import current_user

from app.audit.log import action_label, describe_target, describe_value, entries, field_label
from app.auth.decorators import staff_required
from app.auth.forms import EmptyForm
from app.core.csv import csv_text
from app.core.errors import Invalid
from app.exports import EXPORTS, ideas_geojson, rows_for
from app.i18n import current_language
from app.extensions import db
from app.ideas import commands
from app.ideas.display import status_label
from app.ideas.merging import undo_refusals
from app.ideas.moderation import counted_since, needs_review
from app.ideas.queries import counted_flaggers
from app.ideas.transitions import decision_targets
from app.lookups import get_space_or_404
from app.eligibility.letters import code_summary
from app.results.districts import district_results, titles_of
from app.eligibility.roll import roll_summary
from app.models import DEFAULT_CATEGORIES, METHODS, AuditEntry, Flag, Idea, Space
from app.spaces.commands import create_space, update_space
from app.spaces.landmarks import landmarks_text
from app.spaces.phases import allowed_phases
from app.staff import bp
from app.staff.charts import interval_chart
from app.staff.compare import agreement
from app.staff.forms import SENTENCE_LANGUAGES, DecisionForm, SpaceForm
from app.urls import with_idea_urls
from app.results.ranking import METHODS as RANKING_METHODS, ranking

AUDIT_PER_PAGE = 50


@bp.before_request
@staff_required
def require_staff():
    """Every staff page checks the role here, so no view can forget it."""


def get_idea_of(space: Space, idea_id: int) -> Idea:
    idea = db.session.get(Idea, idea_id)
    if idea is None or idea.space_id != space.id:
        abort(404, description=_("There is no idea with this number in this space."))
    return idea


@bp.get("/")
def dashboard():
    """Spaces with what needs attention: pending and hidden ideas, flags."""
    spaces = db.session.scalars(sa.select(Space).order_by(Space.created_at.desc())).all()
    flags = dict(db.session.execute(
        sa.select(Idea.space_id, sa.func.count(sa.distinct(Flag.idea_id)))
        .join(Flag, Flag.idea_id == Idea.id).group_by(Idea.space_id)).all())
    counts: dict[int, dict[str, int]] = {s.id: {} for s in spaces}
    for space_id, status, n in db.session.execute(
            sa.select(Idea.space_id, Idea.status, sa.func.count(Idea.id)).group_by(Idea.space_id, Idea.status)):
        counts.setdefault(space_id, {})[status] = n
    return render_template("staff/dashboard.html", spaces=spaces, counts=counts, flags=flags)


def space_form(space: Space | None) -> SpaceForm:
    used = {}
    if space is not None:
        used = dict(db.session.execute(sa.select(Idea.category, sa.func.count(Idea.id))
                                       .where(Idea.space_id == space.id).group_by(Idea.category)).all())
    taken = set(db.session.scalars(sa.select(Space.slug).where(Space.id != (space.id if space else -1))))
    form = SpaceForm(obj=space, phases=allowed_phases(space.phase if space else None),
                     used_categories=used, taken_slugs=taken)
    # Fields the person did not send keep the stored value, as text like the rest.
    if request.method == "GET" or not isinstance(form.categories.data, str):
        form.categories.data = "\n".join(space.categories if space else DEFAULT_CATEGORIES)
    if request.method == "GET" and space is not None:
        for method in METHODS:
            getattr(form, f"verify_{method}").data = method in space.verification_methods
        for language, text in space.name_in_sentence.items():
            if language in SENTENCE_LANGUAGES:
                getattr(form, f"sentence_{language}").data = text
    if request.method == "GET" or not isinstance(form.landmarks.data, str):
        form.landmarks.data = landmarks_text(space.landmarks) if space else ""
    if request.method == "GET" or not isinstance(form.boundary.data, str):
        form.boundary.data = json.dumps(space.boundary) if space and space.boundary else ""
        if space is None:
            form.ideas_during_voting.data = form.show_results.data = form.verified_without_account.data = True
            form.verify_roll.data = form.verify_code.data = True
            form.moderation.data = True
            form.phase.data = "ideas"
    return form


@bp.route("/spaces/new", methods=["GET", "POST"])
def new_space():
    form = space_form(None)
    if form.validate_on_submit():
        space = create_space(form.settings(), current_user.id)
        db.session.commit()
        flash(_("%(name)s is created.", name=space.name), "success")
        return redirect(url_for("staff.edit_space", slug=space.slug))
    return render_template("staff/space_form.html", form=form, space=None), 422 if form.is_submitted() else 200


@bp.route("/spaces/<slug>/edit", methods=["GET", "POST"])
def edit_space(slug: str):
    space = get_space_or_404(slug)
    form = space_form(space)
    if form.validate_on_submit():
        update_space(space, form.settings(), current_user.id)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("staff.edit_space", slug=space.slug))
    return render_template("staff/space_form.html", form=form, space=space, roll=roll_summary(space.id),
                           codes=code_summary(space.id)), 422 if form.is_submitted() else 200


@bp.get("/spaces/<slug>/rankings")
def rankings(slug: str):
    """Both rankings side by side, how far they agree, and where they disagree most."""
    space = get_space_or_404(slug)
    pairwise, quadratic = (with_idea_urls(ranking(space, method)) for method in ("pairwise", "quadratic"))
    agree = agreement(pairwise["ideas"], quadratic["ideas"])
    q_rows = quadratic["ideas"]
    q_lo = min([0.0] + [r["ci_low"] for r in q_rows])
    q_hi = max([1.0] + [r["ci_high"] for r in q_rows])
    districts = {method: district_results(space, method) for method in RANKING_METHODS}
    return render_template(
        "staff/rankings.html", space=space, pairwise=pairwise, quadratic=quadratic, agree=agree,
        districts=districts, district_titles=titles_of(districts.values()),
        q_by_id={r["id"]: r for r in q_rows},
        pairwise_chart=interval_chart(pairwise["ideas"], 0, 100, _("Pairwise scores with 95% intervals"),
                                      number=format_decimal),
        quadratic_chart=interval_chart(q_rows, q_lo, q_hi, _("Quadratic votes with 95% intervals"),
                                       number=format_decimal),
    )


@bp.route("/spaces/<slug>/ideas/<int:idea_id>/decide", methods=["GET", "POST"])
def decide(slug: str, idea_id: int):
    """Set an idea's status with a public answer; only allowed transitions are offered."""
    space = get_space_or_404(slug)
    idea = get_idea_of(space, idea_id)
    form = DecisionForm(targets=decision_targets(idea.status),
                        data=None if request.method == "POST" else {
                            "response": idea.staff_response, "translation": idea.staff_response_translation})
    if form.validate_on_submit():
        try:
            commands.decide(idea, form.status.data, form.response.data, current_user.id,
                            language=current_language(), translation=form.translation.data)
        except Invalid as exc:
            form.show(exc.fields)
        else:
            db.session.commit()
            flash(_("“%(title)s” is now %(status)s.", title=idea.title, status=status_label(idea.status)),
                  "success")
            return redirect(url_for("staff.rankings", slug=space.slug))
    return render_template("staff/decide.html", space=space, idea=idea, form=form), \
        422 if form.is_submitted() else 200


@bp.get("/spaces/<slug>/moderation")
def moderation(slug: str):
    """Pending ideas, and ideas people flagged, with their flags."""
    space = get_space_or_404(slug)
    pending = db.session.scalars(sa.select(Idea).where(Idea.space_id == space.id, Idea.status == "pending")
                                 .order_by(Idea.created_at)).all()
    flagged_ids = sa.select(Flag.idea_id).distinct()
    flagged = db.session.scalars(sa.select(Idea).where(Idea.space_id == space.id, Idea.id.in_(flagged_ids),
                                                       Idea.merged_into_id.is_(None))
                                 .order_by(Idea.status, Idea.id)).all()
    flags: dict[int, list[Flag]] = {}
    for flag in db.session.scalars(sa.select(Flag).where(Flag.idea_id.in_([i.id for i in flagged]))):
        flags.setdefault(flag.idea_id, []).append(flag)
    counted = dict(db.session.execute(counted_flaggers([i.id for i in flagged],
                                                       counted_since(datetime.now(timezone.utc)))).all())
    review = {idea_id for idea_id, n in counted.items() if needs_review(n)}
    flagged = sorted(flagged, key=lambda i: (i.id not in review, -counted.get(i.id, 0)))
    return render_template("staff/moderation.html", space=space, pending=pending, flagged=flagged,
                           flags=flags, counted=counted, review=review, action_form=EmptyForm())


@bp.get("/audit")
def audit():
    """Every staff action, newest first; filter by space, action and person."""
    space_slug = request.args.get("space", "")
    space = db.session.scalar(Space.by_slug(space_slug)) if space_slug else None
    action, actor = request.args.get("action", ""), request.args.get("actor", "")
    page = db.paginate(entries(space.id if space else None, action or None, actor or None),
                       per_page=AUDIT_PER_PAGE, max_per_page=AUDIT_PER_PAGE, error_out=False)
    spaces = db.session.scalars(sa.select(Space).order_by(Space.name)).all()
    actions = db.session.scalars(sa.select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    merges = undo_refusals([e.after["merge_id"] for e in page.items
                       if e.action == "idea.merge" and (e.after or {}).get("merge_id")])
    return render_template("staff/audit.html", page=page, spaces=spaces, actions=actions, merges=merges,
                           undo_form=EmptyForm(), highlight=request.args.get("merge", type=int),
                           space_slug=space_slug, action=action, actor=actor, zone=str(get_timezone()),
                           action_label=action_label, describe_target=describe_target,
                           describe_value=describe_value, field_label=field_label)


@bp.get("/spaces/<slug>/exports")
def exports(slug: str):
    """The downloads of a space: ideas with both rankings, pairwise votes, QV ballots."""
    return render_template("staff/exports.html", space=get_space_or_404(slug))


@bp.get("/spaces/<slug>/export/<kind>.<fmt>")
def export(slug: str, kind: str, fmt: str):
    space = get_space_or_404(slug)
    if kind not in EXPORTS or fmt not in ("csv", "geojson") or (fmt == "geojson" and kind != "ideas"):
        abort(404, description=_("There is no such export."))
    if fmt == "geojson":
        body, mimetype = ideas_geojson(space), "application/geo+json"
    else:
        body, mimetype = csv_text(*rows_for(space, kind)), "text/csv"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{space.slug}-{kind}.{fmt}"'})
