// Loads the map libraries from the CDN (checked by SRI) and falls back to Plaza's own copy
// when the CDN fails, is blocked, hangs or is slow. Pages wait on window.plazaLeaflet and
// draw their background with L.plazaTiles(map, settings).
(function () {
  "use strict";
  var assets = JSON.parse(document.currentScript.dataset.assets);
  // The CDN has this long from here to deliver each file, all files counted from the same
  // start, so a stalled CDN costs this once and not once per file. A file not there by then
  // comes from Plaza, and so does every file after it: a CDN that let one down is not waited on again.
  var CDN_DEADLINE_MS = 2500;
  var deadline = Date.now() + CDN_DEADLINE_MS;
  var cdnFailed = false;
  var TILE_PATIENCE_MS = 8000;   // no tile by then: the tile server is as good as down
  var chosenL = null;
  var chosenNames = null;   // chosenL's own names once the last script that counts has run

  // A copy given up on still runs when it arrives. Leaflet's would replace window.L; the
  // plugin's would define its classes again on the chosen L, and the clusters already drawn,
  // made by the first classes, would stop answering taps (its `instanceof L.MarkerCluster`).
  function keepChosenL() {
    if (!chosenL) { return; }
    window.L = chosenL;
    if (!chosenNames) { return; }
    Object.keys(chosenL).forEach(function (name) {
      if (!(name in chosenNames)) { delete chosenL[name]; }
    });
    Object.keys(chosenNames).forEach(function (name) { chosenL[name] = chosenNames[name]; });
  }

  function element(asset, url) {
    var el;
    if (asset.kind === "css") {
      el = document.createElement("link");
      el.rel = "stylesheet";
      el.href = url;
    } else {
      el = document.createElement("script");
      el.src = url;
      // Not async=false: a script kept in order would wait behind a CDN copy that never comes.
      // The order (Leaflet before the plugin) is kept by loading one script after the other.
      el.async = true;
    }
    el.integrity = asset.integrity;
    el.crossOrigin = "anonymous";
    return el;
  }

  // Puts the file in the asset's place in <head> (styles keep their order whichever copy
  // wins); resolves once it has loaded (a script: run), rejects when it fails or, with
  // `until`, when that time passes first. A copy given up on is taken out again; should a
  // script given up on still arrive and run, keepChosenL undoes what it changed.
  function attach(asset, url, slot, until) {
    return new Promise(function (resolve, reject) {
      var el = element(asset, url);
      var settled = false;
      var timer = until ? setTimeout(function () { giveUp(new Error("timeout " + url)); }, Math.max(0, until - Date.now())) : null;
      function giveUp(err) {
        if (settled) { return; }
        settled = true;
        clearTimeout(timer);
        el.remove();
        reject(err);
      }
      el.onload = function () {
        if (settled) { keepChosenL(); return; }   // too late: it ran anyway
        settled = true;
        clearTimeout(timer);
        resolve();
      };
      el.onerror = function () { giveUp(new Error("failed " + url)); };
      slot.parentNode.insertBefore(el, slot);
    });
  }

  function loadOne(asset, slot) {
    if (!asset.cdn || cdnFailed) { return attach(asset, asset.local, slot, 0); }
    return attach(asset, asset.cdn, slot, deadline).catch(function () {
      cdnFailed = true;
      return attach(asset, asset.local, slot, 0);   // Plaza's own copy is the last resort, however slow
    });
  }

  // Leaflet's own words (the zoom buttons' titles, a marker's alt text) in the page's language.
  function translateLeaflet(L) {
    if (typeof window._ !== "function") { return; }   // a page without i18n.js keeps English
    L.Control.Zoom.prototype.options.zoomInTitle = _("Zoom in");
    L.Control.Zoom.prototype.options.zoomOutTitle = _("Zoom out");
    L.Marker.prototype.options.alt = _("Marker");
    // The credit's "Leaflet" link keeps its flag; only its tooltip is put in the page's language.
    var credit = L.Control.Attribution.prototype.options;
    if (typeof credit.prefix === "string") {
      credit.prefix = credit.prefix.replace(/title="[^"]*"/, 'title="' +
        _("A JavaScript library for interactive maps").replace(/&/g, "&amp;").replace(/"/g, "&quot;") + '"');
    }
  }

  // Every map stands still for a person whose system asks for reduced motion: no zoom, fade or
  // marker animation and no drag inertia on a map made while it is asked, and no eased pan,
  // zoom or flight (a popup's auto-pan and the arrow keys' pans included) while it is asked.
  // It is done here, once, because every map script waits on window.plazaLeaflet.
  var MOVES = { setView: 2, setZoom: 1, zoomIn: 1, zoomOut: 1, setZoomAround: 2, fitBounds: 1,
                panTo: 1, panBy: 1, panInsideBounds: 1, flyTo: 2, flyToBounds: 1 };

  function honourReducedMotion(L) {
    var query = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : null;
    if (!query) { return; }
    if (query.matches) {
      L.Map.mergeOptions({ zoomAnimation: false, fadeAnimation: false, markerZoomAnimation: false, inertia: false });
      if (L.MarkerClusterGroup) { L.MarkerClusterGroup.mergeOptions({ animate: false, animateAddingMarkers: false }); }
    }
    Object.keys(MOVES).forEach(function (name) {
      var move = L.Map.prototype[name], at = MOVES[name];
      L.Map.prototype[name] = function () {
        var args = Array.prototype.slice.call(arguments);
        if (query.matches && args[at] !== true) {   // true: Leaflet's own "reset the view", no motion
          args.length = Math.max(args.length, at + 1);
          args[at] = L.extend({}, args[at], { animate: false });
        }
        return move.apply(this, args);
      };
    });
  }

  // The map's background. Without tiles (the tile server down or blocked) the map still
  // draws the outline, the markers and the pin; a notice on it says what is missing, so a
  // grey box does not look like a broken page. It goes once a tile arrives.
  function defineTiles(L) {
    L.plazaTiles = function (map, settings) {
      var layer = L.tileLayer(settings.tileUrl, { maxZoom: 20, attribution: settings.attribution });
      var loaded = false, notice = null, patience = null;
      function warn() {
        if (loaded || notice) { return; }
        notice = L.DomUtil.create("p", "map-notice", map.getContainer());
        notice.setAttribute("role", "status");
        notice.textContent = typeof window._ === "function"
          ? _("The map background could not load; the outline and the pins still work.")
          : "The map background could not load; the outline and the pins still work.";
      }
      layer.on("tileerror", warn);
      layer.on("loading", function () { if (!loaded && !patience) { patience = setTimeout(warn, TILE_PATIENCE_MS); } });
      layer.on("tileload", function () {
        loaded = true;
        clearTimeout(patience);
        if (notice) { notice.remove(); notice = null; }
      });
      return layer.addTo(map);
    };
  }

  var styles = [], scripts = [];
  assets.forEach(function (asset) {
    var slot = document.head.appendChild(document.createComment(asset.local));
    (asset.kind === "css" ? styles : scripts).push({ asset: asset, slot: slot });
  });
  // The styles all at once; the scripts one after the other, as the plugin extends the L
  // that Leaflet defines.
  var styled = Promise.all(styles.map(function (s) { return loadOne(s.asset, s.slot); }));
  // The L captured once Leaflet has run is the one the plugin extends and pages use, even if
  // a late CDN copy runs after all.
  var scripted = scripts.reduce(function (done, s) {
    return done.then(function () { return loadOne(s.asset, s.slot); }).then(function () {
      chosenL = chosenL || window.L;
      chosenNames = Object.assign({}, chosenL);
    });
  }, Promise.resolve());
  window.plazaLeaflet = Promise.all([styled, scripted]).then(function () {
    translateLeaflet(chosenL);
    honourReducedMotion(chosenL);
    defineTiles(chosenL);
    document.documentElement.dataset.leaflet = "ready";
    return chosenL;
  }).catch(function (err) {
    document.documentElement.dataset.leaflet = "failed";
    throw err;
  });
})();
