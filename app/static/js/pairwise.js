// The pairwise voting screen: the next pair is fetched while the vote is being sent, so
// voters never wait for a page load between pairs. The last vote can be undone for a few
// seconds, or until the next one, and its pair comes back to be answered again.
(function () {
  "use strict";
  var root = document.getElementById("pairwise");
  if (!root) { return; }
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var progress = document.getElementById("progress");
  var announce = document.getElementById("announce");
  var errorBox = document.getElementById("vote-error");
  var reasons = document.getElementById("skip-reasons");
  var cantDecide = document.getElementById("cant-decide");
  var buttons = Array.prototype.slice.call(root.querySelectorAll("[data-choice]"));
  var cards = Array.prototype.slice.call(root.querySelectorAll(".idea-card"));
  var undoButton = document.getElementById("undo");
  var UNDO_MS = parseInt(root.dataset.undoSeconds, 10) * 1000;
  var current = null;
  var busy = false;
  var last = null;          // {pair, timer}: the pair of the vote that can still be undone
  var SHORTCUTS = { "1": "left", "2": "right", "=": "tie" };

  function cheer(n) {
    var num = { num: PlazaI18n.number(n) };
    if (n === 0) { return _("Your first vote is the hardest. Which one?"); }
    if (n < 10) { return ngettext("%(num)s vote — keep going", "%(num)s votes — keep going", n, num); }
    if (n < 30) {
      return ngettext("%(num)s vote — thank you, every vote sharpens the ranking",
        "%(num)s votes — thank you, every vote sharpens the ranking", n, num);
    }
    return ngettext("%(num)s vote — you are one of the people shaping this space",
      "%(num)s votes — you are one of the people shaping this space", n, num);
  }

  function setBusy(value) {
    busy = value;
    buttons.forEach(function (b) { b.disabled = value || !current; });
    cantDecide.disabled = value || !current;
    undoButton.disabled = value;
    root.setAttribute("aria-busy", value ? "true" : "false");
  }

  function fill(side, idea) {
    var card = document.getElementById("choose-" + side);
    card.querySelector(".card-title").textContent = idea.title;
    card.querySelector(".card-category").textContent = PlazaI18n.category(idea.category);
    var body = idea.body || "";
    card.querySelector(".card-body").textContent = body.length > 220 ? body.slice(0, 217) + "…" : body;
    card.dataset.ideaId = String(idea.id);
  }

  function show(pair, votes) {
    current = pair;
    fill("left", pair.left);
    fill("right", pair.right);
    cards.forEach(function (card) { card.classList.remove("pointed"); });
    showReasons(false);
    progress.textContent = cheer(votes);
    announce.textContent = _("New pair: %(left)s, or %(right)s.", { left: pair.left.title, right: pair.right.title });
    root.dataset.pairId = pair.pair_id;
    root.dataset.votes = String(votes);
  }

  function done(message) {
    current = null;
    root.querySelector(".pair").hidden = true;
    root.querySelector(".vote-actions").hidden = true;
    showReasons(false);
    progress.textContent = message;
  }

  function showReasons(open) {
    reasons.hidden = !open;
    root.classList.toggle("reasons-open", open);
    cantDecide.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function offerUndo(pair) {
    forgetUndo();
    last = { pair: pair, timer: setTimeout(forgetUndo, UNDO_MS) };
    undoButton.hidden = false;
  }

  function forgetUndo() {
    if (last) { clearTimeout(last.timer); }
    last = null;
    undoButton.hidden = true;
  }

  function fail(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function json(response) {
    return response.json().catch(function () { return {}; }).then(function (body) {
      if (!response.ok) {
        var err = new Error(body.error || _("Something went wrong (%(status)s).", { status: response.status }));
        err.status = response.status;
        throw err;
      }
      return body;
    });
  }

  function fetchPair(pending) {
    var url = root.dataset.pairUrl + (pending ? "?pending=" + encodeURIComponent(pending) : "");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(json);
  }

  function sendVote(choice, reason) {
    return fetch(root.dataset.voteUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify({ pair_id: current.pair_id, choice: choice, reason: reason || null })
    }).then(json);
  }

  function vote(choice, reason, byKey) {
    if (busy || !current) { return; }
    errorBox.hidden = true;
    forgetUndo();
    // Disabling the focused button while the vote is sent drops a keyboard user's focus to
    // the top of the page; it is given back once the next pair is on screen.
    var keyboardFocus = root.contains(document.activeElement) && (byKey || document.activeElement.matches(":focus-visible"))
      ? document.activeElement : null;
    setBusy(true);
    var voted = current;
    var sent = sendVote(choice, reason);
    var next = fetchPair(current.pair_id).catch(function (err) { return { error: err }; });
    sent.then(function (saved) {
      return next.then(function (pair) {
        if (pair.error) {
          if (pair.error.status === 404) { done(pair.error.message); offerUndo(voted); return; }
          throw pair.error;
        }
        show(pair, saved.your_votes);
        offerUndo(voted);
      });
    }).catch(function (err) {
      fail(_("%(error)s Your choice was not counted; please choose again.", { error: err.message }));
    }).then(function () {
      setBusy(false);
      if (keyboardFocus && document.activeElement === document.body) { restoreFocus(keyboardFocus); }
    });
  }

  function undo() {
    if (busy || !last) { return; }
    var pair = last.pair;
    forgetUndo();
    errorBox.hidden = true;
    setBusy(true);
    fetch(root.dataset.voteUrl, {
      method: "DELETE",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify({ pair_id: pair.pair_id })
    }).then(json).then(function (undone) {
      root.querySelector(".pair").hidden = false;
      root.querySelector(".vote-actions").hidden = false;
      show(pair, undone.your_votes);
      announce.textContent = _("Your last vote is undone. Choose again: %(left)s, or %(right)s.",
                               { left: pair.left.title, right: pair.right.title });
    }).catch(function (err) {
      fail(_("%(error)s The vote still counts.", { error: err.message }));
    }).then(function () { setBusy(false); });
  }

  function restoreFocus(element) {
    var target = element.offsetParent && !element.disabled ? element : document.getElementById("choose-left");
    if (target.offsetParent && !target.disabled) { target.focus(); }
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var reason = null;
      if (b.dataset.choice === "skip") {
        reason = reasons.querySelector("input[name=reason]:checked").value;
      }
      vote(b.dataset.choice, reason);
    });
  });
  cantDecide.addEventListener("click", function () {
    showReasons(reasons.hidden);
    if (!reasons.hidden) { reasons.querySelector("input:checked").focus(); }
  });
  undoButton.addEventListener("click", undo);
  // The cards light up under a mouse, not on :hover: a tap leaves :hover on the card it hit,
  // and the next pair's idea in that place would look chosen already.
  cards.forEach(function (card) {
    card.addEventListener("pointermove", function (e) { if (e.pointerType === "mouse") { card.classList.add("pointed"); } });
    card.addEventListener("pointerleave", function () { card.classList.remove("pointed"); });
  });
  // The shortcuts work only while an idea of the pair has the focus, and none is a key the
  // browser scrolls with: a voter reading down the page never casts a vote by it.
  root.querySelector(".pair").addEventListener("keydown", function (e) {
    var choice = SHORTCUTS[e.key];
    if (choice && !e.altKey && !e.ctrlKey && !e.metaKey) { e.preventDefault(); vote(choice, null, true); }
  });

  setBusy(true);
  fetchPair(null).then(function (pair) { show(pair, pair.your_votes); })
    .catch(function (err) { if (err.status === 404 || err.status === 403) { done(err.message); } else { fail(err.message); } })
    .then(function () { setBusy(false); root.dataset.ready = "true"; });
})();
