// The session form: the errors' summary takes the focus, and the clock at the place of the
// chosen time zone is shown, since start and end are typed on that clock.
(function () {
  "use strict";
  var form = document.getElementById("session-form");
  var select = document.getElementById("timezone");
  if (!form || !select) { return; }
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }
  var now = document.getElementById("zone-now");

  function showNow() {
    try {
      var time = new Intl.DateTimeFormat(PlazaI18n.locale, {
        timeZone: select.value, weekday: "long", day: "numeric", month: "long", hour: "numeric", minute: "2-digit"
      }).format(new Date());
      now.textContent = _("At the place it is now %(time)s.", { time: time });
      now.hidden = false;
    } catch (e) {
      now.hidden = true;   // a zone this browser does not know
    }
  }

  select.addEventListener("change", showNow);
  showNow();
})();
