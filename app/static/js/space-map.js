// The map of a space: its boundary and the ideas pinned on it.
(function () {
  "use strict";
  var el = document.getElementById("space-map");
  if (!el) { return; }
  var space = JSON.parse(el.dataset.space);
  var markers = JSON.parse(el.dataset.ideas);
  var settings = JSON.parse(el.dataset.map);

  function popup(idea) {
    // Built from text nodes so a title like <script> is shown, never run.
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = idea.title;
    var meta = document.createElement("div");
    meta.className = "popup-meta";
    meta.textContent = idea.category + (idea.status !== "published" ? " · " + idea.status.replace("_", " ") : "");
    box.appendChild(title);
    box.appendChild(meta);
    return box;
  }

  window.plazaLeaflet.then(function (L) {
    var map = L.map(el, { scrollWheelZoom: false }).setView(space.center, space.zoom);
    L.tileLayer(settings.tileUrl, { maxZoom: 20, attribution: settings.attribution }).addTo(map);
    if (space.boundary) {
      var outline = L.geoJSON(space.boundary, {
        style: { color: "#0b6e4f", weight: 3, fillOpacity: 0.06 }
      }).addTo(map);
      map.fitBounds(outline.getBounds(), { padding: [12, 12], animate: false });
    }
    var cluster = L.markerClusterGroup({ showCoverageOnHover: false });
    markers.forEach(function (idea) {
      var m = L.marker([idea.lat, idea.lng], { title: idea.title, alt: idea.title });
      m.bindPopup(popup(idea));
      cluster.addLayer(m);
    });
    map.addLayer(cluster);
    el.dataset.ready = "true";
    el.dataset.markerCount = String(markers.length);
  }).catch(function () {
    el.classList.add("map-unavailable");
    el.textContent = "The map could not be loaded. The list of ideas below has everything the map shows.";
  });
})();
