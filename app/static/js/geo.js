// Point-in-polygon for GeoJSON rings ([lng, lat]); the server checks again, this is for
// telling people at once that a tap fell outside the space.
window.plazaGeo = {
  inRing: function (lng, lat, ring) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > lat) !== (yj > lat) && lng < (xj - xi) * (lat - yi) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  },
  inPolygon: function (lat, lng, polygon) {
    if (!polygon) { return true; }
    var rings = polygon.coordinates, self = window.plazaGeo;
    if (!self.inRing(lng, lat, rings[0])) { return false; }
    for (var k = 1; k < rings.length; k++) { if (self.inRing(lng, lat, rings[k])) { return false; } }
    return true;
  }
};
