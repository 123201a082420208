"""Boundary polygons and the point-in-polygon check."""
import pytest

from app.geo import BoundaryError, bounding_box, point_in_polygon, validate_polygon

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]]}
WITH_HOLE = {"type": "Polygon", "coordinates": [
    [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
    [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
]}
L_SHAPE = {"type": "Polygon", "coordinates": [[[0, 0], [10, 0], [10, 4], [4, 4], [4, 10],
                                               [0, 10], [0, 0]]]}


@pytest.mark.parametrize("polygon, lat, lng, inside", [
    (SQUARE, 5, 5, True), (SQUARE, 11, 5, False), (SQUARE, -1, 5, False),
    (WITH_HOLE, 5, 5, False), (WITH_HOLE, 2, 2, True),
    (L_SHAPE, 2, 8, True), (L_SHAPE, 8, 8, False), (L_SHAPE, 8, 2, True),
])
def test_point_in_polygon(polygon, lat, lng, inside):
    assert point_in_polygon(lat, lng, polygon) is inside


@pytest.mark.parametrize("bad, message", [
    (None, "GeoJSON Polygon"),
    ({"type": "Point", "coordinates": [0, 0]}, "GeoJSON Polygon"),
    ({"type": "Polygon", "coordinates": []}, "at least one ring"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}, "four positions"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}, "end where it starts"),
    ({"type": "Polygon", "coordinates": [[[0, 0], ["a", 0], [1, 1], [0, 0]]]}, "[longitude, latitude]"),
    ({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]}, "valid range"),
])
def test_validate_polygon_refuses(bad, message):
    with pytest.raises(BoundaryError, match=message.replace("[", r"\[").replace("]", r"\]")):
        validate_polygon(bad)


def test_bounding_box():
    assert bounding_box(L_SHAPE) == (0, 0, 10, 10)
