// The scripts' side of the translations: _("text", {name: value}) and
// ngettext("one vote", "%(num)s votes", n), read from the page's #plaza-messages catalog
// (only what differs from the English source is in it). Parameters are %(name)s, as in Python.
(function () {
  "use strict";
  var catalog = {};
  var node = document.getElementById("plaza-messages");
  try { catalog = node ? JSON.parse(node.textContent) : {}; } catch (e) { catalog = {}; }

  function fill(text, params) {
    if (!params) { return text; }
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
    });
  }

  window._ = function (message, params) {
    var translated = catalog[message];
    return fill(typeof translated === "string" ? translated : message, params);
  };

  window.ngettext = function (singular, plural, n, params) {
    var forms = catalog[singular];
    var text = Array.isArray(forms) ? forms[n === 1 ? 0 : 1] : (n === 1 ? singular : plural);
    var values = { num: n };
    Object.keys(params || {}).forEach(function (key) { values[key] = params[key]; });
    return fill(text, values);
  };

  var root = document.documentElement;
  window.PlazaI18n = {
    language: root.lang || "en",
    // Language and region ("es-MX"), for numbers and times formatted as the server does.
    locale: (document.querySelector('meta[name="plaza-locale"]') || {}).content || root.lang || "en",
    // A space's default categories are stored in English; the catalog holds their names.
    category: function (name) {
      var translated = catalog[name];
      return typeof translated === "string" ? translated : name;
    },
    number: function (n, digits) {
      // Grouping always, as the server's babel does ("1.000" in es, not CLDR's "1000").
      var options = { useGrouping: "always" };
      if (digits !== undefined) { options.minimumFractionDigits = options.maximumFractionDigits = digits; }
      return new Intl.NumberFormat(window.PlazaI18n.locale, options).format(n);
    }
  };
})();
