"""Boundary polygons of spaces (GeoJSON) and whether a point lies inside one."""
from __future__ import annotations

from typing import Any

from app.text import _

Ring = list[list[float]]


class BoundaryError(ValueError):
    """A boundary that is not a usable GeoJSON Polygon."""


def validate_polygon(geometry: Any) -> dict[str, Any]:
    """Return a clean GeoJSON Polygon or raise BoundaryError saying what is wrong."""
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        raise BoundaryError(_("The boundary must be a GeoJSON Polygon."))
    rings = geometry.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise BoundaryError(_("The boundary needs at least one ring of coordinates."))
    clean: list[Ring] = []
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            raise BoundaryError(_("Each boundary ring needs at least four positions."))
        points = [_position(p) for p in ring]
        if points[0] != points[-1]:
            raise BoundaryError(_("Each boundary ring must end where it starts."))
        clean.append(points)
    return {"type": "Polygon", "coordinates": clean}


def _position(value: Any) -> list[float]:
    if (
        not isinstance(value, (list, tuple))
        or len(value) < 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value[:2])
    ):
        raise BoundaryError(_("Each position must be [longitude, latitude]."))
    try:
        lng, lat = float(value[0]), float(value[1])
    except OverflowError as exc:
        raise BoundaryError(_("A boundary position lies outside the valid range.")) from exc
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise BoundaryError(_("A boundary position lies outside the valid range."))
    return [lng, lat]


def _in_ring(lng: float, lat: float, ring: Ring) -> bool:
    """Even-odd ray casting; GeoJSON rings are [lng, lat] pairs."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_polygon(lat: float, lng: float, polygon: dict[str, Any]) -> bool:
    """True when the point lies in the outer ring and in none of the holes."""
    outer, *holes = polygon["coordinates"]
    return _in_ring(lng, lat, outer) and not any(_in_ring(lng, lat, h) for h in holes)


def bounding_box(polygon: dict[str, Any]) -> tuple[float, float, float, float]:
    """(south, west, north, east) of the outer ring, for fitting a map to the space."""
    outer = polygon["coordinates"][0]
    lngs = [p[0] for p in outer]
    lats = [p[1] for p in outer]
    return min(lats), min(lngs), max(lats), max(lngs)
