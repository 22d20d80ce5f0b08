// The meeting form's quick picks (progressive enhancement: without JavaScript the date
// and the duration are typed). A pick fills the field; nothing is saved until "Enregistrer".
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localValue(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }
  document.querySelectorAll("[data-picks-for]").forEach(function (group) {
    var input = document.getElementById(group.dataset.picksFor);
    if (!input) { return; }
    group.hidden = false;
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      if (button.dataset.pickStart !== undefined) {
        var when = new Date(Date.now() - Number(button.dataset.pickStart) * 60000);
        when.setMinutes(Math.floor(when.getMinutes() / 15) * 15);
        input.value = localValue(when);
      } else {
        input.value = button.dataset.pickValue;
      }
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });
})();
