// The participant app of a facilitated session, on a kiosk tablet or on a phone.
//
// Kiosk: each person taps Start, votes, and "Done — pass to the next person" wipes their
// turn (screen, stored state, nothing in the history); an idle timeout does the same; the
// facilitator's PIN is needed to leave. Every vote, ballot and idea goes through the outbox
// (kiosk-store.js), so the tablet keeps working when the network drops, and participants
// with their pairs are held in stock so a turn can even start offline. The turn's rules are
// kiosk-turn.js (a pure reducer, tested by node); this file draws screens and talks to the
// server.
(function () {
  "use strict";
  var root = document.getElementById("k-app");
  if (!root) { return; }
  var settings = JSON.parse(root.dataset.settings);
  var kiosk = settings.kiosk;
  var store = new window.PlazaStore(settings.code, settings.urls);
  var SPARES = 3;               // participants a kiosk holds for offline turns
  // Spare pairs are dropped 4 h before the server would refuse their ids.
  var SPARE_MAX_AGE = (settings.pairMaxAgeSeconds - 4 * 3600) * 1000;
  var REFILL_BELOW = 6;
  var IDLE_COUNTDOWN = 20;
  var DONE_SECONDS = 30;
  var Turn = window.PlazaTurn;
  var current = null;           // the participant whose turn it is (see kiosk-turn.js)
  var refilling = false, provisioning = null, idleTimer = null, countdown = 0, map = null, marker = null;

  function $(id) { return document.getElementById(id); }
  function now() { return Date.now(); }

  // Settings fetched later (new ideas, a changed window) are kept for offline reloads.
  var saved = store.read("config", null);
  if (saved && saved.fetchedAt > Date.parse(settings.serverTime || 0)) { Object.assign(settings, saved.values); }

  // --- screens --------------------------------------------------------------------------
  function show(name) {
    Array.prototype.forEach.call(root.querySelectorAll(".k-screen"), function (s) {
      s.hidden = s.id !== "screen-" + name;
    });
    root.dataset.screen = name;
    var heading = $("screen-" + name).querySelector("h1, h2");
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
    window.scrollTo(0, 0);
  }

  function error(message) {
    $("k-error").textContent = message || "";
    $("k-error").hidden = !message;
  }

  function stages() { return Turn.stages(settings); }

  // Every change to the turn goes through the reducer; what it sends goes to the outbox.
  function dispatch(action) {
    var result = Turn.reduce(current, Object.assign({ now: now() }, action), settings);
    current = result.turn;
    result.items.forEach(function (item) { store.enqueue(item); });
    store.write("current", current);
    return result;
  }

  // The screen of the turn's stage.
  function render() {
    var stage = current.stage;
    if (stage === "pairwise") { showPair(); show("pairwise"); }
    else if (stage === "qv") { renderBallot(); show("qv"); }
    else if (stage === "idea") { showIdeaForm(); }
    else { finish(); }
  }

  function goStage(stage) {
    notice("");
    dispatch({ type: "go", stage: stage });
    render();
  }

  function nextStage() {
    notice("");
    dispatch({ type: "next" });
    render();
  }

  // A refusal from the server (it answered, with a status) is said; a network failure is not:
  // the tablet carries on offline.
  function refused(err) { return Boolean(err && err.status); }

  // --- the sync line --------------------------------------------------------------------
  function renderSync() {
    var waiting = store.waiting();
    var line = $("k-sync");
    root.dataset.waiting = String(waiting);
    root.dataset.online = store.online ? "true" : "false";
    if (waiting) {
      var shown = { num: PlazaI18n.number(waiting) };
      if (kiosk) {
        line.textContent = store.online ? _("Saved on this tablet, %(num)s waiting — sending…", shown)
          : _("Saved on this tablet, %(num)s waiting — they are sent when the network is back", shown);
      } else {
        line.textContent = store.online ? _("Saved on this phone, %(num)s waiting — sending…", shown)
          : _("Saved on this phone, %(num)s waiting — they are sent when the network is back", shown);
      }
      line.dataset.state = "waiting";
    } else {
      line.textContent = store.online ? _("All votes sent")
        : kiosk ? _("Offline — votes are kept on this tablet") : _("Offline — votes are kept on this phone");
      line.dataset.state = store.online ? "sent" : "offline";
    }
    if ($("k-language")) { $("k-language").hidden = !store.online; }
    if (!kiosk) {
      var refused = store.stats().refused;
      if (refused.length && refused[refused.length - 1].at > (store.read("seenRefusal", ""))) {
        error(_("Something you sent could not be counted: %(error)s", { error: refused[refused.length - 1].error }));
        store.write("seenRefusal", refused[refused.length - 1].at);
      }
    }
    renderPanel();
  }
  store.onChange(renderSync);

  // --- the time window ------------------------------------------------------------------
  function windowNote() {
    var state = Turn.windowState(settings, now());
    if (state === "before") { return ngettext("Voting opens at %(time)s.", "Voting opens at %(time)s.", settings.startsAtHour, { time: settings.startsAtText }); }
    if (state === "ended") { return _("This session has ended. Thank you for taking part!"); }
    if (state === "closed") { return _("Voting is not open in this space at the moment."); }
    return "";
  }

  function renderStart() {
    var note = windowNote();
    $("k-start-note").textContent = note;
    $("k-start").disabled = Boolean(note);
  }

  // --- participants -----------------------------------------------------------------------
  function freshSpares() {
    return store.read("spares", []).filter(function (s) { return now() - s.createdAt < SPARE_MAX_AGE; });
  }

  function newParticipant() {
    return store.post(settings.urls.participants, { via: kiosk ? "kiosk" : "phone" }).then(function (body) {
      return { participant: body.participant, pairs: body.pairs, createdAt: now() };
    });
  }

  function provision() {
    // Keep SPARES participants ready while online, one request at a time.
    if (!kiosk || provisioning || windowNote()) { return provisioning || Promise.resolve(); }
    var spares = freshSpares();
    store.write("spares", spares);
    if (spares.length >= SPARES) { renderPanel(); return Promise.resolve(); }
    provisioning = newParticipant().then(function (spare) {
      store.write("spares", freshSpares().concat([spare]));
      provisioning = null;
      renderPanel();
      return provision();
    }).catch(function (err) {
      provisioning = null;
      // Refused (the session ended early, the kiosk was stopped): the settings say why.
      if (refused(err)) { return refreshConfig().then(function () { if (!current && !windowNote()) { error(err.message); } }); }
    });
    return provisioning;
  }

  function answered(response) {
    if (response.ok) { return response.json(); }
    return response.json().catch(function () { return {}; }).then(function (body) {
      var err = new Error(body.error || _("The server answered %(status)s.", { status: response.status }));
      err.status = response.status;
      throw err;
    });
  }

  function refreshConfig() {
    return fetch(settings.urls.config, { credentials: "same-origin", cache: "no-store" })
      .then(answered)
      .then(function (fresh) {
        var values = { ideas: fresh.ideas, votingOpen: fresh.votingOpen, collectIdeas: fresh.collectIdeas,
                       startsAt: fresh.startsAt, endsAt: fresh.endsAt, startsAtText: fresh.startsAtText,
                       mode: fresh.mode, idleSeconds: fresh.idleSeconds, budget: fresh.budget,
                       maxVotes: fresh.maxVotes, negative: fresh.negative, moderated: fresh.moderated };
        Object.assign(settings, values);
        store.write("config", { fetchedAt: now(), values: values });
        if (!current) { renderStart(); }
      }).catch(function (err) {
        // Offline, the settings the page came with stay in force; a refusal is shown.
        if (refused(err) && !current) { error(err.message); }
      });
  }

  function takeParticipant() {
    if (!kiosk) { return newParticipant(); }
    var spares = freshSpares();
    if (spares.length) {
      var spare = spares.shift();
      store.write("spares", spares);
      return Promise.resolve(spare);
    }
    return newParticipant();
  }

  function startTurn() {
    if (windowNote()) { renderStart(); return; }
    error("");
    if (kiosk && document.fullscreenEnabled && !document.fullscreenElement) {
      document.documentElement.requestFullscreen().catch(function () { /* the browser said no */ });
    }
    $("k-start").disabled = true;
    takeParticipant().then(function (spare) {
      dispatch({ type: "start", spare: spare });
      root.dataset.participant = current.participant.slice(-12);
      notice("");
      render();
      provision();
    }).catch(function (err) {
      error(err.status ? err.message
        : kiosk ? _("This tablet needs the network once more to get ready. Check the connection and tap Start again.")
          : _("This phone needs the network once more to get ready. Check the connection and tap Start again."));
    }).then(function () { $("k-start").disabled = Boolean(windowNote()); });
  }

  // --- pairwise -------------------------------------------------------------------------
  function fill(side, idea) {
    var card = $("k-" + side);
    card.querySelector(".card-title").textContent = idea ? idea.title : "";
    card.querySelector(".card-category").textContent = idea ? PlazaI18n.category(idea.category) : "";
    var body = idea ? (idea.body || "") : "";
    card.querySelector(".card-body").textContent = body.length > 220 ? body.slice(0, 217) + "…" : body;
    card.dataset.ideaId = idea ? String(idea.id) : "";
  }

  function progressText(n) {
    if (n === 0) { return _("Tap the better idea. There are no wrong answers."); }
    return ngettext("%(num)s vote — keep going, or finish whenever you like.",
                    "%(num)s votes — keep going, or finish whenever you like.", n);
  }

  function showPair() {
    var pair = current.pairs[0];
    var hasPair = Boolean(pair);
    root.querySelector(".k-pair").hidden = !hasPair;
    root.querySelector("#screen-pairwise .vote-actions").hidden = !hasPair;
    $("k-reasons").hidden = true;
    $("k-cant").setAttribute("aria-expanded", "false");
    fill("left", hasPair ? pair.left : null);
    fill("right", hasPair ? pair.right : null);
    $("k-progress").textContent = progressText(current.votes);
    root.dataset.votes = String(current.votes);
    root.dataset.pairId = hasPair ? pair.pair_id : "";
    $("k-no-pairs").hidden = hasPair;
    $("k-no-pairs").textContent = refilling ? _("Loading more pairs…")
      : kiosk ? _("That is every pair this tablet has for you right now. Thank you!")
        : _("That is every pair this phone has for you right now. Thank you!");
    // Read out like the web vote page's pairs; this region is never inside an aria-busy one.
    $("k-announce").textContent = hasPair
      ? _("New pair: %(left)s, or %(right)s.", { left: pair.left.title, right: pair.right.title })
      : $("k-no-pairs").textContent;
    var more = stages().indexOf("qv") >= 0;
    $("k-pairwise-next").textContent = more ? _("Next: spend your credits") : _("I'm done");
    if (current.pairs.length < REFILL_BELOW) { refill(); }
  }

  function refill() {
    if (refilling || !store.online || !current) { return; }
    refilling = true;
    var who = current.participant;
    var held = current.pairs.map(function (p) { return p.pair_id; }).concat(store.pendingPairIds(who));
    store.post(settings.urls.pairs, { participant: who, held: held, count: 20 }).then(function (body) {
      if (current && current.participant === who) { dispatch({ type: "pairs", pairs: body.pairs }); }
    }).catch(function (err) {
      // Offline, the pairs held are what there is; a refusal (the session ended) is said.
      if (refused(err) && current && current.participant === who) { notice(err.message); }
    })
      .then(function () {
        refilling = false;
        if (current && current.participant === who && current.stage === "pairwise" && root.dataset.pairId === "") { showPair(); }
      });
  }

  function vote(choice, reason) {
    if (!current || current.stage !== "pairwise" || !current.pairs.length) { return; }
    dispatch({ type: "vote", choice: choice, reason: reason });
    showPair();
  }

  Array.prototype.forEach.call(root.querySelectorAll("#screen-pairwise [data-choice]"), function (b) {
    b.addEventListener("click", function () {
      var reason = null;
      if (b.dataset.choice === "skip") { reason = root.querySelector("input[name=k-reason]:checked").value; }
      vote(b.dataset.choice, reason);
    });
  });
  $("k-cant").addEventListener("click", function () {
    var reasons = $("k-reasons");
    reasons.hidden = !reasons.hidden;
    $("k-cant").setAttribute("aria-expanded", reasons.hidden ? "false" : "true");
  });
  $("k-pairwise-next").addEventListener("click", nextStage);
  // As on the web vote page: only while an idea of the pair has the focus, never a scroll key.
  root.querySelector(".k-pair").addEventListener("keydown", function (e) {
    var choice = { "1": "left", "2": "right", "=": "tie" }[e.key];
    if (choice && !e.altKey && !e.ctrlKey && !e.metaKey) { e.preventDefault(); vote(choice); }
  });

  // --- quadratic ballot -----------------------------------------------------------------
  function creditsUsed() { return Turn.creditsUsed(current.ballot); }

  function renderBallot() {
    var list = $("k-qv");
    list.replaceChildren();
    settings.ideas.forEach(function (idea) {
      var li = document.createElement("li");
      li.className = "k-qv-line";
      li.dataset.ideaId = String(idea.id);
      var text = document.createElement("div");
      text.className = "k-qv-idea";
      var title = document.createElement("p");
      title.className = "k-qv-title";
      title.id = "k-qv-title-" + idea.id;
      title.textContent = idea.title;
      var cat = document.createElement("p");
      cat.className = "meta";
      cat.textContent = PlazaI18n.category(idea.category);
      text.append(title, cat);
      var controls = document.createElement("div");
      controls.className = "k-qv-controls";
      controls.setAttribute("role", "group");
      controls.setAttribute("aria-labelledby", title.id);
      var minus = document.createElement("button");
      minus.type = "button"; minus.className = "k-qv-step"; minus.dataset.step = "-1"; minus.textContent = "−";
      minus.setAttribute("aria-label", _("One vote less for “%(title)s”", { title: idea.title }));
      var count = document.createElement("output");
      count.className = "k-votes";
      var plus = document.createElement("button");
      plus.type = "button"; plus.className = "k-qv-step"; plus.dataset.step = "1"; plus.textContent = "+";
      plus.setAttribute("aria-label", _("One vote more for “%(title)s”", { title: idea.title }));
      controls.append(minus, count, plus);
      li.append(text, controls);
      list.appendChild(li);
    });
    $("k-qv-empty").hidden = settings.ideas.length > 0;
    updateBallot();
  }

  function updateBallot() {
    var left = settings.budget - creditsUsed();
    $("k-credits-left").textContent = String(left);
    Array.prototype.forEach.call($("k-qv").children, function (li) {
      var n = current.ballot[li.dataset.ideaId] || 0;
      li.querySelector(".k-votes").textContent = String(n);
      li.querySelector('[data-step="-1"]').disabled = !Turn.allowed(current, li.dataset.ideaId, -1, settings);
      li.querySelector('[data-step="1"]').disabled = !Turn.allowed(current, li.dataset.ideaId, 1, settings);
      li.classList.toggle("k-voted", n !== 0);
    });
    root.dataset.credits = String(creditsUsed());
  }

  $("k-qv").addEventListener("click", function (e) {
    var button = e.target.closest(".k-qv-step");
    if (!button || !current) { return; }
    dispatch({ type: "step", ideaId: button.closest(".k-qv-line").dataset.ideaId,
               step: parseInt(button.dataset.step, 10) });
    updateBallot();
  });

  $("k-qv-submit").addEventListener("click", function () {
    if (!current) { return; }
    notice("");
    dispatch({ type: "ballot" });
    render();
  });

  // --- ideas ------------------------------------------------------------------------------
  function setupMap() {
    if (map || !window.plazaLeaflet) { return; }
    window.plazaLeaflet.then(function (L) {
      if (map) { return; }
      var space = settings.space;
      map = L.map($("k-map")).setView(space.center, space.zoom);
      L.plazaTiles(map, settings.map);
      if (space.boundary) {
        var outline = L.geoJSON(space.boundary, { interactive: false, style: { color: "#0b6e4f", weight: 3, fillOpacity: 0.06 } }).addTo(map);
        map.fitBounds(outline.getBounds(), { padding: [8, 8], animate: false });
      }
      map.on("click", function (e) {
        var msg = $("k-map-message");
        if (!window.plazaGeo.inPolygon(e.latlng.lat, e.latlng.lng, space.boundary)) {
          msg.textContent = _("That spot is outside the space; tap inside the green outline.");
          msg.className = "location-message location-error";
          return;
        }
        if (marker) { marker.setLatLng(e.latlng); } else { marker = L.marker(e.latlng, { title: _("Your idea") }).addTo(map); }
        msg.textContent = _("Placed. Tap elsewhere to move it.");
        msg.className = "location-message location-ok";
      });
      $("k-map").dataset.ready = "true";
    }).catch(function () {
      $("k-map").classList.add("map-unavailable");
      $("k-map").textContent = _("The map is not available; say where in the description.");
    });
  }

  function resetIdeaForm() {
    $("k-idea").reset();
    $("k-idea-error").hidden = true;
    $("k-map-message").textContent = "";
    if (marker) { marker.remove(); marker = null; }
  }

  function showIdeaForm() {
    resetIdeaForm();
    show("idea");
    setupMap();
    if (map) { setTimeout(function () { map.invalidateSize(); }, 0); }
  }

  // Over the stage the participant is at; closing the form comes back to it.
  Array.prototype.forEach.call(root.querySelectorAll("[data-go=idea]"), function (b) {
    b.addEventListener("click", function () {
      if (!current) { return; }
      dispatch({ type: "openIdea", returnTo: current.stage });
      showIdeaForm();
    });
  });

  function closeIdea(message) {
    resetIdeaForm();
    dispatch({ type: "closeIdea" });
    render();
    error("");
    notice(message);
  }

  function notice(message) {
    $("k-notice").textContent = message || "";
    $("k-notice").hidden = !message;
  }

  $("k-idea-cancel").addEventListener("click", function () { closeIdea(null); });
  $("k-idea").addEventListener("submit", function (e) {
    e.preventDefault();
    var idea = { title: $("k-idea-title").value.trim(), body: $("k-idea-body").value.trim(),
                 category: $("k-idea-category").value };
    if (marker) { idea.lat = Number(marker.getLatLng().lat.toFixed(6)); idea.lng = Number(marker.getLatLng().lng.toFixed(6)); }
    var problem = dispatch({ type: "idea", idea: idea }).problem;
    if (problem) {
      $("k-idea-error").textContent = problem.field === "title"
        ? _("The title needs %(min)s to %(max)s characters.", { min: problem.min, max: problem.max })
        : problem.field === "category" ? _("Choose a category.")
          : _("Keep the description under %(max)s characters.", { max: PlazaI18n.number(problem.max) });
      $("k-idea-error").hidden = false;
      return;
    }
    closeIdea(settings.moderated ? _("Thank you! Your idea appears once a moderator has checked it.")
                                 : _("Thank you! Your idea is added to the space."));
  });

  // --- the end of a turn ------------------------------------------------------------------
  function finish() {
    var parts = [];
    if (current.votes) { parts.push(ngettext("you compared %(num)s pair", "you compared %(num)s pairs", current.votes)); }
    if (current.ballotSent) {
      parts.push(_("you spent %(used)s of %(budget)s credits",
                   { used: PlazaI18n.number(creditsUsed()), budget: PlazaI18n.number(settings.budget) }));
    }
    if (current.ideas) { parts.push(ngettext("you added %(num)s idea", "you added %(num)s ideas", current.ideas)); }
    // The parts are whole clauses, each translated; only the list is put together here.
    $("k-summary").textContent = parts.length
      ? _("Your choices are saved: %(list)s.", { list: parts.join(", ") })
      : _("Nothing was chosen this time — that is fine too.");
    show("done");
  }

  function clearScreens() {
    ["left", "right"].forEach(function (side) { fill(side, null); });
    $("k-progress").textContent = "";
    $("k-announce").textContent = "";
    $("k-reasons").hidden = true;
    $("k-qv").replaceChildren();
    $("k-qv-empty").hidden = true;
    $("k-credits-left").textContent = String(settings.budget);
    $("k-no-pairs").textContent = "";
    $("k-summary").textContent = "";
    root.dataset.votes = "0";
    root.dataset.pairId = "";
    root.dataset.credits = "0";
    delete root.dataset.participant;
    resetIdeaForm();
    error("");
    notice("");
  }

  function handOver() {
    // Everything of the person who just left goes: their state, their screens, the scroll
    // position; the history never held their screens, and the back button is trapped.
    current = null;
    store.write("current", null);
    hideIdle();
    clearScreens();
    renderStart();
    show("start");
    if (store.online) { refreshConfig().then(provision); }
    store.send();
  }

  if ($("k-pass")) { $("k-pass").addEventListener("click", handOver); }
  if ($("k-more")) {
    $("k-more").addEventListener("click", function () { goStage(stages()[0] || "done"); });
  }
  $("k-start").addEventListener("click", startTurn);

  // --- idle timeout (kiosk) -------------------------------------------------------------
  function hideIdle() {
    if ($("k-idle")) { $("k-idle").hidden = true; }
    countdown = 0;
  }

  // Any touch keeps the turn alive; it is stored only when it stops a countdown, not on
  // every scroll.
  function touched() {
    if (current) { current = Turn.reduce(current, { type: "touch", now: now() }, settings).turn; }
    if (countdown) { hideIdle(); store.write("current", current); }
  }

  function tick() {
    if (!current || !$("k-idle") || !$("k-pin").hidden || !$("k-panel").hidden) { return; }
    if (countdown) {
      countdown -= 1;
      $("k-idle-count").textContent = String(countdown);
      if (countdown <= 0) { handOver(); }
      return;
    }
    var due = Turn.idle(current, settings, now(), DONE_SECONDS);
    if (due === "handover") {
      handOver();
      return;
    }
    if (due === "warn") {
      countdown = IDLE_COUNTDOWN;
      $("k-idle-count").textContent = String(countdown);
      $("k-idle").hidden = false;
      $("k-idle-stay").focus();
    }
  }

  // --- facilitator: PIN and panel (kiosk) ------------------------------------------------
  function renderPanel() {
    if (!kiosk) { return; }
    var stats = store.stats();
    $("k-panel-waiting").textContent = String(store.waiting());
    $("k-panel-sent").textContent = String(stats.sent);
    $("k-panel-spares").textContent = String(freshSpares().length);
    var list = $("k-panel-refused-list");
    list.replaceChildren();
    var counts = {};
    stats.refused.forEach(function (r) { counts[r.error] = (counts[r.error] || 0) + 1; });
    Object.keys(counts).forEach(function (message) {
      var li = document.createElement("li");
      li.textContent = counts[message] + " × " + message;
      list.appendChild(li);
    });
    $("k-panel-refused").hidden = stats.refused.length === 0;
  }

  function setupKiosk() {
    // The back button must not lead to the previous person's screens, nor out of the kiosk.
    history.replaceState({ kiosk: "base" }, "");
    history.pushState({ kiosk: "trap" }, "");
    window.addEventListener("popstate", function () { history.pushState({ kiosk: "trap" }, ""); });

    ["pointerdown", "keydown", "input", "wheel", "touchstart"].forEach(function (type) {
      document.addEventListener(type, touched, { capture: true, passive: true });
    });
    idleTimer = setInterval(tick, 1000);
    $("k-idle-stay").addEventListener("click", function () { hideIdle(); if (current) { dispatch({ type: "touch" }); } });

    var pinInput = $("k-pin-input");
    function pinError(message) { $("k-pin-error").textContent = message; $("k-pin-error").hidden = !message; }
    $("k-facilitator").addEventListener("click", function () {
      pinInput.value = "";
      pinError("");
      $("k-pin").hidden = false;
      pinInput.focus();
    });
    $("k-pin-cancel").addEventListener("click", function () { $("k-pin").hidden = true; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-digit]"), function (b) {
      b.addEventListener("click", function () {
        if (b.dataset.digit === "back") { pinInput.value = pinInput.value.slice(0, -1); }
        else if (pinInput.value.length < 8) { pinInput.value += b.dataset.digit; }
      });
    });
    $("k-pin-form").addEventListener("submit", function (e) {
      e.preventDefault();
      window.PlazaPin.check(pinInput.value, settings.pin, store).then(function (result) {
        pinInput.value = "";
        if (result.ok) {
          $("k-pin").hidden = true;
          renderPanel();
          $("k-panel").hidden = false;
          $("k-panel-send").focus();
        } else {
          pinError(result.waitSeconds
            ? ngettext("Wrong PIN. Try again in %(num)s second.", "Wrong PIN. Try again in %(num)s seconds.", result.waitSeconds)
            : _("Wrong PIN."));
        }
      }).catch(function (err) { pinError(err.message); });
    });
    $("k-panel-back").addEventListener("click", function () { $("k-panel").hidden = true; });
    $("k-panel-send").addEventListener("click", function () { store.send(); provision(); });
    $("k-panel-exit").addEventListener("click", function () {
      clearInterval(idleTimer);
      store.write("current", null);
      if (document.fullscreenElement) { document.exitFullscreen().catch(function () {}); }
      window.location.replace(settings.urls.exit);
    });
  }

  // --- the language switch (kiosk start screen) --------------------------------------------
  // It posts to the server and comes back to this same kiosk page, so it needs the network and
  // a fresh CSRF token (the page may have been open, or served offline, for hours): without
  // either the tablet would land on an error page instead of its kiosk.
  function setupLanguageSwitch() {
    var form = root.querySelector("#k-language form");
    if (!form) { return; }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = e.submitter || document.activeElement;
      if (!button || button.name !== "lang" || current) { return; }
      var unavailable = _("Changing the language needs the network; try again in a moment.");
      if (!navigator.onLine) { notice(unavailable); return; }
      store.token(true).then(function (token) {
        form.querySelector("input[name=csrf_token]").value = token;
        var lang = document.createElement("input");
        lang.type = "hidden"; lang.name = "lang"; lang.value = button.value;
        form.appendChild(lang);
        form.submit();
      }).catch(function () { notice(unavailable); });
    });
  }

  // --- offline: the service worker --------------------------------------------------------
  function registerWorker() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(settings.urls.serviceWorker).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      // This first visit came from the network: ask the worker to keep this page too.
      var channel = new MessageChannel();
      channel.port1.onmessage = function (e) { if (e.data && e.data.cached) { root.dataset.offlineReady = "true"; } };
      registration.active.postMessage({ type: "keep-page", url: window.location.href }, [channel.port2]);
    }).catch(function () { /* no offline copy; the page still works online */ });
  }

  // --- start -----------------------------------------------------------------------------
  if (kiosk) { setupKiosk(); setupLanguageSwitch(); }
  current = store.read("current", null);
  // A kiosk reloaded mid-turn resumes that turn only if its person may still be there.
  if (current && kiosk && now() - current.lastActive > settings.idleSeconds * 1000) {
    current = null;
    store.write("current", null);
  }
  if (current) {
    root.dataset.participant = current.participant.slice(-12);
    if (!current.stage) { dispatch({ type: "go", stage: stages()[0] || "done" }); }
    render();
  } else {
    renderStart();
    show("start");
  }
  if (settings.collectIdeas) {
    Array.prototype.forEach.call(root.querySelectorAll("[data-go=idea]"), function (b) { b.hidden = false; });
  }
  var ticks = 0;
  setInterval(function () {
    ticks += 1;
    // Between turns, pick up changes (a session ended early, new ideas) once a minute.
    if (!current && store.online && ticks % 4 === 0) { refreshConfig().then(provision); }
    if (!current) { renderStart(); }
    if (store.outbox().length) { store.send(); }
  }, 15000);
  renderSync();
  registerWorker();
  if (navigator.onLine) { refreshConfig().then(provision); }
  store.send();
  root.dataset.ready = "true";
})();
