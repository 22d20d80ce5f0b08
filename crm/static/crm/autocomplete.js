// Search fields for selects marked data-autocomplete (crm.widgets.AutocompleteSelect):
// the select stays in the form (hidden) and holds the choice; a combobox (WAI-ARIA 1.2
// pattern) asks the server for matches as the user types.
(function () {
  "use strict";
  var count = 0;

  function enhance(select) {
    count += 1;
    var url = select.getAttribute("data-autocomplete");
    var words = {
      hint: select.getAttribute("data-autocomplete-hint") || "",
      none: select.getAttribute("data-autocomplete-none") || "",
      count: select.getAttribute("data-autocomplete-count") || "%(count)s"
    };
    var wrapper = document.createElement("div");
    wrapper.className = "autocomplete";
    var input = document.createElement("input");
    input.type = "text";
    input.className = "autocomplete-input";
    input.id = (select.id || "autocomplete-" + count) + "-search";
    input.placeholder = words.hint;
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var list = document.createElement("ul");
    list.id = input.id + "-list";
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    ["aria-describedby", "aria-invalid", "required"].forEach(function (name) {
      if (select.hasAttribute(name)) { input.setAttribute(name, select.getAttribute(name)); }
    });
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) { label.htmlFor = input.id; list.setAttribute("aria-label", label.textContent.trim()); }
    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.value) { input.value = chosen.text; }

    select.hidden = true;
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(input);
    wrapper.appendChild(list);
    wrapper.appendChild(status);
    wrapper.appendChild(select);

    var active = -1;
    var timer = null;
    var latest = 0;

    function options() { return list.querySelectorAll('[role="option"]'); }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = options();
      if (!items.length) { return; }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) { item.setAttribute("aria-selected", String(i === active)); });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      var value = item.getAttribute("data-value");
      var option = select.querySelector('option[value="' + CSS.escape(value) + '"]');
      if (!option) {
        option = document.createElement("option");
        option.value = value;
        select.appendChild(option);
      }
      option.text = item.textContent;
      select.value = value;
      input.value = item.textContent;
      close();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(results) {
      list.textContent = "";
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-value", String(result.id));
        item.textContent = result.text;  // text, never HTML: names are user input
        // mousedown, not click: it runs before the input loses focus.
        item.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
        list.appendChild(item);
      });
      if (results.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = words.count.replace("%(count)s", results.length);
      } else {
        close();
        status.textContent = words.none;
      }
    }

    function search() {
      var query = input.value.trim();
      if (query.length < 2) { close(); status.textContent = ""; return; }
      var ticket = ++latest;
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === latest) { show(data.results || []); } })
        .catch(function () { close(); });
    }

    input.addEventListener("input", function () {
      // Typing replaces the choice until a new one is picked from the list.
      select.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) { search(); } else { highlight(active + 1); }
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();  // choose, do not submit the form
        choose(options()[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("select[data-autocomplete]").forEach(enhance);
})();
