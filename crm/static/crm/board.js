// Pipeline board: drag a card to another column to move the project to that stage.
// Dropping fills in the card's own "Déplacer vers…" form and submits it, so drag and drop
// and the keyboard alternative post exactly the same thing (crm:project-move).
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) { return; }
  var dragged = null;

  board.querySelectorAll(".board-card").forEach(function (card) {
    if (!card.querySelector("form.card-move")) { return; }
    card.setAttribute("draggable", "true");
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.getAttribute("data-project"));
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("dragging");
      dragged = null;
    });
  });

  board.querySelectorAll(".board-column").forEach(function (column) {
    column.addEventListener("dragover", function (event) {
      if (!dragged || dragged.closest(".board-column") === column) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("drop-target");
    });
    column.addEventListener("dragleave", function (event) {
      if (!column.contains(event.relatedTarget)) { column.classList.remove("drop-target"); }
    });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("drop-target");
      if (!dragged || dragged.closest(".board-column") === column) { return; }
      var form = dragged.querySelector("form.card-move");
      form.querySelector("select[name=stage]").value = column.getAttribute("data-stage");
      form.submit();
    });
  });
})();
