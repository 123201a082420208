// Point-in-polygon for GeoJSON rings ([lng, lat]); the server checks again, this is for
// telling people at once that a tap fell outside the space. And where a point lies in words,
// for people who can't see the map: "about 30 m north-east of Fuente central".
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
  },
  // Metres between two points; an equirectangular approximation is exact enough in a plaza.
  distance: function (a, b) {
    var rad = Math.PI / 180, r = 6371000;
    var x = (b.lng - a.lng) * rad * Math.cos((a.lat + b.lat) / 2 * rad), y = (b.lat - a.lat) * rad;
    return Math.sqrt(x * x + y * y) * r;
  },
  direction: function (from, to) {
    var rad = Math.PI / 180;
    var x = (to.lng - from.lng) * Math.cos((from.lat + to.lat) / 2 * rad), y = to.lat - from.lat;
    var compass = [_("north"), _("north-east"), _("east"), _("south-east"), _("south"),
                   _("south-west"), _("west"), _("north-west")];
    var bearing = (Math.atan2(x, y) / rad + 360) % 360;
    return compass[Math.round(bearing / 45) % 8];
  },
  // The point relative to the nearest of the space's named places, or to its centre.
  describe: function (point, landmarks, centre) {
    var self = window.plazaGeo, near = null, best = Infinity;
    (landmarks || []).forEach(function (m) {
      var d = self.distance(m, point);
      if (d < best) { best = d; near = m; }
    });
    var from = near || centre, metres = self.distance(from, point);
    if (metres < 10) {
      return near ? _("at %(place)s", { place: near.name }) : _("at the centre of the space");
    }
    var values = { distance: window.PlazaI18n.number(Math.round(metres / 10) * 10),
                   direction: self.direction(from, point) };
    if (!near) { return _("about %(distance)s m %(direction)s of the centre of the space", values); }
    values.place = near.name;
    return _("about %(distance)s m %(direction)s of %(place)s", values);
  }
};
