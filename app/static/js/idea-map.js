// The small map on an idea's page: the space's outline and the idea's place.
(function () {
  "use strict";
  var el = document.getElementById("idea-map");
  if (!el) { return; }
  var space = JSON.parse(el.dataset.space);
  var point = JSON.parse(el.dataset.point);
  var settings = JSON.parse(el.dataset.map);
  window.plazaLeaflet.then(function (L) {
    var map = L.map(el, { scrollWheelZoom: false }).setView(point, Math.max(space.zoom, 17));
    L.plazaTiles(map, settings);
    if (space.boundary) {
      L.geoJSON(space.boundary, { interactive: false, style: { color: "#0b6e4f", weight: 3, fillOpacity: 0.06 } }).addTo(map);
    }
    L.circleMarker(point, { radius: 10, color: "#fff", weight: 3, fillColor: el.dataset.color, fillOpacity: 1 }).addTo(map);
    el.dataset.ready = "true";
  }).catch(function () {
    el.classList.add("map-unavailable");
    el.textContent = _("The map could not be loaded.");
  });
})();
