// Members pages: closing the in-place editor. No inline scripts (CSP).
(function () {
  "use strict";

  document.addEventListener("click", function (ev) {
    var close = ev.target.closest("[data-close-editor]");
    var editor = document.getElementById("member-editor");
    if (close && editor && editor.contains(close)) {
      ev.preventDefault();
      editor.innerHTML = "";
    }
  });

  // The search form sends only what is set, so the pushed URL stays short
  // and readable (/members/?q=zs rather than every empty filter).
  document.addEventListener("htmx:configRequest", function (ev) {
    var elt = ev.detail.elt;
    if (!elt || elt.id !== "member-search" || !ev.detail.formData) return;
    var data = ev.detail.formData;
    var defaults = {sort: "member_no", direction: "asc"};
    Array.from(data.keys()).forEach(function (key) {
      var value = data.get(key);
      if (value === "" || defaults[key] === value) data.delete(key);
    });
  });

  // When the editor opens, put the cursor in its first field.
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail.target && ev.detail.target.id === "member-editor") {
      var first = ev.detail.target.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    }
  });
})();
