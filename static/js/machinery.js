// Machinery order entry: the client box is a combobox driven from the keyboard.
// Suggestions come from the server (htmx swaps <li role="option"> into
// #client-options); this script only moves the selection, picks with Enter or
// a click, and tells the price box that a client was picked.
// Nothing is selected when the suggestions arrive: the first ↓ selects the
// first of them, ↑ the last. Enter takes the selected one; with none selected
// it takes the one whose name is exactly what was typed, or the only one, and
// otherwise does nothing (the order is not saved without a client).
(function () {
  "use strict";

  var pickWhenArrived = false;

  function parts() {
    return {
      text: document.getElementById("client_text"),
      ref: document.getElementById("client_ref"),
      list: document.getElementById("client-options")
    };
  }

  function options(list) {
    return list ? Array.prototype.slice.call(list.querySelectorAll('[role="option"]')) : [];
  }

  function setOpen(p, open) {
    if (!p.text) return;
    p.text.setAttribute("aria-expanded", open ? "true" : "false");
    if (p.list) p.list.classList.toggle("open", open);
    if (!open && p.list) {
      p.list.innerHTML = "";
      p.text.removeAttribute("aria-activedescendant");
    }
  }

  function current(p) {
    var opts = options(p.list);
    for (var i = 0; i < opts.length; i++) {
      if (opts[i].getAttribute("aria-selected") === "true") return i;
    }
    return -1;
  }

  function select(p, index) {
    var opts = options(p.list);
    if (!opts.length) return;
    index = (index + opts.length) % opts.length;
    opts.forEach(function (o, i) { o.setAttribute("aria-selected", i === index ? "true" : "false"); });
    p.text.setAttribute("aria-activedescendant", opts[index].id);
    opts[index].scrollIntoView({ block: "nearest" });
  }

  function clear(p) {
    options(p.list).forEach(function (o) { o.setAttribute("aria-selected", "false"); });
    if (p.text) p.text.removeAttribute("aria-activedescendant");
  }

  // With nothing selected, the suggestion Enter may take without asking:
  // the only one whose name is exactly the typed text, else the only one.
  function obvious(p, opts) {
    var typed = p.text.value.trim();
    var exact = opts.filter(function (o) { return o.getAttribute("data-name") === typed; });
    if (exact.length === 1) return exact[0];
    if (!exact.length && opts.length === 1) return opts[0];
    return null;
  }

  function pick(p, option) {
    p.text.value = option.getAttribute("data-name");
    p.ref.value = option.getAttribute("data-ref");
    p.text.setAttribute("data-picked", p.text.value);
    setOpen(p, false);
    p.text.dispatchEvent(new CustomEvent("client-picked", { bubbles: true }));
    var next = document.getElementById("service");
    if (next) next.focus();
  }

  document.addEventListener("keydown", function (ev) {
    if (!ev.target || ev.target.id !== "client_text") return;
    var p = parts();
    var opts = options(p.list);
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!opts.length) return;
      ev.preventDefault();
      var i = current(p);
      select(p, ev.key === "ArrowDown" ? i + 1 : (i < 0 ? opts.length - 1 : i - 1));
    } else if (ev.key === "Enter") {
      if (opts.length) {
        // the list is open: Enter picks, it never saves the order
        ev.preventDefault();
        var chosen = current(p) >= 0 ? opts[current(p)] : obvious(p, opts);
        if (chosen) pick(p, chosen);
      } else if (!p.ref.value && p.text.value.trim()) {
        // typed faster than the suggestions came: search now, pick a single hit
        ev.preventDefault();
        pickWhenArrived = true;
        if (window.htmx) window.htmx.trigger(p.text, "search-now");
      }
    } else if (ev.key === "Escape") {
      setOpen(p, false);
    }
  });

  document.addEventListener("input", function (ev) {
    if (!ev.target || ev.target.id !== "client_text") return;
    var p = parts();
    if (p.text.value !== p.text.getAttribute("data-picked")) {
      p.ref.value = "";  // typing again means the earlier pick no longer holds
    }
    pickWhenArrived = false;
  });

  document.addEventListener("mousedown", function (ev) {
    var option = ev.target.closest && ev.target.closest("#client-options [role='option']");
    if (!option) return;
    ev.preventDefault();
    pick(parts(), option);
  });

  document.addEventListener("focusout", function (ev) {
    if (!ev.target || ev.target.id !== "client_text") return;
    setTimeout(function () {
      var p = parts();
      if (document.activeElement !== p.text) setOpen(p, false);
    }, 150);
  });

  document.addEventListener("htmx:afterSwap", function (ev) {
    var p = parts();
    if (!p.list || ev.detail.target !== p.list) return;
    var opts = options(p.list);
    var open = p.list.children.length > 0 && document.activeElement === p.text;
    setOpen(p, open);
    clear(p);  // new suggestions: none chosen until ↓ or ↑
    if (pickWhenArrived) {
      pickWhenArrived = false;
      var only = opts.length ? obvious(p, opts) : null;
      if (only) pick(p, only);
    }
  });
})();
