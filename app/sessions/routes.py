"""Pages of facilitated sessions: the facilitator's pages, the kiosk, the phone page, the
projector, and the service worker that keeps the kiosk working offline.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.decorators import facilitator_required
from app.auth.forms import EmptyForm
from app.extensions import db
from app.models.facilitation import FacilitatedSession
from app.sessions import bp, display, offline, results
from app.sessions.codes import CodeError, format_code, normalize_code
from app.sessions.forms import CodeForm, KioskSetupForm, SessionForm, default_window
from app.sessions.service import (
    apply_settings,
    authorize_kiosk,
    create_session,
    end_now,
    get_by_code_or_404,
    get_managed_or_404,
    get_or_404,
    kiosk_allowed,
    sessions_for,
    space_zone,
    spaces_for_sessions,
    try_pin,
    zones_in_use,
)
from app.sessions.windows import likely_zones, utc_to_local
from app.web.labels import SKIP_LABELS

CSV_KINDS = ("ideas", "votes", "ballots")


def city_zone() -> str:
    """The city's time zone (PLAZA_TIMEZONE), the one Plaza shows its dates in."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


@bp.get("/sessions/")
@facilitator_required
def index():
    """The sessions this facilitator runs (every session for staff)."""
    sessions = db.session.scalars(sessions_for(current_user)).all()
    return render_template("sessions/index.html", sessions=sessions, display=display)


@bp.route("/sessions/new", methods=["GET", "POST"])
@facilitator_required
def new():
    """Create a session; it gets its join code and QR code at once."""
    spaces = spaces_for_sessions()
    form = SessionForm(spaces)
    space_id = request.args.get("space", type=int)
    # The place's clock, not UTC's: the space's zone (of its last session), else the city's.
    zones = likely_zones([space_zone(space_id) or city_zone(), city_zone(), *zones_in_use()])
    form.offer_zones(zones)
    if request.method == "GET":
        form.space.data = space_id
        form.timezone.data = zones[0]
        start, end = default_window(utc_to_local(datetime.now(timezone.utc), zones[0]).replace(tzinfo=None))
        form.starts_at.data, form.ends_at.data = start, end
    if form.validate_on_submit():
        session = create_session(form, current_user.id)
        db.session.commit()
        flash(_("Session created. Its code is %(code)s.", code=format_code(session.join_code)), "success")
        return redirect(url_for("sessions.show", session_id=session.id))
    return render_template("sessions/form.html", form=form, new=True, spaces=spaces), \
        422 if form.is_submitted() else 200


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@facilitator_required
def edit(session_id: int):
    """Change the name, place, window, mode or PIN (a blank PIN keeps the current one)."""
    session = get_managed_or_404(session_id)
    form = SessionForm([], obj=session if request.method == "GET" else None, new=False)
    form.offer_zones(likely_zones([session.timezone, city_zone(), *zones_in_use()]))
    if request.method == "GET":
        form.starts_at.data = utc_to_local(session.starts_at, session.timezone).replace(tzinfo=None)
        form.ends_at.data = utc_to_local(session.ends_at, session.timezone).replace(tzinfo=None)
    if form.validate_on_submit():
        apply_settings(session, form)
        db.session.commit()
        results.forget_live(session.id)
        flash(_("The session is saved. Tablets pick up the changes when they are next online."), "success")
        return redirect(url_for("sessions.show", session_id=session.id))
    return render_template("sessions/form.html", form=form, new=False, session=session), \
        422 if form.is_submitted() else 200


@bp.get("/sessions/<int:session_id>")
@facilitator_required
def show(session_id: int):
    """The facilitator's page: code and QR to show the room, kiosk, projector and report."""
    session = get_managed_or_404(session_id)
    return render_template("sessions/show.html", session=session, space=display.space_of(session),
                           display=display, counts=results.counts(session), form=EmptyForm())


@bp.get("/sessions/<int:session_id>/end")
@facilitator_required
def confirm_end(session_id: int):
    """Ask before ending: a tap on the wrong button would turn the whole room away."""
    session = get_managed_or_404(session_id)
    if display.state(session) == "ended":
        flash(_("The session had already ended."), "info")
        return redirect(url_for("sessions.show", session_id=session.id))
    return render_template("sessions/end.html", session=session, space=display.space_of(session),
                           display=display, counts=results.counts(session), form=EmptyForm())


