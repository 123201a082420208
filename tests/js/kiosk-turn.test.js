// The rules of a participant's turn at a session's tablet (app/static/js/kiosk-turn.js),
// without a browser: `node --test tests/js/` (run by `make test`).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const Turn = require("../../app/static/js/kiosk-turn.js");

const SETTINGS = {
  mode: "both", votingOpen: true, collectIdeas: true, budget: 10, maxVotes: 3, negative: false,
  startsAt: "2026-12-01T10:00:00Z", endsAt: "2026-12-01T12:00:00Z", idleSeconds: 90,
  ideaLimits: { titleMin: 5, titleMax: 120, bodyMax: 2000 },
};
const T = Date.parse("2026-12-01T11:00:00Z");

function pair(id, left, right) {
  return { pair_id: "p" + id, left: { id: left, title: "Idea " + left }, right: { id: right, title: "Idea " + right } };
}

function started(settings = SETTINGS, pairs = [pair(1, 1, 2), pair(2, 3, 4)]) {
  return Turn.reduce(null, { type: "start", spare: { participant: "part-1", pairs }, now: T }, settings);
}

function run(turn, actions, settings = SETTINGS) {
  const items = [];
  for (const action of actions) {
    const out = Turn.reduce(turn, action, settings);
    turn = out.turn;
    items.push(...out.items);
  }
  return { turn, items };
}

test("the stages follow the session's mode, with ideas only when there is no vote", () => {
  assert.deepEqual(Turn.stages(SETTINGS), ["pairwise", "qv"]);
  assert.deepEqual(Turn.stages({ ...SETTINGS, mode: "quadratic" }), ["qv"]);
  assert.deepEqual(Turn.stages({ ...SETTINGS, votingOpen: false }), ["idea"]);
  assert.deepEqual(Turn.stages({ ...SETTINGS, votingOpen: false, collectIdeas: false }), []);
});

test("the window says why a turn cannot start", () => {
  assert.equal(Turn.windowState(SETTINGS, T), "");
  assert.equal(Turn.windowState(SETTINGS, Date.parse("2026-12-01T09:59:59Z")), "before");
  assert.equal(Turn.windowState(SETTINGS, Date.parse("2026-12-01T12:00:00Z")), "ended");
  assert.equal(Turn.windowState({ ...SETTINGS, votingOpen: false, collectIdeas: false }, T), "closed");
});

test("a turn starts at the first stage and tells the server", () => {
  const { turn, items } = started();
  assert.equal(turn.stage, "pairwise");
  assert.equal(turn.pairs.length, 2);
  assert.deepEqual(items, [{ kind: "start", participant: "part-1" }]);
  assert.equal(started({ ...SETTINGS, votingOpen: false, collectIdeas: false }).turn.stage, "done");
});

test("a vote takes the first pair and sends it once", () => {
  const first = started().turn;
  const { turn, items } = run(first, [{ type: "vote", choice: "left" }, { type: "vote", choice: "skip", reason: "same" }]);
  assert.equal(turn.votes, 2);
  assert.equal(turn.pairs.length, 0);
  assert.deepEqual(items.map((i) => [i.pair_id, i.choice, i.reason]), [["p1", "left", null], ["p2", "skip", "same"]]);
  assert.equal(first.pairs.length, 2, "the turn passed in is left as it was");
  const none = Turn.reduce(turn, { type: "vote", choice: "left" }, SETTINGS);
  assert.equal(none.items.length, 0, "no pair left: nothing is sent");
  assert.equal(none.turn.votes, 2);
});

test("no vote outside the pairwise stage", () => {
  const { turn } = run(started().turn, [{ type: "next" }]);
  assert.equal(turn.stage, "qv");
  assert.equal(Turn.reduce(turn, { type: "vote", choice: "left" }, SETTINGS).items.length, 0);
});

test("pairs from the server are added once per pair of ideas, either way round", () => {
  const { turn } = run(started().turn, [{ type: "pairs", pairs: [pair(3, 2, 1), pair(4, 5, 6), pair(5, 6, 5)] }]);
  assert.deepEqual(turn.pairs.map((p) => p.pair_id), ["p1", "p2", "p4"]);
});

