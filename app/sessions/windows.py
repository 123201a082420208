"""Time windows of facilitated sessions: when a session takes participants and their votes.

Pure functions, no Flask. Times are stored in UTC and entered in the session's own time
zone (the place's, not the server's). A tablet that was offline may send its votes after
the session ended: they are taken for a grace period, since they were cast in the room.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from enum import Enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global

from app.text import _

#: Pair ids expire 24 h after they are issued, so a session may not run longer than this.
MAX_DURATION = timedelta(hours=12)
MIN_DURATION = timedelta(minutes=10)
#: Tablets may be set up (and hold participants in stock) this long before the start.
SETUP_LEAD = timedelta(hours=2)
#: Votes cast offline are accepted this long after the end.
SYNC_GRACE = timedelta(hours=12)


class WindowError(ValueError):
    """A time window a facilitator cannot choose; the message is shown in the form."""


class WindowState(str, Enum):
    UPCOMING = "upcoming"
    OPEN = "open"
    ENDED = "ended"


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; SQLite returns naive ones for timezone-aware columns."""
    # SQLite hands back naive datetimes for timezone-aware columns; they were stored as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def zone(name: object) -> ZoneInfo:
    """The ZoneInfo for an IANA name; WindowError for anything else."""
    if not isinstance(name, str) or not name or len(name) > 64:
        raise WindowError(_("Choose the time zone of the place."))
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise WindowError(_("“%(name)s” is not a time zone; choose one from the list.",
                            name=name[:40])) from exc


def local_to_utc(local: datetime, tz_name: str,
                 show_day: Callable[[datetime], str] = lambda day: f"{day:%d %B}") -> datetime:
    """A wall-clock time at the place, in UTC; WindowError if the clocks skip that time.

    `show_day` writes the day in that message: the forms pass one in the reader's language.
    """
    tz = zone(tz_name)
    aware = local.replace(tzinfo=tz)
    back = aware.astimezone(timezone.utc).astimezone(tz).replace(tzinfo=None)
    if back != local.replace(tzinfo=None):
        raise WindowError(_("%(time)s does not exist on %(day)s in %(zone)s: "
                            "the clocks change then. Choose another time.",
                            time=local.strftime("%H:%M"), day=show_day(local), zone=tz_name))
    return aware.astimezone(timezone.utc)


def likely_zones(preferred: list[str]) -> list[str]:
    """The zones a facilitator most likely means, most likely first: `preferred` as given (the
    space's, the city's, those of earlier sessions), then the other zones of the first one's
    country ("America/Mexico_City" brings Cancún, Tijuana, ...). Unknown names are left out."""
    zones: list[str] = []
    for name in preferred:
        try:
            zone(name)
        except WindowError:
            continue
        if name not in zones:
            zones.append(name)
    if zones:
        country = get_global("zone_territories").get(zones[0])
        zones += sorted(z for z in get_global("territory_zones").get(country, ()) if z not in zones)
    return zones


def utc_to_local(value: datetime, tz_name: str) -> datetime:
    return as_utc(value).astimezone(zone(tz_name))


def check_window(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """WindowError unless the window is the right length and has not ended yet."""
    starts_at, ends_at, now = as_utc(starts_at), as_utc(ends_at), as_utc(now)
    if ends_at <= starts_at:
        raise WindowError(_("The end must come after the start."))
    if ends_at - starts_at < MIN_DURATION:
        raise WindowError(_("A session lasts at least %(n)s minutes.",
                            n=int(MIN_DURATION.total_seconds() // 60)))
    if ends_at - starts_at > MAX_DURATION:
        raise WindowError(_("A session lasts at most %(n)s hours; "
                            "for a longer event, create one session per day.",
                            n=int(MAX_DURATION.total_seconds() // 3600)))
    if ends_at <= now:
        raise WindowError(_("This time window is already over; choose an end in the future."))


def window_state(starts_at: datetime, ends_at: datetime, now: datetime) -> WindowState:
    starts_at, ends_at, now = as_utc(starts_at), as_utc(ends_at), as_utc(now)
    if now < starts_at:
        return WindowState.UPCOMING
    if now < ends_at:
        return WindowState.OPEN
    return WindowState.ENDED


def takes_participants(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """New participants may be created (tablets stock them up) from SETUP_LEAD before the start."""
    return as_utc(starts_at) - SETUP_LEAD <= as_utc(now) < as_utc(ends_at)


def issued_in_time(issued_at: datetime | None, ends_at: datetime) -> bool:
    """A pair handed out before the session ended may still be answered in the grace time."""
    return issued_at is not None and as_utc(issued_at) <= as_utc(ends_at)


def takes_submissions(starts_at: datetime, ends_at: datetime, now: datetime) -> bool:
    """What a tablet stored while the session ran is taken until SYNC_GRACE after the end
    (offline tablets); votes only on pairs handed out before the end (`issued_in_time`)."""
    return as_utc(starts_at) - SETUP_LEAD <= as_utc(now) < as_utc(ends_at) + SYNC_GRACE
