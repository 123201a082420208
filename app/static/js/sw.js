// The service worker of facilitated sessions (served from /sessions/sw.js, scope /sessions/).
// Keeps the kiosk and phone pages, their scripts and styles and Plaza's own copy of Leaflet,
// so a tablet that loses the network, or is reloaded while offline, still opens its kiosk.
// Pages: network first (fresh settings and ideas when online), the kept copy when not.
// Scripts and styles: the kept copy at once, refreshed in the background. The API is never
// cached: votes go through the kiosk's own outbox.
/* global self, caches */
"use strict";
var SETTINGS = self.PLAZA_SW;
var CACHE = "plaza-sessions-" + SETTINGS.version;
var PAGE_TIMEOUT_MS = 4000;
// Only the participant pages are kept: facilitator pages (QR, report) must not outlive a logout.
var KEPT_PAGES = /\/sessions\/(?:[0-9]+\/kiosk|join\/[A-Za-z0-9-]+)$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SETTINGS.precache);
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("plaza-sessions-") === 0 && n !== CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

function keepPage(url) {
  return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (!keepable(response)) { return false; }
    return caches.open(CACHE).then(function (cache) { return cache.put(url, response); }).then(function () { return true; });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep-page" || typeof data.url !== "string") { return; }
  var target = new URL(data.url);
  if (target.origin !== self.location.origin || !KEPT_PAGES.test(target.pathname)) { return; }
  var reply = event.ports && event.ports[0];
  event.waitUntil(keepPage(data.url).catch(function () { return false; }).then(function (cached) {
    if (reply) { reply.postMessage({ cached: cached }); }
  }));
});

function networkFirst(request) {
  return new Promise(function (resolve, reject) {
    var settled = false;
    var timer = setTimeout(function () {
      // A flaky network that neither answers nor fails: use the kept copy if there is one.
      caches.match(request, { ignoreVary: true }).then(function (kept) {
        if (kept && !settled) { settled = true; resolve(kept); }
      });
    }, PAGE_TIMEOUT_MS);
    fetch(request).then(function (response) {
      clearTimeout(timer);
      if (keepable(response)) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      if (!settled) { settled = true; resolve(response); }
    }).catch(function (err) {
      clearTimeout(timer);
      caches.match(request, { ignoreVary: true }).then(function (kept) {
        if (settled) { return; }
        settled = true;
        if (kept) { resolve(kept); } else { reject(err); }
      });
    });
  });
}

function cacheFirst(request) {
  return caches.match(request).then(function (kept) {
    var fresh = fetch(request).then(function (response) {
      if (keepable(response)) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    });
    if (kept) {
      fresh.catch(function () { /* offline: the kept copy is already on its way */ });
      return kept;
    }
    return fresh;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && KEPT_PAGES.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/vendor/") === 0) {
    event.respondWith(cacheFirst(request));
  }
});
