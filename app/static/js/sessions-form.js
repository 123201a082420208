// The session form: a new session takes this device's time zone, and the suggested times
// (sent in UTC) are shown on this device's clock.
(function () {
  "use strict";
  var form = document.getElementById("session-form");
  var select = document.getElementById("timezone");
  if (!form || !select) { return; }
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
  if (form.dataset.fresh !== "true") { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === "UTC" || !select.querySelector('option[value="' + zone + '"]')) { return; }
  select.value = zone;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  ["starts_at", "ends_at"].forEach(function (id) {
    var input = document.getElementById(id);
    var when = new Date(input.value + "Z");
    if (isNaN(when.getTime())) { return; }
    input.value = when.getFullYear() + "-" + pad(when.getMonth() + 1) + "-" + pad(when.getDate())
      + "T" + pad(when.getHours()) + ":" + pad(when.getMinutes());
  });
})();
