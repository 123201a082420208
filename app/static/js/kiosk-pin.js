// Checks the facilitator's PIN on the tablet itself, so kiosk mode can be left offline:
// PBKDF2-SHA256 with the session's salt and iteration count, compared with the stored hash.
// Wrong PINs lock the keypad for longer and longer (kept across reloads).
(function () {
  "use strict";
  var FREE_ATTEMPTS = 5;

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function fromHex(text) {
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(text.substr(i * 2, 2), 16); }
    return out;
  }

  function derive(pin, verifier) {
    var subtle = window.crypto && window.crypto.subtle;
    if (!subtle) { return Promise.reject(new Error(_("This browser cannot check the PIN (no secure context)."))); }
    return subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveBits"])
      .then(function (key) {
        return subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: fromHex(verifier.salt),
                                   iterations: verifier.iterations }, key, 256);
      }).then(hex);
  }

  function lockMs(failures) {
    if (failures < FREE_ATTEMPTS) { return 0; }
    return Math.min(30000 * Math.pow(2, failures - FREE_ATTEMPTS), 15 * 60000);
  }

  window.PlazaPin = {
    // Resolves {ok: true} or {ok: false, waitSeconds}; `store` keeps the failure count.
    check: function (pin, verifier, store) {
      var state = store.read("pin", { failures: 0, at: 0 });
      var wait = state.at + lockMs(state.failures) - Date.now();
      if (wait > 0) { return Promise.resolve({ ok: false, waitSeconds: Math.ceil(wait / 1000) }); }
      return derive(pin, verifier).then(function (digest) {
        if (digest === verifier.hash) {
          store.write("pin", null);
          return { ok: true };
        }
        state = { failures: state.failures + 1, at: Date.now() };
        store.write("pin", state);
        return { ok: false, waitSeconds: Math.ceil(lockMs(state.failures) / 1000) };
      });
    }
  };
})();
