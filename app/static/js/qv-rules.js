// The quadratic ballot's rule, as the server enforces it (app/qv/budget.py): one place for
// the web ballot and the session tablets to ask whether a step is allowed (and, under Node,
// for the tests of kiosk-turn.js).
(function (root) {
  "use strict";
  var rules = {
    // May one idea's votes move from n to n + step? rules: {maxVotes, negative, left}, where
    // left is the credits still unspent. Taking votes back is always allowed.
    allowed: function (n, step, limits) {
      var next = n + step;
      if (Math.abs(next) > limits.maxVotes || (next < 0 && !limits.negative)) { return false; }
      var delta = next * next - n * n;
      return delta <= 0 || delta <= limits.left;
    }
  };
  if (typeof module === "object" && module.exports) { module.exports = rules; } else { root.plazaQV = rules; }
})(this);
