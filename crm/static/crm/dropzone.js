// Drag and drop onto the documents' file input (progressive enhancement: without
// JavaScript the plain multiple file input works the same). No inline script: CSP.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-dropzone]").forEach(function (input) {
    var zone = document.createElement("div");
    zone.className = "dropzone";
    var hint = document.createElement("p");
    hint.className = "dropzone-hint";
    hint.textContent = input.closest("form").dataset.dropHint || "Glissez vos fichiers ici, ou choisissez-les :";
    input.parentNode.insertBefore(zone, input);
    zone.appendChild(hint);
    zone.appendChild(input);
    var list = document.createElement("ul");
    list.className = "dropzone-files";
    list.setAttribute("aria-live", "polite");
    zone.appendChild(list);
    function show() {
      list.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.textContent = file.name;
        list.appendChild(item);
      });
    }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dropzone-over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () {
        zone.classList.remove("dropzone-over");
      });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
    input.addEventListener("change", show);
  });
})();
