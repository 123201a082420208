"""The places of a space that staff name ("Fuente central", "Kiosco"), so a resident can say
where an idea belongs by choosing from a list instead of pointing at a map.

A landmark is a name and a point. Staff type them one per line as "name, latitude,
longitude"; an idea placed at one keeps its name (Idea.landmark) and takes its point, so
the maps and the rankings treat it like any other pinned idea.
"""
from __future__ import annotations

from typing import Any, TypedDict

from app.geo import point_in_polygon
from app.text import _

NAME_MAX = 80
MAX_LANDMARKS = 50


class Landmark(TypedDict):
    name: str
    lat: float
    lng: float


class LandmarkError(ValueError):
    """A landmarks text that can't be read; the message names the line."""


def parse_landmarks(text: str, boundary: dict[str, Any] | None) -> list[Landmark]:
    """The landmarks typed one per line as "name, latitude, longitude" (the name may hold
    commas: the last two parts are the coordinates). Blank lines are skipped."""
    found: list[Landmark] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            found.append(_parse_line(number, line, boundary))
    names = [landmark["name"].casefold() for landmark in found]
    for number, name in enumerate(names, start=1):
        if name in names[:number - 1]:
            raise LandmarkError(_("Line %(line)s: another place already has this name.", line=number))
    if len(found) > MAX_LANDMARKS:
        raise LandmarkError(_("List at most %(n)s places.", n=MAX_LANDMARKS))
    return found


def _parse_line(number: int, line: str, boundary: dict[str, Any] | None) -> Landmark:
    name, *rest = [part.strip() for part in line.rsplit(",", 2)]
    if len(rest) != 2 or not name:
        raise LandmarkError(_("Line %(line)s: write the name, the latitude and the longitude, "
                              "separated by commas.", line=number))
    try:
        lat, lng = float(rest[0]), float(rest[1])
    except ValueError as exc:
        raise LandmarkError(_("Line %(line)s: the latitude and longitude must be numbers.",
                              line=number)) from exc
    if len(name) > NAME_MAX:
        raise LandmarkError(_("Line %(line)s: keep the name under %(max)s characters.",
                              line=number, max=NAME_MAX))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise LandmarkError(_("Line %(line)s: the place lies outside the valid range of coordinates.",
                              line=number))
    if boundary and not point_in_polygon(lat, lng, boundary):
        raise LandmarkError(_("Line %(line)s: the place lies outside the space's outline.", line=number))
    return Landmark(name=name, lat=lat, lng=lng)


def landmarks_text(landmarks: list[Landmark]) -> str:
    """The landmarks as staff type them, for the form."""
    return "\n".join(f"{m['name']}, {m['lat']:.6f}, {m['lng']:.6f}" for m in landmarks)


def find_landmark(landmarks: list[Landmark], name: str) -> Landmark | None:
    return next((m for m in landmarks if m["name"] == name), None)
