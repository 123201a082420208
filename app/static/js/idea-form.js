// The idea form: place the idea on the map, warn about look-alike ideas, count characters
// against the limits the server rendered, check the photo size.
(function () {
  "use strict";
  var form = document.querySelector(".idea-form");
  if (!form) { return; }
  var mapEl = document.getElementById("pick-map");
  var space = JSON.parse(mapEl.dataset.space);
  var settings = JSON.parse(mapEl.dataset.map);
  var latInput = document.getElementById("lat");
  var lngInput = document.getElementById("lng");
  var message = document.getElementById("location-message");
  var MAX_PHOTO = 5 * 1024 * 1024;

  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }

  // --- location -----------------------------------------------------------------------
  // The server's word on a missing or wrong place stands by the map until a valid pin is set.
  function clearPlaceErrors() {
    var errors = document.getElementById("location-errors");
    if (!errors) { return; }
    errors.remove();
    form.querySelector(".location").classList.remove("field-error");
    mapEl.setAttribute("aria-describedby", "location-hint");
    [latInput, lngInput].forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
  }

  window.plazaLeaflet.then(function (L) {
    var map = L.map(mapEl).setView(space.center, space.zoom);
    L.plazaTiles(map, settings);
    if (space.boundary) {
      var outline = L.geoJSON(space.boundary, {
        interactive: false, style: { color: "#0b6e4f", weight: 3, fillOpacity: 0.06 }
      }).addTo(map);
      map.fitBounds(outline.getBounds(), { padding: [8, 8], animate: false });
    }
    var marker = null;
    var landmarks = JSON.parse(mapEl.dataset.landmarks || "[]");
    var centre = { lat: space.center[0], lng: space.center[1] };
    var choice = document.getElementById("landmark");
    var anywhere = document.getElementById("anywhere");
    var FOLLOW_UP = {
      keyboard: _("Move the crosshair and press Enter to move it."),
      landmark: ""
    };

    function where(lat, lng) { return window.plazaGeo.describe({ lat: lat, lng: lng }, landmarks, centre); }

    // Every way of placing (tap, drag, keys, list, device, typed) ends here, and says where.
    function place(lat, lng, source) {
      if (!window.plazaGeo.inPolygon(lat, lng, space.boundary)) {
        message.textContent = source === "device"
          ? _("You seem to be outside this space; tap the map where your idea belongs instead.")
          : _("That spot is outside the space; pick a place inside the green outline.");
        message.className = "location-message location-error";
        return false;
      }
      latInput.value = lat.toFixed(6);
      lngInput.value = lng.toFixed(6);
      if (!marker) {
        marker = L.marker([lat, lng], { draggable: true, autoPan: true, title: _("Your idea") }).addTo(map);
        marker.on("dragend", function () {
          var p = marker.getLatLng();
          if (!place(p.lat, p.lng, "drag")) { marker.setLatLng([latInput.value, lngInput.value]); }
        });
      } else {
        marker.setLatLng([lat, lng]);
      }
      if (choice && source !== "landmark") { choice.value = ""; }
      if (anywhere) { anywhere.checked = false; }
      var followUp = Object.prototype.hasOwnProperty.call(FOLLOW_UP, source)
        ? FOLLOW_UP[source] : _("Drag the pin to adjust.");
      message.textContent = (_("Placed %(where)s.", { where: where(lat, lng) }) + " " + followUp).trim();
      message.className = "location-message location-ok";
      mapEl.dataset.placed = "true";
      clearPlaceErrors();
      return true;
    }

    // The keyboard: the map's own arrow keys move it under a crosshair at its centre (shown
    // while the map has keyboard focus), Enter puts the pin there; each stop is announced.
    mapEl.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || e.target !== mapEl) { return; }
      e.preventDefault();
      var c = map.getCenter();
      place(c.lat, c.lng, "keyboard");
    });
    map.on("moveend", function () {
      if (document.activeElement !== mapEl || !mapEl.matches(":focus-visible")) { return; }
      var c = map.getCenter();
      message.className = "location-message";
      message.textContent = window.plazaGeo.inPolygon(c.lat, c.lng, space.boundary)
        ? _("Crosshair %(where)s. Press Enter to put the pin here.", { where: where(c.lat, c.lng) })
        : _("The crosshair is outside the space.");
    });

    function placeAtChoice() {
      var chosen = landmarks.filter(function (m) { return m.name === choice.value; })[0];
      if (!chosen) { return false; }
      place(chosen.lat, chosen.lng, "landmark");
      map.setView([chosen.lat, chosen.lng], map.getZoom(), { animate: false });
      return true;
    }
    if (choice) { choice.addEventListener("change", placeAtChoice); }
    // "Somewhere in the space": no spot, so no pin.
    if (anywhere) {
      anywhere.addEventListener("change", function () {
        if (!anywhere.checked) { return; }
        if (marker) { map.removeLayer(marker); marker = null; }
        latInput.value = lngInput.value = "";
        if (choice) { choice.value = ""; }
        delete mapEl.dataset.placed;
        message.className = "location-message location-ok";
        message.textContent = _("No spot: your idea is about the whole space.");
        clearPlaceErrors();
      });
    }

    map.on("click", function (e) { place(e.latlng.lat, e.latlng.lng, "tap"); });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
        if (isFinite(lat) && isFinite(lng)) { place(lat, lng, "typed"); }
      });
    });
    // A form sent back with errors keeps its place: the chosen landmark, or the pin.
    var lat0 = parseFloat(latInput.value), lng0 = parseFloat(lngInput.value);
    if (!(anywhere && anywhere.checked) && !(choice && placeAtChoice()) && isFinite(lat0) && isFinite(lng0) &&
        window.plazaGeo.inPolygon(lat0, lng0, space.boundary)) {
      place(lat0, lng0, "typed");
    }

    var locate = document.getElementById("use-location");
    if ("geolocation" in navigator) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        message.textContent = _("Finding your location…");
        navigator.geolocation.getCurrentPosition(function (pos) {
          if (place(pos.coords.latitude, pos.coords.longitude, "device")) {
            map.setView([pos.coords.latitude, pos.coords.longitude], Math.max(map.getZoom(), 18));
          }
        }, function () {
          message.textContent = _("Your location is not available; tap the map instead.");
          message.className = "location-message location-error";
        }, { enableHighAccuracy: true, timeout: 10000 });
      });
    }
    mapEl.dataset.ready = "true";
  }).catch(function () {
    mapEl.classList.add("map-unavailable");
    mapEl.textContent = _("The map could not be loaded; type the coordinates below.");
    document.querySelector(".coordinates").open = true;
  });

  // --- similar ideas --------------------------------------------------------------------
  var similar = document.getElementById("similar");
  var similarList = document.getElementById("similar-list");
  var title = document.getElementById("title");
  var body = document.getElementById("body");
  var timer = null, lastQuery = "";

  function showSimilar(ideas) {
    similarList.replaceChildren();
    ideas.forEach(function (idea) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = idea.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = idea.title;
      li.appendChild(a);
      // A form of its own (a submit button here would become the idea form's default,
      // pressed by Enter in the title): it sends only the CSRF token.
      var support = document.createElement("button");
      support.type = "button";
      support.className = "button button-secondary support-instead";
      support.textContent = similar.dataset.supportLabel;
      support.addEventListener("click", function () { supportInstead(idea.support_url); });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(support);
      similarList.appendChild(li);
    });
    similar.hidden = ideas.length === 0;
  }

  function supportInstead(url) {
    var post = document.createElement("form");
    post.method = "post";
    post.action = url;
    post.hidden = true;
    post.appendChild(form.querySelector("input[name=csrf_token]").cloneNode());
    document.body.appendChild(post);
    post.submit();
  }

  function lookUp() {
    var q = title.value.trim() + "\n" + body.value.trim();
    if (q.trim().length < 4 || q === lastQuery) { return; }
    lastQuery = q;
    var params = new URLSearchParams({ q: title.value.trim(), body: body.value.trim().slice(0, 2000) });
    fetch(form.dataset.similarUrl + "?" + params)
      .then(function (r) { return r.ok ? r.json() : { ideas: [] }; })
      .then(function (data) { if (q === lastQuery) { showSimilar(data.ideas); } })
      .catch(function () { /* a hint only: offline or busy means no hint */ });
  }

  [title, body].forEach(function (input) {
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 350);
    });
  });

  // --- character counts -----------------------------------------------------------------
  // Text is never cut at the limit (a pasted text would lose its end unseen); the count says
  // how much is left, or how much is over, and the server refuses what is too long.
  Array.prototype.forEach.call(form.querySelectorAll("[data-limit]"), function (input) {
    var limit = parseInt(input.dataset.limit, 10);
    var count = document.getElementById(input.id + "-count");
    function update() {
      var n = input.value.length;
      var shown = { count: PlazaI18n.number(n), max: PlazaI18n.number(limit) };
      if (n > limit) {
        shown.over = PlazaI18n.number(n - limit);
        count.textContent = _("%(count)s of %(max)s characters: %(over)s too many", shown);
      } else {
        count.textContent = _("%(count)s of %(max)s characters", shown);
      }
      count.classList.toggle("char-count-over", n > limit);
      count.hidden = false;
    }
    input.addEventListener("input", update);
    update();
  });

  // --- photo ----------------------------------------------------------------------------
  var photo = document.getElementById("photo");
  photo.addEventListener("change", function () {
    var file = photo.files[0];
    photo.setCustomValidity("");
    var note = document.getElementById("photo-size-error");
    if (note) { note.remove(); }
    if (file && file.size > MAX_PHOTO) {
      note = document.createElement("p");
      note.id = "photo-size-error";
      note.className = "errors";
      note.setAttribute("role", "alert");
      note.textContent = _("The photo is larger than 5 MB; choose a smaller one or leave it out.");
      photo.after(note);
      photo.value = "";
    }
  });
})();
