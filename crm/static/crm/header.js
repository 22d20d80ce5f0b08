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
