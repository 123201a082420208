// The space editor's map: pick the centre and zoom, draw the boundary corner by corner.
(function () {
  "use strict";
  var el = document.getElementById("space-editor-map");
  if (!el) { return; }
  var settings = JSON.parse(el.dataset.map);
  var lat = document.getElementById("center_lat");
  var lng = document.getElementById("center_lng");
  var zoom = document.getElementById("zoom");
  var boundary = document.getElementById("boundary");
  var status = document.getElementById("boundary-status");
  var finish = document.getElementById("finish-boundary");

  window.plazaLeaflet.then(function (L) {
    var start = [parseFloat(lat.value) || 19.4326, parseFloat(lng.value) || -99.1332];
    var map = L.map(el).setView(start, parseInt(zoom.value, 10) || 16);
    L.plazaTiles(map, settings);
    var outline = null, drawing = null, corners = [];

    function show(geojson) {
      if (outline) { map.removeLayer(outline); outline = null; }
      if (geojson) {
        outline = L.geoJSON(geojson, { style: { color: "#0b6e4f", weight: 3, fillOpacity: 0.08 } }).addTo(map);
        map.fitBounds(outline.getBounds(), { padding: [10, 10], animate: false });
      }
    }
    if (boundary.value) { try { show(JSON.parse(boundary.value)); } catch (e) { /* the server says what is wrong */ } }

    document.getElementById("use-view").addEventListener("click", function () {
      var c = map.getCenter();
      lat.value = c.lat.toFixed(6);
      lng.value = c.lng.toFixed(6);
      zoom.value = String(map.getZoom());
      status.textContent = _("Centre and zoom taken from the map.");
    });
    // A place at the map's centre, its name selected for typing over.
    document.getElementById("add-landmark").addEventListener("click", function () {
      var places = document.getElementById("landmarks");
      var c = map.getCenter();
      var name = _("Name of the place");
      places.value = places.value.replace(/\s+$/, "") + (places.value.trim() ? "\n" : "") +
        name + ", " + c.lat.toFixed(6) + ", " + c.lng.toFixed(6);
      var start = places.value.lastIndexOf(name);
      places.focus();
      places.setSelectionRange(start, start + name.length);
      status.textContent = _("A place at the map's centre is added to the list: type its name.");
    });
    document.getElementById("draw-boundary").addEventListener("click", function () {
      corners = [];
      if (drawing) { map.removeLayer(drawing); }
      drawing = L.polyline([], { color: "#b35806", weight: 3 }).addTo(map);
      finish.hidden = false;
      status.textContent = _("Tap the corners of the space, then press Finish.");
    });
    map.on("click", function (e) {
      if (!drawing) { return; }
      corners.push([e.latlng.lng, e.latlng.lat]);
      drawing.addLatLng(e.latlng);
      status.textContent = ngettext("%(num)s corner so far.", "%(num)s corners so far.", corners.length);
    });
    finish.addEventListener("click", function () {
      if (corners.length < 3) { status.textContent = _("A boundary needs at least three corners."); return; }
      var geojson = { type: "Polygon", coordinates: [corners.concat([corners[0]])] };
      boundary.value = JSON.stringify(geojson);
      map.removeLayer(drawing);
      drawing = null;
      finish.hidden = true;
      show(geojson);
      status.textContent = _("Boundary set with %(num)s corners. Save to keep it.", { num: corners.length });
    });
    document.getElementById("clear-boundary").addEventListener("click", function () {
      boundary.value = "";
      show(null);
      status.textContent = _("No boundary: ideas may be placed anywhere on the map.");
    });
    el.dataset.ready = "true";
  });
})();
