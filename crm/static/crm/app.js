// Progressive enhancements only: every page works without this file.
(function () {
  "use strict";
  // On phones, a filter panel with no active filter starts folded so the results show first.
  var phone = window.matchMedia("(max-width: 720px)");
  document.querySelectorAll("details[data-collapse-on-phone]").forEach(function (details) {
    if (phone.matches && !details.querySelector(".count")) {
      details.removeAttribute("open");
    }
  });
})();

// Follow-ups: the "Imprimer" button of the attendance sheet.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
