// Project creation form: show only the part of a section that the chosen radio applies to
// ("new person" or "existing person"). Without this file every part shows and the radio
// alone decides which one is used.
(function () {
  "use strict";
  document.querySelectorAll("[data-choice-section]").forEach(function (section) {
    var name = section.getAttribute("data-choice-section");
    var radios = section.querySelectorAll('input[type="radio"][name="' + name + '"]');
    function update() {
      var chosen = section.querySelector('input[type="radio"][name="' + name + '"]:checked');
      var value = chosen ? chosen.value : "";
      section.querySelectorAll("[data-choice]").forEach(function (part) {
        part.hidden = part.getAttribute("data-choice") !== value;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
})();
