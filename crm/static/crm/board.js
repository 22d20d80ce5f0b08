// Pipeline board. Without JavaScript each card's "Déplacer" menu is a disclosure of plain
// buttons posting to crm:project-move, and the board comes back with a toast offering undo.
// Here: one tab stop for the whole board (roving tabindex, arrow keys between cards), drag
// and drop submitting the card's own menu, htmx posting the moves and swapping the board
// in place (attributes in the template), and the focus kept on the moved card.
(function () {
  "use strict";
  var focusAfterSwap = null;  // the project whose card takes the focus once the board is back

  function board() { return document.getElementById("board"); }
  function cards() { return Array.prototype.slice.call(document.querySelectorAll("#board .board-card")); }
  function titleOf(card) { return card.querySelector(".card-title"); }

  // ---- Roving tabindex: the active card's link and menu are tab stops, no other card's.
  function activate(card) {
    cards().forEach(function (other) {
      var stop = other === card ? "0" : "-1";
      titleOf(other).setAttribute("tabindex", stop);
      var toggle = other.querySelector(".move-toggle");
      if (toggle) { toggle.setAttribute("tabindex", stop); }
    });
  }

  function setUp() {
    var root = board();
    if (!root) { return; }
    var all = cards();
    if (!all.length) { return; }
    // A column that scrolls is a tab stop of its own, so the keyboard can scroll it (its
    // cards are reached with the arrows, not with Tab).
    root.querySelectorAll("ul.cards").forEach(function (list) {
      if (list.scrollHeight > list.clientHeight || list.scrollWidth > list.clientWidth) {
        list.setAttribute("tabindex", "0");
        list.setAttribute("aria-labelledby", list.closest(".board-column").getAttribute("aria-labelledby"));
      } else {
        list.removeAttribute("tabindex");
      }
    });
    var current = focusAfterSwap && document.getElementById("card-" + focusAfterSwap);
    activate(current || all[0]);
    if (root.hasAttribute("data-board")) {
      all.forEach(function (card) {
        if (card.querySelector("form.card-move")) { card.setAttribute("draggable", "true"); }
      });
    }
  }

  function move(card, key) {
    var column = card.closest(".board-column");
    var inColumn = Array.prototype.slice.call(column.querySelectorAll(".board-card"));
    var index = inColumn.indexOf(card);
    if (key === "ArrowDown") { return inColumn[index + 1]; }
    if (key === "ArrowUp") { return inColumn[index - 1]; }
    if (key === "Home") { return inColumn[0]; }
    if (key === "End") { return inColumn[inColumn.length - 1]; }
    var columns = Array.prototype.slice.call(document.querySelectorAll("#board .board-column"));
    var step = key === "ArrowRight" ? 1 : -1;
    for (var c = columns.indexOf(column) + step; c >= 0 && c < columns.length; c += step) {
      var there = columns[c].querySelectorAll(".board-card");
      if (there.length) { return there[Math.min(index, there.length - 1)]; }
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.closest("#board")) { return; }
    var menu = target.closest(".move-menu");
    if (event.key === "Escape" && menu && menu.open) {
      menu.open = false;
      menu.querySelector(".move-toggle").focus();
      event.preventDefault();
      return;
    }
    if (menu && menu.open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      // Inside an open menu the arrows go through its choices.
      var items = Array.prototype.slice.call(menu.querySelectorAll(".menu-item"));
      var at = items.indexOf(target);
      var next = items[event.key === "ArrowDown" ? at + 1 : (at < 0 ? items.length - 1 : at - 1)];
      if (next) { next.focus(); }
      event.preventDefault();
      return;
    }
    if (!target.classList.contains("card-title") && !target.classList.contains("move-toggle")) { return; }
    if (["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Home", "End"].indexOf(event.key) < 0) { return; }
    var card = move(target.closest(".board-card"), event.key);
    event.preventDefault();
    if (card) {
      activate(card);
      titleOf(card).focus();
    }
  });

  document.addEventListener("focusin", function (event) {
    var card = event.target instanceof Element && event.target.closest("#board .board-card");
    if (card && titleOf(card).getAttribute("tabindex") !== "0") { activate(card); }
  });

  // The skip link lands on the card that holds the board's tab stop.
  document.addEventListener("click", function (event) {
    var skip = event.target instanceof Element && event.target.closest("[data-board-skip]");
    if (!skip) { return; }
    var active = document.querySelector('#board .card-title[tabindex="0"]');
    if (active) {
      event.preventDefault();
      active.focus();
    }
  });

  // One open menu at a time; a click elsewhere closes it.
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!(menu instanceof Element) || !menu.classList.contains("move-menu") || !menu.open) { return; }
    document.querySelectorAll("#board .move-menu[open]").forEach(function (other) {
      if (other !== menu) { other.open = false; }
    });
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target instanceof Element && event.target.closest(".move-menu")) { return; }
    document.querySelectorAll("#board .move-menu[open]").forEach(function (menu) { menu.open = false; });
  });

  // ---- Drag and drop: the drop submits the card's own menu with the column's stage.
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target instanceof Element && event.target.closest("#board .board-card[draggable]");
    if (!card) { return; }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-project"));
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
  });
  function columnOf(event) {
    var column = event.target instanceof Element && event.target.closest("#board .board-column");
    return column && dragged && dragged.closest(".board-column") !== column ? column : null;
  }
  document.addEventListener("dragover", function (event) {
    var column = columnOf(event);
    if (!column) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("drop-target");
  });
  document.addEventListener("dragleave", function (event) {
    var column = event.target instanceof Element && event.target.closest("#board .board-column");
    if (column && !column.contains(event.relatedTarget)) { column.classList.remove("drop-target"); }
  });
  document.addEventListener("drop", function (event) {
    var column = columnOf(event);
    if (!column) { return; }
    event.preventDefault();
    column.classList.remove("drop-target");
    var form = dragged.querySelector("form.card-move");
    var button = form.querySelector('button[name=stage][value="' + column.getAttribute("data-stage") + '"]');
    if (!button) { return; }
    // A click (not requestSubmit): htmx sends the value of the button it saw clicked.
    button.click();
  });

  // ---- htmx: remember which card moved, put the focus back on it after the swap.
  var boardBefore = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    if (!(source instanceof Element) || !source.closest(".board-area")) { return; }
    var holder = source.closest("[data-project]");
    focusAfterSwap = holder ? holder.getAttribute("data-project") : null;
    boardBefore = board();
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!boardBefore || board() === boardBefore) { return; }
    boardBefore = null;
    setUp();
    var card = focusAfterSwap && document.getElementById("card-" + focusAfterSwap);
    if (card) {
      card.classList.add("just-moved");
      card.scrollIntoView({ block: "nearest" });
      titleOf(card).focus();
    } else if (board()) {
      board().focus();
    }
    focusAfterSwap = null;
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
