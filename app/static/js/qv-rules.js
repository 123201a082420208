// The quadratic ballot's rule, as the server enforces it (app/qv/budget.py): one place for
// the web ballot and the session tablets to ask whether a step is allowed.
window.plazaQV = {
  // May one idea's votes move from n to n + step? rules: {maxVotes, negative, left}, where
  // left is the credits still unspent. Taking votes back is always allowed.
  allowed: function (n, step, rules) {
    var next = n + step;
    if (Math.abs(next) > rules.maxVotes || (next < 0 && !rules.negative)) { return false; }
    var delta = next * next - n * n;
    return delta <= 0 || delta <= rules.left;
  }
};
