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

  // When the editor opens, put the cursor in its first field.
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail.target && ev.detail.target.id === "member-editor") {
      var first = ev.detail.target.querySelector("input:not([type=hidden]), select");
      if (first) first.focus();
    }
  });
})();
