// The map of a space and the list beside it, filtered together by category and status.
// Without JavaScript the filter form and the server-rendered list do the same job.
(function () {
  "use strict";
  var el = document.getElementById("space-map");
  if (!el) { return; }
  var space = JSON.parse(el.dataset.space);
  var colors = JSON.parse(el.dataset.colors);
  var settings = JSON.parse(el.dataset.map);
  var form = document.getElementById("idea-filters");
  var categorySelect = document.getElementById("filter-category");
  var statusSelect = document.getElementById("filter-status");
  var list = document.getElementById("idea-list");
  var countEl = document.getElementById("idea-count");
  var PAGE = 50;
  var entries = [];   // {feature, marker}
  var shown = PAGE;
  var cluster = null;

  // The same words as the server's status_label, from the same catalog.
  var STATUS_LABELS = {
    pending: _("pending"), published: _("published"), hidden: _("hidden"),
    under_review: _("under review"), adopted: _("adopted"), declined: _("declined"),
    implemented: _("implemented")
  };

  function label(status) {
    return Object.prototype.hasOwnProperty.call(STATUS_LABELS, status) ? STATUS_LABELS[status] : status.replace(/_/g, " ");
  }

  function text(tag, content, className) {
    var node = document.createElement(tag);
    node.textContent = content;   // text, never HTML: titles are residents' input
    if (className) { node.className = className; }
    return node;
  }

  function popup(p) {
    var box = document.createElement("div");
    var link = text("a", p.title);
    link.href = p.url;
    box.appendChild(link);
    box.appendChild(text("div", PlazaI18n.category(p.category) + (p.status !== "published" ? " · " + label(p.status) : ""), "popup-meta"));
    return box;
  }

  function icon(L, p) {
    var adopted = p.status === "adopted" || p.status === "implemented";
    return L.divIcon({
      className: "idea-marker" + (adopted ? " idea-marker-adopted" : ""),
      html: '<span style="background:' + (colors[p.category] || "#4d4d4d") + '"></span>' +
            (adopted ? '<b class="badge" aria-hidden="true">★</b>' : ""),
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10]
    });
  }

  function matches(p) {
    var c = categorySelect.value, s = statusSelect.value;
    return (!c || p.category === c) && (!s || p.status === s);
  }

  function listItem(p) {
    var li = document.createElement("li");
    li.className = "idea";
    li.dataset.ideaId = String(p.id);
    var h = document.createElement("h3");
    var a = text("a", p.title);
    a.href = p.url;
    h.appendChild(a);
    li.appendChild(h);
    var meta = document.createElement("p");
    meta.className = "meta";
    var swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colors[p.category] || "#4d4d4d";
    swatch.setAttribute("aria-hidden", "true");
    meta.appendChild(swatch);
    meta.appendChild(text("span", PlazaI18n.category(p.category), "category"));
    if (p.status !== "published") {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(text("span", label(p.status), "status status-" + p.status));
    }
    li.appendChild(meta);
    return li;
  }

  function render() {
    var visible = entries.filter(function (e) { return matches(e.feature.properties); });
    cluster.clearLayers();
    cluster.addLayers(visible.map(function (e) { return e.marker; }));
    list.replaceChildren();
    visible.slice(0, shown).forEach(function (e) { list.appendChild(listItem(e.feature.properties)); });
    if (!visible.length) { list.appendChild(text("li", _("No ideas match these filters."), "empty")); }
    var more = document.getElementById("show-more");
    if (more) { more.remove(); }
    if (visible.length > shown) {
      more = text("button", _("Show %(n)s more", { n: PlazaI18n.number(Math.min(PAGE, visible.length - shown)) }),
                  "button button-secondary");
      more.id = "show-more";
      more.type = "button";
      more.addEventListener("click", function () { shown += PAGE; render(); });
      list.after(more);
    }
    countEl.textContent = ngettext("%(num)s shown", "%(num)s shown", visible.length,
                                 { num: PlazaI18n.number(visible.length) });
    el.dataset.markerCount = String(visible.length);
  }

  function staffOnlyStatus() {
    var option = statusSelect.selectedOptions[0];
    return Boolean(option && option.hasAttribute("data-staff-only"));
  }

  function onFilterChange() {
    if (staffOnlyStatus()) { form.submit(); return; }   // not on the public map: the server lists them
    shown = PAGE;
    var params = new URLSearchParams();
    if (categorySelect.value) { params.set("category", categorySelect.value); }
    if (statusSelect.value) { params.set("status", statusSelect.value); }
    history.replaceState(null, "", location.pathname + (params.toString() ? "?" + params : ""));
    render();
  }

  window.plazaLeaflet.then(function (L) {
    var map = L.map(el, { scrollWheelZoom: false }).setView(space.center, space.zoom);
    L.plazaTiles(map, settings);
    if (space.boundary) {
      var outline = L.geoJSON(space.boundary, {
        interactive: false,
        style: { color: "#0b6e4f", weight: 3, fillOpacity: 0.06 }
      }).addTo(map);
      map.fitBounds(outline.getBounds(), { padding: [12, 12], animate: false });
    }
    cluster = L.markerClusterGroup({ showCoverageOnHover: false, chunkedLoading: true });
    map.addLayer(cluster);
    return fetch(el.dataset.geojson, { headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        entries = data.features.slice().reverse().map(function (f) {   // newest first
          var m = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]],
                           { icon: icon(L, f.properties), title: f.properties.title, keyboard: true });
          m.bindPopup(function () { return popup(f.properties); });
          return { feature: f, marker: m };
        });
        if (staffOnlyStatus()) {   // a moderation list from the server: leave it as it is
          cluster.addLayers(entries.map(function (e) { return e.marker; }));
          el.dataset.ready = "true";
          return;
        }
        var pager = document.getElementById("pager");
        if (pager) { pager.remove(); }
        [categorySelect, statusSelect].forEach(function (s) { s.addEventListener("change", onFilterChange); });
        document.getElementById("apply-filters").hidden = true;
        render();
        el.dataset.ready = "true";
      });
  }).catch(function () {
    el.classList.add("map-unavailable");
    el.textContent = _("The map could not be loaded. The list of ideas has everything the map shows.");
  });
})();
