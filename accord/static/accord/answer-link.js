// The survey link carries its code in the URL fragment (#t=…), which browsers never send to a
// server. Move it into the form, drop it from the address bar and history, and POST it: the
// code then appears in no request line, server log or Referer header.
(function () {
  "use strict";
  var match = /(?:^#|&)t=([A-Za-z0-9_-]+)/.exec(window.location.hash);
  var form = document.getElementById("answer-code-form");
  if (!match || !form) {
    return;
  }
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  form.elements.token.value = match[1];
  var opening = document.getElementById("answer-code-opening");
  if (opening) {
    opening.hidden = false;
  }
  form.submit();
})();
