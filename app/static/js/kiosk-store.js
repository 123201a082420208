// What a kiosk or phone keeps in the browser (localStorage, per session): the outbox of
// votes, ballots and ideas not yet sent, participants held in stock for offline use, and
// the participant whose turn it is. The outbox is sent in batches whenever the network is
// there; each item has an idempotency key, so a resend after a lost answer counts nothing
// twice, and an item is only removed once the server has answered for it.
(function () {
  "use strict";

  function randomKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function Store(code, urls) {
    this.prefix = "plaza.session." + code + ".";
    this.urls = urls;
    this.csrf = null;
    this.sending = null;
    this.listeners = [];
    this.online = navigator.onLine;
    var self = this;
    window.addEventListener("online", function () { self.online = true; self.changed(); self.send(); });
    window.addEventListener("offline", function () { self.online = false; self.changed(); });
    // Another tab of the same kiosk (or a reload) changed the outbox: show the new count.
    window.addEventListener("storage", function (e) { if (e.key && e.key.indexOf(self.prefix) === 0) { self.changed(); } });
  }

  Store.prototype.read = function (name, fallback) {
    try {
      var raw = window.localStorage.getItem(this.prefix + name);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return fallback;
    }
  };

  Store.prototype.write = function (name, value) {
    if (value === null || value === undefined) {
      window.localStorage.removeItem(this.prefix + name);
    } else {
      window.localStorage.setItem(this.prefix + name, JSON.stringify(value));
    }
  };

  Store.prototype.onChange = function (fn) { this.listeners.push(fn); };
  Store.prototype.changed = function () {
    var self = this;
    this.listeners.forEach(function (fn) { fn(self); });
  };

  // --- the outbox ---------------------------------------------------------------------
  Store.prototype.outbox = function () { return this.read("outbox", []); };
  // What people think of as waiting: votes, ballots and ideas (not the start marks).
  Store.prototype.waiting = function () {
    return this.outbox().filter(function (item) { return item.kind !== "start"; }).length;
  };

  Store.prototype.enqueue = function (item) {
    item.key = item.key || randomKey();
    item.queuedAt = new Date().toISOString();
    var box = this.outbox();
    if (item.kind === "ballot") {
      // Only the newest ballot of a participant matters; the server ignores older ones too.
      box = box.filter(function (old) { return !(old.kind === "ballot" && old.participant === item.participant); });
    }
    box.push(item);
    this.write("outbox", box);
    this.changed();
    this.send();
    return item;
  };

  Store.prototype.stats = function () {
    return this.read("stats", { sent: 0, refused: [] });
  };

  Store.prototype.settle = function (results) {
    // Remove answered items; keep those to retry. Re-read the outbox: items may have been
    // queued while the request was on its way.
    var done = {}, stats = this.stats(), kinds = {};
    this.outbox().forEach(function (item) { kinds[item.key] = item.kind; });
    results.forEach(function (r) {
      if (!r.key) { return; }
      if (r.status === "saved" || r.status === "duplicate") {
        done[r.key] = true;
        if (r.status === "saved" && kinds[r.key] !== "start") { stats.sent += 1; }
      } else if (r.status === "refused") {
        done[r.key] = true;
        stats.refused = stats.refused.concat([{ key: r.key, error: r.error, at: new Date().toISOString() }]).slice(-50);
      }
    });
    this.write("outbox", this.outbox().filter(function (item) { return !done[item.key]; }));
    this.write("stats", stats);
    return Object.keys(done).length;
  };

  Store.prototype.token = function (fresh) {
    var self = this;
    if (this.csrf && !fresh) { return Promise.resolve(this.csrf); }
    return fetch(this.urls.csrf, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error("csrf " + r.status); } return r.json(); })
      .then(function (body) { self.csrf = body.csrf_token; return self.csrf; });
  };

  Store.prototype.post = function (url, payload, retried) {
    // JSON POST with a CSRF token fetched for the occasion: a page open for hours, or
    // served by the service worker, may carry an expired one. One retry with a fresh token on
    // any 400: a CSRF refusal is a 400 whose text is in the page's language, so it is not
    // recognised by its words; retrying the other 400s once costs a request and counts
    // nothing twice (every item has its idempotency key).
    var self = this;
    return this.token(false).then(function (token) {
      return fetch(url, {
        method: "POST", credentials: "same-origin", cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": token },
        body: JSON.stringify(payload)
      });
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status === 400 && !retried) {
          self.csrf = null;
          return self.post(url, payload, true);
        }
        if (!response.ok) {
          var err = new Error(body.error || _("The server answered %(status)s.", { status: response.status }));
          err.status = response.status;
          throw err;
        }
        return body;
      });
    });
  };

  Store.prototype.send = function () {
    // One batch at a time; whatever was queued meanwhile goes in the next one.
    var self = this;
    if (this.sending) { return this.sending; }
    if (!navigator.onLine) {
      // The browser knows there is no network: its "online" event sends the outbox. (A request
      // tried anyway can slip past a restarting service worker and be half-sent.)
      this.online = false;
      this.changed();
      return Promise.resolve();
    }
    var batch = this.outbox().slice(0, 50);
    if (!batch.length) { return Promise.resolve(); }
    this.sending = this.post(this.urls.sync, { items: batch }).then(function (body) {
      self.online = true;
      // Nothing settled (the server asked for every item again): back off, don't spin.
      return self.settle(body.results || []) > 0;
    }).catch(function (err) {
      if (err.status === undefined) { self.online = false; }
      else if (err.status === 403 || err.status === 404) {
        // The session is over or gone: nothing in the outbox can ever be counted.
        self.settle(batch.map(function (item) { return { key: item.key, status: "refused", error: err.message }; }));
      }
      return false;
    }).then(function (progressed) {
      self.sending = null;
      self.changed();
      if (progressed) {
        self.backoff = 0;
        if (self.outbox().length) { return self.send(); }
      } else if (self.outbox().length && !self.retryTimer) {
        // A flaky network: try again soon, then less and less often (2 s … 30 s).
        self.backoff = Math.min((self.backoff || 1000) * 2, 30000);
        self.retryTimer = setTimeout(function () { self.retryTimer = null; self.send(); }, self.backoff);
      }
    });
    this.changed();
    return this.sending;
  };

  Store.prototype.pendingPairIds = function (participant) {
    return this.outbox().filter(function (item) {
      return item.kind === "vote" && item.participant === participant;
    }).map(function (item) { return item.pair_id; });
  };

  window.PlazaStore = Store;
  window.PlazaStore.randomKey = randomKey;
})();
