// Loads the map libraries from the CDN (checked by SRI) and falls back to Plaza's own copy
// when the CDN is unreachable, blocked or too slow. Pages wait on window.plazaLeaflet.
(function () {
  "use strict";
  var assets = JSON.parse(document.currentScript.dataset.assets);
  var CDN_TIMEOUT_MS = 4000;

  function attach(asset, url, timeoutMs) {
    return new Promise(function (resolve, reject) {
      var el;
      if (asset.kind === "css") {
        el = document.createElement("link");
        el.rel = "stylesheet";
        el.href = url;
      } else {
        el = document.createElement("script");
        el.src = url;
        el.async = false;
      }
      el.integrity = asset.integrity;
      el.crossOrigin = "anonymous";
      // Only the CDN gets a deadline: Plaza's own copy is the last resort, however slow.
      var timer = timeoutMs ? setTimeout(function () { reject(new Error("timeout " + url)); }, timeoutMs) : null;
      el.onload = function () { clearTimeout(timer); resolve(); };
      el.onerror = function () { clearTimeout(timer); el.remove(); reject(new Error("failed " + url)); };
      document.head.appendChild(el);
    });
  }

  function loadOne(asset) {
    if (!asset.cdn) { return attach(asset, asset.local, 0); }
    return attach(asset, asset.cdn, CDN_TIMEOUT_MS).catch(function () { return attach(asset, asset.local, 0); });
  }

  // Leaflet's own words (the zoom buttons' titles, a marker's alt text) in the page's language.
  function translateLeaflet(L) {
    if (typeof window._ !== "function") { return; }   // a page without i18n.js keeps English
    L.Control.Zoom.prototype.options.zoomInTitle = _("Zoom in");
    L.Control.Zoom.prototype.options.zoomOutTitle = _("Zoom out");
    L.Marker.prototype.options.alt = _("Marker");
  }

  // In order: the marker-cluster plugin extends the L that Leaflet defines. The L captured
  // here is the one pages use, even if a slow CDN copy arrives later and replaces window.L.
  window.plazaLeaflet = assets.reduce(function (done, asset) {
    return done.then(function () { return loadOne(asset); });
  }, Promise.resolve()).then(function () {
    translateLeaflet(window.L);
    document.documentElement.dataset.leaflet = "ready";
    return window.L;
  }).catch(function (err) {
    document.documentElement.dataset.leaflet = "failed";
    throw err;
  });
})();
