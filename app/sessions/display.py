"""How sessions are shown: the join address and its QR code, times at the place (in the
reader's language), and the settings a kiosk or phone page needs to run on its own (offline too).
"""
from __future__ import annotations

import io
from datetime import datetime, timezone

import segno
import sqlalchemy as sa
from flask import url_for
from babel.dates import get_time_format
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.assets import map_assets, map_settings
from app.extensions import db
from app.ideas.drafts import TITLE_MIN
from app.models.idea import BODY_MAX, TITLE_MAX
from app.models import Space
from app.models.facilitation import FacilitatedSession
from app.qv.ballots import votable_ideas
from app.qv.ordering import ballot_order
from app.qv.budget import max_votes
from app.sessions.codes import format_code
from app.sessions.pins import parse_stored
from app.sessions.windows import as_utc, utc_to_local, window_state
from app.pairwise.tokens import PAIR_TOKEN_MAX_AGE

MODE_LABELS = {"pairwise": _l("Pairwise"), "quadratic": _l("Quadratic voting"),
               "both": _l("Pairwise, then quadratic voting")}
STATE_LABELS = {"upcoming": _l("upcoming"), "open": _l("open"), "ended": _l("ended")}
VIA_LABELS = {"kiosk": _l("kiosk"), "phone": _l("phone")}
PHASE_NAMES = {"ideas": _l("ideas"), "voting": _l("voting"), "closed": _l("closed")}
#: Babel patterns: the names of days and months come out in the reader's language, and
#: the day without a leading zero ("1 dic 2026").
DAY = "EEE d MMM y"
DATE = "d MMM y"


def join_url(session: FacilitatedSession) -> str:
    """The address a phone opens from the QR code (absolute, with this server's host)."""
    return url_for("sessions.participate", code=session.join_code, _external=True)


def qr_code(session: FacilitatedSession) -> segno.QRCode:
    return segno.make(join_url(session), error="m")


def qr_svg(session: FacilitatedSession) -> str:
    return qr_code(session).svg_inline(scale=6, border=2, dark="#1d2521", light="#ffffff",
                                       omitsize=True, title=_("QR code for %(url)s", url=join_url(session)))


def qr_png(session: FacilitatedSession, scale: int = 10) -> bytes:
    out = io.BytesIO()
    qr_code(session).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def clock_pattern() -> str:
    """The reader's own clock: "13:05" in Spain, "1:05 p.m." in Mexico, "1:05 PM" in the US."""
    return get_time_format("short", get_locale()).pattern


def local_time(session: FacilitatedSession, value: datetime | None, *, date: bool = True) -> str:
    """A stored UTC time as the wall clock at the session's place, with its date unless `date` is False."""
    if value is None:
        return ""
    pattern = f"{DATE}, {clock_pattern()}" if date else clock_pattern()
    return format_datetime(utc_to_local(value, session.timezone), pattern, rebase=False)


def clock_hour(session: FacilitatedSession, value: datetime) -> int:
    """The hour as `local_time` shows it (1 for "1:30 p.m."), which picks the preposition in
    Spanish: "a la 1:30" but "a las 2:30"."""
    letter = next((c for c in clock_pattern() if c in "hHkK"), "H")
    return int(format_datetime(utc_to_local(value, session.timezone), letter, rebase=False))


def window_text(session: FacilitatedSession) -> str:
    starts = utc_to_local(session.starts_at, session.timezone)
    ends = utc_to_local(session.ends_at, session.timezone)
    clock = clock_pattern()
    end_pattern = clock if starts.date() == ends.date() else f"{DATE}, {clock}"
    return (f"{format_datetime(starts, f'{DAY}, {clock}', rebase=False)} – "
            f"{format_datetime(ends, end_pattern, rebase=False)} ({session.timezone})")


def state(session: FacilitatedSession) -> str:
    return window_state(session.starts_at, session.ends_at, datetime.now(timezone.utc)).value


def state_label(session: FacilitatedSession) -> str:
    return str(STATE_LABELS[state(session)])


def local_assets() -> list[dict]:
    """Leaflet from Plaza's own copy only: what the service worker keeps for offline use."""
    return [dict(a, cdn=None) for a in map_assets()]


def app_settings(session: FacilitatedSession, space: Space, *, kiosk: bool) -> dict:
    """Everything the participant app needs, embedded in the page so it runs offline."""
    ideas = db.session.scalars(votable_ideas(space.id)).all() if session.uses_quadratic else []
    # One page serves every participant of a kiosk, so the shuffle is the session's.
    ideas = ballot_order(ideas, space.categories, f"session:{session.id}")
    settings = {
        "sessionId": session.id,
        "code": session.join_code,
        "codeShown": format_code(session.join_code),
        "name": session.name,
        "kiosk": kiosk,
        "mode": session.mode,
        "collectIdeas": session.collect_ideas and space.accepts_ideas,
        "votingOpen": space.accepts_votes,
        "moderated": space.moderation,
        "idleSeconds": session.idle_seconds,
        "startsAt": as_utc(session.starts_at).isoformat(),
        "endsAt": as_utc(session.ends_at).isoformat(),
        "startsAtText": local_time(session, session.starts_at, date=False),
        "startsAtHour": clock_hour(session, session.starts_at),
        "serverTime": datetime.now(timezone.utc).isoformat(),
        "budget": space.qv_budget,
        "maxVotes": max_votes(space.qv_budget),
        "negative": space.qv_negative,
        "ideas": [{"id": i.id, "title": i.title, "category": i.category} for i in ideas],
        # The rules' own limits (app/ideas/drafts.py) and the pair ids' lifetime, so the
        # tablet checks offline what the server will check when it syncs.
        "ideaLimits": {"titleMin": TITLE_MIN, "titleMax": TITLE_MAX, "bodyMax": BODY_MAX},
        "pairMaxAgeSeconds": PAIR_TOKEN_MAX_AGE,
        "categories": list(space.categories),
        "space": {"name": space.name, "center": [space.center_lat, space.center_lng],
                  "zoom": space.zoom, "boundary": space.boundary},
        "map": map_settings(),
        "urls": {
            "csrf": url_for("api.session_csrf"),
            "participants": url_for("api.session_participants", code=session.join_code),
            "pairs": url_for("api.session_pairs", code=session.join_code),
            "sync": url_for("api.session_sync", code=session.join_code),
            "config": url_for("api.session_config", code=session.join_code),
            "serviceWorker": url_for("sessions.service_worker"),
            "exit": url_for("sessions.kiosk_setup", left=session.id),
        },
    }
    if kiosk:
        verifier = parse_stored(session.pin_hash)
        settings["pin"] = {"iterations": verifier.iterations, "salt": verifier.salt,
                           "hash": verifier.hash}
    return settings


def space_of(session: FacilitatedSession) -> Space:
    return db.session.scalar(sa.select(Space).where(Space.id == session.space_id))
