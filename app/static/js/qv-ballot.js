// The quadratic-voting ballot: − and + per idea, a live credit meter, search and category
// filter, and saving through the API. The server checks every rule again on save; this
// script only keeps people from building a ballot it would refuse.
(function () {
  "use strict";
  var form = document.getElementById("qv-ballot");
  if (!form) { return; }
  var budget = parseInt(form.dataset.budget, 10);
  var maxVotes = parseInt(form.dataset.maxVotes, 10);
  var negative = form.dataset.negative === "true";
  var open = form.dataset.open === "true";
  var lines = Array.prototype.slice.call(form.querySelectorAll(".qv-line"));
  var leftEl = document.getElementById("qv-left");
  var fill = document.getElementById("qv-meter-fill");
  var saveButton = document.getElementById("qv-save");
  var statusEl = document.getElementById("qv-status");
  var saved = null;   // the ballot as last saved, to tell whether there is anything to save

  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }

  function votesOf(line) {
    var n = parseInt(line.querySelector(".qv-votes").value, 10);
    return isFinite(n) ? n : 0;
  }

  function creditsUsed() {
    return lines.reduce(function (sum, line) { var n = votesOf(line); return sum + n * n; }, 0);
  }

  function allowed(n, step, left) {
    return open && window.plazaQV.allowed(n, step, { maxVotes: maxVotes, negative: negative, left: left });
  }

  function credits(n) {
    return ngettext("%(num)s credit", "%(num)s credits", n, { num: PlazaI18n.number(n) });
  }

  function ballotKey() {
    return lines.map(function (line) { return line.dataset.ideaId + ":" + votesOf(line); }).join(",");
  }

  function render() {
    var used = creditsUsed();
    var left = budget - used;
    leftEl.textContent = PlazaI18n.number(left);
    fill.style.width = Math.min(100, 100 * used / budget) + "%";
    form.classList.toggle("qv-over", left < 0);
    lines.forEach(function (line) {
      var n = votesOf(line);
      var title = line.querySelector("h3").textContent.trim();
      var minus = line.querySelector('[data-step="-1"]');
      var plus = line.querySelector('[data-step="1"]');
      minus.disabled = !allowed(n, -1, left);
      plus.disabled = !allowed(n, 1, left);
      minus.setAttribute("aria-label", n > 0 || !negative
        ? _("Remove a vote from “%(title)s”", { title: title })
        : _("Add a vote against “%(title)s”", { title: title }));
      plus.setAttribute("aria-label", n < 0
        ? _("Remove a vote against “%(title)s”", { title: title })
        : _("Add a vote for “%(title)s”", { title: title }));
      var text = n === 0 ? _("no credits") : credits(n * n);
      if (n < 0) {
        text = ngettext("%(num)s vote against: %(credits)s", "%(num)s votes against: %(credits)s", -n,
          { num: PlazaI18n.number(-n), credits: text });
      }
      line.querySelector(".qv-spent").textContent = text;
      // What the next vote in the same direction would cost: the heart of quadratic voting.
      var nextStep = n < 0 ? -1 : 1;
      var more = (n + nextStep) * (n + nextStep) - n * n;
      line.querySelector(".qv-next").textContent = open && allowed(n, nextStep, Infinity)
        ? _("next vote: %(credits)s", { credits: credits(more) }) : "";
      line.classList.toggle("qv-voted", n !== 0);
    });
    if (saveButton && saved !== null) {
      var dirty = ballotKey() !== saved;
      form.classList.toggle("qv-dirty", dirty);
      if (dirty && statusEl.dataset.kind !== "error") { say(_("Not saved yet."), "pending"); }
      if (!dirty && statusEl.dataset.kind === "pending") { say("", ""); }
    }
  }

  function say(message, kind) {
    // The role first, so the message that follows is announced at the right urgency.
    statusEl.setAttribute("role", kind === "error" ? "alert" : "status");
    statusEl.dataset.kind = kind;
    statusEl.textContent = message;
  }

  // --- − and + ------------------------------------------------------------------------
  lines.forEach(function (line) {
    var input = line.querySelector(".qv-votes");
    // The buttons replace typing: the number stays visible, read by screen readers.
    input.readOnly = true;
    input.tabIndex = -1;
    input.value = votesOf(line);
    line.querySelectorAll(".qv-step").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var n = votesOf(line);
        var step = parseInt(button.dataset.step, 10);
        if (!allowed(n, step, budget - creditsUsed())) { return; }  // also if "disabled" was removed
        input.value = n + step;
        if (statusEl && statusEl.dataset.kind === "error") { say("", ""); }
        render();
        // A button that just became disabled would drop keyboard focus to the page top.
        if (button.disabled) {
          var other = line.querySelector('[data-step="' + (-step) + '"]');
          if (!other.disabled) { other.focus(); }
        }
      });
    });
  });

  // --- search and category filter -----------------------------------------------------
  var tools = document.getElementById("qv-tools");
  var search = document.getElementById("qv-search");
  var category = document.getElementById("qv-category");
  var mine = document.getElementById("qv-mine");
  var shown = document.getElementById("qv-shown");
  var none = document.getElementById("qv-none");

  function normal(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function filter() {
    var words = normal(search.value).split(/\s+/).filter(Boolean);
    var count = 0;
    lines.forEach(function (line) {
      var title = normal(line.querySelector("h3").textContent);
      var match = (!category.value || line.dataset.category === category.value)
        && (!mine.checked || votesOf(line) !== 0)
        && words.every(function (w) { return title.indexOf(w) !== -1; });
      line.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = count === lines.length
      ? ngettext("%(num)s shown", "%(num)s shown", lines.length, { num: PlazaI18n.number(lines.length) })
      : _("%(count)s of %(total)s shown", { count: PlazaI18n.number(count), total: PlazaI18n.number(lines.length) });
    none.hidden = count > 0 || lines.length === 0;
  }

  if (lines.length > 1) {
    tools.hidden = false;
    search.addEventListener("input", filter);
    category.addEventListener("change", filter);
    mine.addEventListener("change", filter);
  }

  // --- saving -------------------------------------------------------------------------
  function allocations() {
    var out = {};
    lines.forEach(function (line) {
      var n = votesOf(line);
      if (n !== 0) { out[line.dataset.ideaId] = n; }
    });
    return out;
  }

  if (saveButton) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (saveButton.disabled) { return; }   // a double tap sends one request
      saveButton.disabled = true;
      say(_("Saving…"), "busy");
      var sent = ballotKey();
      fetch(form.dataset.api, {
        method: "PUT",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "X-CSRFToken": document.querySelector('meta[name="csrf-token"]').content
        },
        body: JSON.stringify({ allocations: allocations() })
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            say(_("%(error)s Your votes are not saved yet.",
              { error: data.error || _("Your ballot could not be saved.") }), "error");
            return;
          }
          saved = sent;
          say(_("Saved: %(used)s of %(budget)s credits spent, %(left)s left.", {
            used: PlazaI18n.number(data.credits_used), budget: PlazaI18n.number(data.budget),
            left: PlazaI18n.number(data.credits_left) }), "saved");
          render();
        });
      }).catch(function () {
        say(_("Plaza could not be reached, so your votes are not saved yet. Check your connection and press Save again."), "error");
      }).then(function () {
        saveButton.disabled = false;
      });
    });

    window.addEventListener("beforeunload", function (event) {
      if (form.classList.contains("qv-dirty")) { event.preventDefault(); event.returnValue = ""; }
    });
    // The ballot as the page arrived counts as saved, unless the server sent back an error.
    saved = summary ? "" : ballotKey();
  }

  render();
  form.dataset.ready = "true";
}());
