// The header: "/" puts the cursor in the search box; on a phone the menu button folds the
// navigation. Without this file the box is still a form and the menu is always shown.
(function () {
  "use strict";
  var box = document.getElementById("header-search-q");
  if (box) {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) { return; }
      var target = event.target;
      var typing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
      if (typing) { return; }
      event.preventDefault();
      box.focus();
      box.select();
    });
  }
})();

// On a phone, the menu starts folded behind its button (the button stays hidden and the
// menu open when this file does not run).
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle[aria-controls]");
  var menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) { return; }
  var phone = window.matchMedia("(max-width: 720px)");
  function show(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-collapsed", !open);
  }
  button.hidden = false;
  show(!phone.matches);
  button.addEventListener("click", function () {
    show(button.getAttribute("aria-expanded") !== "true");
  });
  phone.addEventListener("change", function (event) { show(!event.matches); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && phone.matches && button.getAttribute("aria-expanded") === "true") {
      show(false);
      button.focus();
    }
  });
})();