@bp.post("/sessions/<int:session_id>/end")
@facilitator_required
def end(session_id: int):
    """End the session now: kiosks stop taking new people; votes on their way still count."""
    session = get_managed_or_404(session_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if end_now(session, datetime.now(timezone.utc)):
        db.session.commit()
        results.forget_live(session.id)
        flash(_("The session has ended. Kiosks stop taking new people once they are online; "
                "the votes they hold still count."), "success")
    else:
        flash(_("The session had already ended."), "info")
    return redirect(url_for("sessions.show", session_id=session.id))


@bp.get("/sessions/<int:session_id>/qr.<any(svg, png):kind>")
@facilitator_required
def qr(session_id: int, kind: str):
    """The QR code of the join address, to print (PNG) or show large (SVG)."""
    session = get_managed_or_404(session_id)
    if kind == "png":
        response = Response(display.qr_png(session), mimetype="image/png")
        response.headers["Content-Disposition"] = f'inline; filename="plaza-{session.join_code}.png"'
    else:
        response = Response(display.qr_svg(session), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.post("/sessions/<int:session_id>/kiosk")
@facilitator_required
def open_kiosk(session_id: int):
    """Make this browser a kiosk of the session (it stays one after logging out)."""
    session = get_managed_or_404(session_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    authorize_kiosk(session.id)
    return redirect(url_for("sessions.kiosk", session_id=session.id))


@bp.route("/sessions/kiosk", methods=["GET", "POST"])
def kiosk_setup():
    """Set up a tablet as a kiosk with the session code and PIN, without logging in."""
    form = KioskSetupForm()
    left = request.args.get("left", type=int)
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
    error = None
    if form.validate_on_submit():
        session = db.session.scalar(FacilitatedSession.by_code(form.code.data))
        if session is None:
            form.code.errors.append(_("No session has this code."))
        else:
            attempt = try_pin(session, form.pin.data, datetime.now(timezone.utc))
            db.session.commit()
            if attempt.ok:
                authorize_kiosk(session.id)
                return redirect(url_for("sessions.kiosk", session_id=session.id))
            if attempt.locked_until is not None:
                wait = max(1, int((attempt.locked_until - datetime.now(timezone.utc)).total_seconds()))
                error = ngettext("Too many wrong PINs. Try again in %(num)s second.",
                                 "Too many wrong PINs. Try again in %(num)s seconds.", wait)
            else:
                error = _("That is not the PIN of this session.")
            form.pin.errors.append(error)
    return render_template("sessions/kiosk_setup.html", form=form, left=left), \
        422 if form.is_submitted() else 200


@bp.get("/sessions/<int:session_id>/kiosk")
def kiosk(session_id: int):
    """The kiosk: full screen, one participant after another; leaving it needs the PIN."""
    session = get_or_404(session_id)
    if not kiosk_allowed(session):
        return redirect(url_for("sessions.kiosk_setup", code=format_code(session.join_code)))
    space = display.space_of(session)
    response = Response(render_template(
        "sessions/kiosk.html", session=session, space=space, display=display, skip_labels=SKIP_LABELS,
        settings=display.app_settings(session, space, kiosk=True),
        assets=display.local_assets()))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/sessions/join", methods=["GET", "POST"])
def join():
    """Type the code the facilitator shows, or scan the QR code."""
    form = CodeForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"]
    if form.validate_on_submit():
        if db.session.scalar(FacilitatedSession.by_code(form.code.data)) is not None:
            return redirect(url_for("sessions.participate", code=form.code.data))
        form.code.errors.append(_("No session has this code; check it with the facilitator."))
    return render_template("sessions/join.html", form=form), 422 if form.is_submitted() else 200


@bp.get("/sessions/join/<code>")
def participate(code: str):
    """A participant's own phone: the same voting as the kiosk, for one person."""
    try:
        code = normalize_code(code)
    except CodeError:
        abort(404, description=_("No session has this code; check it with the facilitator."))
    if code != request.view_args["code"]:
        return redirect(url_for("sessions.participate", code=code))
    session = get_by_code_or_404(code)
    space = display.space_of(session)
    response = Response(render_template(
        "sessions/participate.html", session=session, space=space, display=display,
        skip_labels=SKIP_LABELS,
        settings=display.app_settings(session, space, kiosk=False),
        assets=display.local_assets()))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sessions/<int:session_id>/projector")
def projector(session_id: int):
    """The room's screen: results that update by themselves."""
    session = get_or_404(session_id)
    if not kiosk_allowed(session):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        abort(403, description=_("This session is run by another facilitator."))
    space = display.space_of(session)
    return render_template("sessions/projector.html", session=session, space=space,
                           display=display, live=results.live(session))


@bp.get("/sessions/<int:session_id>/report")
@facilitator_required
def report(session_id: int):
    """What the session produced: participants, votes, top ideas, added ideas."""
    session = get_managed_or_404(session_id)
    return render_template(
        "sessions/report.html", session=session, space=display.space_of(session), display=display,
        counts=results.counts(session), participants=results.participants_report(session),
        pairwise=results.with_titles(results.room_pairwise(session)) if session.uses_pairwise else None,
        quadratic=results.with_titles(results.room_quadratic(session)) if session.uses_quadratic else None,
        ideas=db.session.scalars(results.added_ideas(session.id)).all(), csv_kinds=CSV_KINDS)


@bp.get("/sessions/<int:session_id>/export/<kind>.csv")
@facilitator_required
def export(session_id: int, kind: str):
    """The report as CSV: `ideas` (both rankings), `votes` (each comparison), `ballots`."""
    session = get_managed_or_404(session_id)
    if kind not in CSV_KINDS:
        abort(404, description=_("There is no %(kind)s export; choose one of: %(kinds)s.",
                                 kind=kind, kinds=", ".join(CSV_KINDS)))
    if kind == "ideas":
        body = results.ideas_csv(session)
    elif kind == "votes":
        # A spreadsheet's date, the same in every language.
        body = results.votes_csv(
            session, lambda t: utc_to_local(t, session.timezone).strftime("%Y-%m-%d %H:%M:%S"))
    else:
        body = results.ballots_csv(session)
    response = Response("\ufeff" + body, mimetype="text/csv")  # the BOM makes Excel read UTF-8
    response.headers["Content-Disposition"] = (
        f'attachment; filename="plaza-session-{session.join_code}-{kind}.csv"')
    return response


@bp.get("/sessions/sw.js")
def service_worker():
    """The service worker, served from /sessions/ so its scope covers the kiosk pages."""
    response = Response(offline.service_worker_source(), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = url_for("sessions.index")
    return response
