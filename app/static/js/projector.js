// The projector page: polls the session's live figures every few seconds and redraws the
// counts and top ideas in place, so the room sees its votes arrive without a reload.
// Polling rather than server-sent events: it goes through every proxy and keeps no worker
// busy, and a few seconds of delay is nothing on a projector.
(function () {
  "use strict";
  var root = document.getElementById("projector");
  if (!root) { return; }
  var EVERY_MS = 3000;
  var status = document.getElementById("p-status");
  var failures = 0;

  function setText(id, value) {
    var el = document.getElementById(id);
    if (el && el.textContent !== String(value)) {
      el.textContent = String(value);
      el.classList.remove("p-bump");
      void el.offsetWidth;  // restart the highlight animation
      el.classList.add("p-bump");
    }
  }

  function renderList(list, rows, method) {
    var items = rows.map(function (row) {
      var li = document.createElement("li");
      li.dataset.ideaId = String(row.id);
      var title = document.createElement("span");
      title.className = "p-title";
      title.textContent = row.title;
      var score = document.createElement("span");
      score.className = "p-score";
      // The server sends no score for an idea with too few comparisons (MIN_COMPARISONS).
      var thin = method === "pairwise" && row.score === null;
      score.classList.toggle("p-thin", thin);
      score.textContent = thin ? _("not enough votes yet")
        : method === "pairwise" ? _("%(score)s / 100", { score: PlazaI18n.number(row.score) })
        : ngettext("%(num)s vote", "%(num)s votes", row.votes);
      li.append(title, score);
      return li;
    });
    if (!items.length) {
      var empty = document.createElement("li");
      empty.className = "p-empty";
      empty.textContent = _("No votes yet");
      items.push(empty);
    }
    list.replaceChildren.apply(list, items);
  }

  function render(data) {
    setText("p-participants", data.counts.participants);
    setText("p-votes", data.counts.votes);
    setText("p-ballots", data.counts.ballots);
    setText("p-ideas", data.counts.ideas_added);
    ["room", "space"].forEach(function (scope) {
      Object.keys(data[scope]).forEach(function (method) {
        var list = document.getElementById("p-" + scope + "-" + method);
        if (list) { renderList(list, data[scope][method], method); }
      });
    });
    root.dataset.updated = String(Number(root.dataset.updated) + 1);
    root.dataset.votes = String(data.counts.votes);
  }

  function poll() {
    fetch(root.dataset.liveUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.status === 401 || r.status === 403) {
          var err = new Error(_("This screen is no longer signed in for the session; reload the page and log in again."));
          err.final = true;
          throw err;
        }
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.json();
      })
      .then(function (data) {
        failures = 0;
        render(data);
        // The hour as the clock shows it picks the Spanish preposition: "a la 1:05", "a las 2:05".
        var clock = new Intl.DateTimeFormat(PlazaI18n.locale, { hour: "numeric", minute: "2-digit", second: "2-digit" });
        var now = new Date();
        var hour = clock.formatToParts(now).filter(function (p) { return p.type === "hour"; })[0];
        status.textContent = ngettext("Updated %(time)s", "Updated %(time)s", hour ? parseInt(hour.value, 10) : 0,
          { time: clock.format(now) });
      })
      .catch(function (err) {
        failures += 1;
        status.textContent = err.final ? err.message : _("Waiting for the network… the figures shown may be behind.");
      })
      .then(function () { setTimeout(poll, Math.min(EVERY_MS * Math.pow(2, Math.max(0, failures - 1)), 30000)); });
  }

  setTimeout(poll, EVERY_MS);
  root.dataset.ready = "true";
})();
