/* Irreversible actions ask first: a form with data-confirm="…" submits only when the person
   confirms the question. A static file, so the Content-Security-Policy (script-src 'self')
   allows it; no inline handlers. Forms submitted by htmx use htmx's own hx-confirm. */
document.addEventListener(
  "submit",
  function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true
);
