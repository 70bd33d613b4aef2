// Back then submit again must be recognised as a replay (courtier.core.replay). Browsers fetch
// a form page again on Back when its form posted to the page's own address (the POST drops it
// from the HTTP cache) or when the page cannot be kept whole (the back/forward cache is off or
// full): the page then comes with new one-time tokens, while the browser restores what was
// typed. Each history entry therefore keeps the tokens its forms were first shown with, and
// puts them back when the entry is shown again. The server runs a replayed token again only
// when the form's content differs (something was changed on purpose).
(function () {
  "use strict";
  var FIELD = "_form_token";
  var STATE = "courtierFormTokens";
  if (!window.history || !window.history.replaceState) {
    return;
  }

  function keyOf(input, seen) {
    var form = input.form;
    var action = (form && form.getAttribute("action")) || window.location.pathname;
    var n = (seen[action] = (seen[action] || 0) + 1);
    return action + "#" + n;
  }

  function keep() {
    var inputs = document.querySelectorAll('input[name="' + FIELD + '"]');
    if (!inputs.length) {
      return;
    }
    var state = window.history.state || {};
    var kept = state[STATE] || {};
    var seen = {};
    var now = {};
    inputs.forEach(function (input) {
      var key = keyOf(input, seen);
      if (Object.prototype.hasOwnProperty.call(kept, key)) {
        input.value = kept[key];
      }
      now[key] = input.value;
    });
    var next = Object.assign({}, state);
    next[STATE] = now;
    window.history.replaceState(next, "");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", keep);
  } else {
    keep();
  }
})();
