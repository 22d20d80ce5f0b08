// The project's side panel. A link marked data-panel (a card of the board, a row of the
// project list) opens the project in a modal dialog instead of its page: the browser keeps
// the focus inside the dialog and closes it on Escape; the focus then goes back to the link.
// The panel's forms are posted by htmx (hx-boost) and the answer replaces the panel's body.
// Ctrl/Cmd/Shift-click and middle-click still open the page; so does any link without JS.
(function () {
  "use strict";
  var dialog = document.getElementById("project-panel");
  if (!dialog || typeof dialog.showModal !== "function" || !window.htmx) { return; }
  var body = document.getElementById("project-panel-body");
  var opener = null;
  var changed = false;

  function focusTitle() {
    // Named by its project once loaded (the empty dialog keeps its generic aria-label).
    if (body.querySelector("#project-panel-title")) {
      dialog.setAttribute("aria-labelledby", "project-panel-title");
    }
    var target = body.querySelector(".form-errors[role=alert], .conflict-message, .messages") ||
      body.querySelector("#project-panel-title");
    if (target) {
      if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
      target.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element && event.target.closest("a[data-panel]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    opener = link;
    changed = false;
    var url = link.getAttribute("href").replace(/\/?$/, "/") + "panel/";
    htmx.ajax("GET", url, { target: body, swap: "innerHTML" }).then(function () {
      if (!dialog.open) { dialog.showModal(); }
      focusTitle();
    });
  });

  dialog.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-panel-close]")) { dialog.close(); }
  });

  // A change saved in the panel: the panel shows it; the board behind refreshes on close.
  body.addEventListener("htmx:afterSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && event.detail.requestConfig && event.detail.requestConfig.verb === "post" && xhr.status < 300) { changed = true; }
    if (dialog.open) { focusTitle(); }
  });

  dialog.addEventListener("close", function () {
    var board = document.getElementById("board");
    var project = opener && opener.closest("[data-project]");
    var pk = project ? project.getAttribute("data-project") : null;
    function restore() {
      var link = opener && document.body.contains(opener) ? opener : null;
      if (!link && pk) {
        var card = document.getElementById("card-" + pk);
        link = card && card.querySelector("a[data-panel]");
      }
      if (link) { link.focus(); }
    }
    if (changed && board) {
      htmx.ajax("GET", window.location.href, { target: "#board", select: "#board", swap: "outerHTML" }).then(restore);
    } else if (changed) {
      window.location.reload();
    } else {
      restore();
    }
  });
})();
