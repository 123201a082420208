// One participant's turn at a session's tablet or phone, as a pure state reducer.
//
// A turn is plain data (kept in the tablet's storage between reloads): the participant, the
// pairs held for them, their votes, ballot and ideas, and the stage they are at. `reduce`
// takes a turn and an action and returns the next turn and the outbox items the action
// sends; it touches no page, no storage and no clock, so kiosk.js draws the screens from
// what it returns and `node --test tests/js/` checks every rule here without a browser.
(function (root) {
  "use strict";
  var QV = typeof module === "object" && module.exports ? require("./qv-rules.js") : root.plazaQV;

  // The stages a turn goes through, in order, from the session's settings.
  function stages(settings) {
    var list = [];
    var pairwise = settings.mode === "pairwise" || settings.mode === "both";
    var quadratic = settings.mode === "quadratic" || settings.mode === "both";
    if (settings.votingOpen && pairwise) { list.push("pairwise"); }
    if (settings.votingOpen && quadratic) { list.push("qv"); }
    if (!list.length && settings.collectIdeas) { list.push("idea"); }
    return list;
  }

  // Why a turn cannot start at time t (ms): "before", "ended", "closed", or "" when it can.
  function windowState(settings, t) {
    if (t < Date.parse(settings.startsAt)) { return "before"; }
    if (t >= Date.parse(settings.endsAt)) { return "ended"; }
    if (!stages(settings).length) { return "closed"; }
    return "";
  }

  function copy(turn) {
    var next = Object.assign({}, turn);
    next.pairs = turn.pairs.slice();
    next.ballot = Object.assign({}, turn.ballot);
    return next;
  }

  function pairKey(pair) {
    return Math.min(pair.left.id, pair.right.id) + ":" + Math.max(pair.left.id, pair.right.id);
  }

  function creditsUsed(ballot) {
    return Object.keys(ballot).reduce(function (sum, id) { return sum + ballot[id] * ballot[id]; }, 0);
  }

  // May the idea's votes move by step (+1 or -1) on this turn's ballot?
  function allowed(turn, ideaId, step, settings) {
    var n = turn.ballot[ideaId] || 0;
    return QV.allowed(n, step, { maxVotes: settings.maxVotes, negative: settings.negative,
                                 left: settings.budget - creditsUsed(turn.ballot) });
  }

  // What is wrong with an idea as typed, against the server's own limits, or null.
  function ideaProblem(idea, limits) {
    if (idea.title.length < limits.titleMin || idea.title.length > limits.titleMax) {
      return { field: "title", min: limits.titleMin, max: limits.titleMax };
    }
    if (!idea.category) { return { field: "category" }; }
    if (idea.body.length > limits.bodyMax) { return { field: "body", max: limits.bodyMax }; }
    return null;
  }

  function nextStageAfter(stage, settings) {
    var list = stages(settings);
    var at = list.indexOf(stage);
    return at >= 0 && at + 1 < list.length ? list[at + 1] : "done";
  }

  function result(turn, items, extra) {
    return Object.assign({ turn: turn, items: items || [] }, extra || {});
  }

  var actions = {
    // A participant from the server (or a spare held offline) starts at the first stage.
    start: function (_turn, action, settings) {
      var spare = action.spare;
      var turn = { participant: spare.participant, pairs: (spare.pairs || []).slice(), votes: 0,
                   seq: 0, ballot: {}, ideas: 0, stage: stages(settings)[0] || "done",
                   ideaReturn: null, ballotSent: false, lastActive: action.now };
      return result(turn, [{ kind: "start", participant: turn.participant }]);
    },
    go: function (turn, action) {
      var next = copy(turn);
      next.stage = action.stage;
      return result(next);
    },
    next: function (turn, _action, settings) {
      var next = copy(turn);
      next.stage = nextStageAfter(turn.stage, settings);
      return result(next);
    },
    vote: function (turn, action) {
      if (turn.stage !== "pairwise" || !turn.pairs.length) { return result(turn); }
      var next = copy(turn);
      var pair = next.pairs.shift();
      next.votes += 1;
      return result(next, [{ kind: "vote", participant: turn.participant, pair_id: pair.pair_id,
                             choice: action.choice, reason: action.reason || null }]);
    },
    // More pairs from the server: a pair of ideas already held is not held twice.
    pairs: function (turn, action) {
      var next = copy(turn);
      var seen = {};
      next.pairs.forEach(function (p) { seen[pairKey(p)] = true; });
      action.pairs.forEach(function (p) {
        var key = pairKey(p);
        if (!seen[key]) { seen[key] = true; next.pairs.push(p); }
      });
      return result(next);
    },
    step: function (turn, action, settings) {
      var id = String(action.ideaId);
      if (turn.stage !== "qv" || !allowed(turn, id, action.step, settings)) { return result(turn); }
      var next = copy(turn);
      var n = (next.ballot[id] || 0) + action.step;
      if (n === 0) { delete next.ballot[id]; } else { next.ballot[id] = n; }
      return result(next);
    },
    // The ballot is sent whole, numbered, so the server keeps the newest of a participant's.
    ballot: function (turn, _action, settings) {
      if (turn.stage !== "qv") { return result(turn); }
      var next = copy(turn);
      next.seq += 1;
      next.ballotSent = true;
      next.stage = nextStageAfter(turn.stage, settings);
      return result(next, [{ kind: "ballot", participant: turn.participant, seq: next.seq,
                             allocations: Object.assign({}, turn.ballot) }]);
    },
    // The idea form opens over a stage (returnTo), or as a stage of its own (returnTo null).
    openIdea: function (turn, action) {
      var next = copy(turn);
      next.ideaReturn = action.returnTo || null;
      return result(next);
    },
    idea: function (turn, action, settings) {
      var idea = action.idea;
      var problem = ideaProblem(idea, settings.ideaLimits);
      if (problem) { return result(turn, [], { problem: problem }); }
      var item = { kind: "idea", participant: turn.participant, title: idea.title, body: idea.body,
                   category: idea.category };
      if (idea.lat !== undefined && idea.lat !== null) { item.lat = idea.lat; item.lng = idea.lng; }
      var next = copy(turn);
      next.ideas += 1;
      return result(next, [item]);
    },
    // Back to the stage the form opened over, or on to the next one.
    closeIdea: function (turn, _action, settings) {
      var next = copy(turn);
      var back = turn.ideaReturn;
      next.ideaReturn = null;
      next.stage = back || nextStageAfter(turn.stage, settings);
      return result(next);
    },
    touch: function (turn, action) {
      var next = copy(turn);
      next.lastActive = action.now;
      return result(next);
    }
  };

  // (turn, action, settings) -> {turn, items[, problem]}; the turn passed in is not changed.
  // An action with `now` (ms) marks the participant active then, whatever it did.
  function reduce(turn, action, settings) {
    var handler = actions[action.type];
    if (!handler) { throw new Error("Unknown turn action: " + action.type); }
    if (!turn && action.type !== "start") { throw new Error("No turn for " + action.type); }
    var out = handler(turn, action, settings);
    if (typeof action.now === "number") { out.turn = Object.assign({}, out.turn, { lastActive: action.now }); }
    return out;
  }

  // What the idle clock does at time t: "handover" (the turn ends now), "warn" (start the
  // countdown) or "" (nothing). A finished turn ends sooner: the next person should not find
  // the last one's thank-you screen.
  function idle(turn, settings, t, doneSeconds) {
    var quiet = t - turn.lastActive;
    if (turn.stage === "done" && quiet > Math.min(settings.idleSeconds, doneSeconds) * 1000) { return "handover"; }
    if (quiet > settings.idleSeconds * 1000) { return "warn"; }
    return "";
  }

  var api = { stages: stages, windowState: windowState, reduce: reduce, idle: idle,
              creditsUsed: creditsUsed, allowed: allowed, ideaProblem: ideaProblem };
  if (typeof module === "object" && module.exports) { module.exports = api; } else { root.PlazaTurn = api; }
})(this);
