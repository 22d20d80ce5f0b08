// Import page: while a preview or an import runs in the background, ask the server for
// its counters every two seconds, move the <progress> bar, and reload the page once the
// batch has left the running states (the page then shows the counts or the failure).
// Without JavaScript, the page's own "Actualiser" link does the same by hand.
(function () {
  "use strict";
  var panel = document.querySelector("[data-import-progress]");
  if (!panel) { return; }
  var url = panel.getAttribute("data-import-progress");
  var bar = panel.querySelector("progress");
  var text = panel.querySelector("[data-progress-text]");
  var template = text ? text.getAttribute("data-template") : "";

  function show(data) {
    if (data.total) {
      bar.max = data.total;
      bar.value = data.processed;
      bar.textContent = Math.round(100 * data.processed / data.total) + " %";
    }
    if (text && template) {
      text.textContent = template
        .replace("{processed}", data.processed.toLocaleString("fr-FR"))
        .replace("{total}", data.total.toLocaleString("fr-FR"));
    }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (!data.running) { window.location.reload(); return; }
        show(data);
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