test("the ballot keeps to the budget, the cap and the sign, as the server does", () => {
  let { turn } = run(started().turn, [{ type: "next" }]);
  ({ turn } = run(turn, [{ type: "step", ideaId: 7, step: 1 }, { type: "step", ideaId: 7, step: 1 },
                         { type: "step", ideaId: 7, step: 1 }]));
  assert.deepEqual(turn.ballot, { 7: 3 });
  assert.equal(Turn.creditsUsed(turn.ballot), 9);
  assert.equal(Turn.allowed(turn, "7", 1, SETTINGS), false, "a fourth vote is over the cap of 3");
  assert.equal(Turn.allowed(turn, "8", 1, SETTINGS), true, "1 credit is left");
  ({ turn } = run(turn, [{ type: "step", ideaId: 8, step: 1 }, { type: "step", ideaId: 9, step: 1 }]));
  assert.deepEqual(turn.ballot, { 7: 3, 8: 1 }, "the eleventh credit is refused");
  ({ turn } = run(turn, [{ type: "step", ideaId: 9, step: -1 }]));
  assert.equal(turn.ballot[9], undefined, "no votes against in this space");
  ({ turn } = run(turn, [{ type: "step", ideaId: 8, step: -1 }]));
  assert.deepEqual(turn.ballot, { 7: 3 }, "taking the vote back removes the line");
  const against = run(turn, [{ type: "step", ideaId: 9, step: -1 }], { ...SETTINGS, negative: true }).turn;
  assert.equal(against.ballot[9], -1);
});

test("sending the ballot numbers it, sends a copy, and moves on", () => {
  let { turn } = run(started().turn, [{ type: "next" }, { type: "step", ideaId: 7, step: 1 }]);
  const out = run(turn, [{ type: "ballot" }, { type: "go", stage: "qv" }, { type: "step", ideaId: 7, step: 1 },
                         { type: "ballot" }]);
  assert.deepEqual(out.items.map((i) => [i.kind, i.seq, i.allocations]), [["ballot", 1, { 7: 1 }], ["ballot", 2, { 7: 2 }]]);
  assert.equal(out.turn.stage, "done");
  assert.equal(out.turn.ballotSent, true);
});

test("an idea is checked against the server's limits before it is queued", () => {
  const { turn } = started();
  const short = Turn.reduce(turn, { type: "idea", idea: { title: "Tree", body: "", category: "greenery" } }, SETTINGS);
  assert.deepEqual(short.problem, { field: "title", min: 5, max: 120 });
  assert.equal(short.items.length, 0);
  const noCategory = Turn.reduce(turn, { type: "idea", idea: { title: "Shade trees", body: "", category: "" } }, SETTINGS);
  assert.deepEqual(noCategory.problem, { field: "category" });
  const long = Turn.reduce(turn, { type: "idea", idea: { title: "Shade trees", body: "x".repeat(2001), category: "greenery" } }, SETTINGS);
  assert.deepEqual(long.problem, { field: "body", max: 2000 });
  const good = Turn.reduce(turn, { type: "idea", idea: { title: "Shade trees", body: "", category: "greenery", lat: 19.4, lng: -99.1 } }, SETTINGS);
  assert.equal(good.problem, undefined);
  assert.deepEqual(good.items, [{ kind: "idea", participant: "part-1", title: "Shade trees", body: "",
                                  category: "greenery", lat: 19.4, lng: -99.1 }]);
  assert.equal(good.turn.ideas, 1);
  const unplaced = Turn.reduce(turn, { type: "idea", idea: { title: "Shade trees", body: "", category: "greenery" } }, SETTINGS);
  assert.equal("lat" in unplaced.items[0], false);
});

test("the idea form comes back to the stage it opened over, or moves on", () => {
  const over = run(started().turn, [{ type: "openIdea", returnTo: "pairwise" }, { type: "closeIdea" }]).turn;
  assert.equal(over.stage, "pairwise");
  assert.equal(over.ideaReturn, null);
  const ideasOnly = { ...SETTINGS, votingOpen: false };
  const own = run(started(ideasOnly).turn, [{ type: "openIdea", returnTo: null }, { type: "closeIdea" }], ideasOnly).turn;
  assert.equal(own.stage, "done");
});

test("an action with a time marks the participant active; the idle clock reads it", () => {
  const { turn } = run(started().turn, [{ type: "vote", choice: "left", now: T + 5000 }]);
  assert.equal(turn.lastActive, T + 5000);
  assert.equal(Turn.idle(turn, SETTINGS, T + 5000 + 90000, 30), "");
  assert.equal(Turn.idle(turn, SETTINGS, T + 5000 + 90001, 30), "warn");
  const done = run(turn, [{ type: "go", stage: "done", now: T }]).turn;
  assert.equal(Turn.idle(done, SETTINGS, T + 30001, 30), "handover", "a finished turn ends sooner");
});

test("an unknown action or one without a turn is a mistake, not a silent no-op", () => {
  assert.throws(() => Turn.reduce(started().turn, { type: "dance" }, SETTINGS), /Unknown turn action/);
  assert.throws(() => Turn.reduce(null, { type: "vote", choice: "left" }, SETTINGS), /No turn/);
});
