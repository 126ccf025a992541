// coop: the only script of our own. No inline scripts (the CSP forbids them).
(function () {
  "use strict";

  function banner(text) {
    var box = document.getElementById("request-error");
    if (!box) return;
    box.querySelector(".request-error-text").textContent = text;
    box.hidden = false;
  }

  // A print button works only with this script: it is hidden in the page
  // and shown here (without JavaScript the browser's own 打印 is there).
  function showPrinters(root) {
    root.querySelectorAll("[data-print][hidden]").forEach(function (button) { button.hidden = false; });
  }
  showPrinters(document);
  document.addEventListener("htmx:load", function (ev) { showPrinters(ev.target); });

  document.addEventListener("click", function (ev) {
    if (ev.target.closest(".request-error-close")) {
      document.getElementById("request-error").hidden = true;
    }
    var printer = ev.target.closest("[data-print]");
    if (printer) { ev.preventDefault(); window.print(); }
  });

  // A failed htmx request must never look like nothing happened.
  document.addEventListener("htmx:responseError", function (ev) {
    var xhr = ev.detail.xhr;
    var text = (xhr && xhr.getResponseHeader("Content-Type") || "").indexOf("text/plain") === 0
      ? xhr.responseText : "";
    banner((text || "操作没有成功（错误代码 " + (xhr ? xhr.status : "?") + "）。") + " 请刷新页面后重试。");
  });
  document.addEventListener("htmx:sendError", function () {
    banner("无法连接服务器，请检查网络后重试。操作没有完成。");
  });
  document.addEventListener("htmx:timeout", function () {
    banner("服务器响应超时，操作可能没有完成，请刷新页面核对。");
  });
  // A table wider than its box (on a phone) scrolls inside it: the box must
  // then be reachable by Tab and say what it holds (WCAG 2.1.1, 4.1.2). Boxes
  // the page already made regions (a tabindex of their own) are left alone.
  var HEADINGS = "h1, h2, h3, h4";

  function nameOf(box) {
    if (box.dataset.label) return box.dataset.label;
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (var el = box; el && el !== document.body; el = el.parentElement) {
      for (var sib = el.previousElementSibling; sib; sib = sib.previousElementSibling) {
        var found = sib.matches(HEADINGS) ? [sib] : sib.querySelectorAll(HEADINGS);
        if (found.length) return found[found.length - 1].textContent.trim();
      }
    }
    return document.title.split(" · ")[0];
  }

  function scrollRegions(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll(".table-wrap, .paper-scroll").forEach(function (box) {
      if (box.hasAttribute("tabindex") && !box.hasAttribute("data-scroll-region")) return;
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("data-scroll-region", "");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box) + "（可左右滚动）");
      } else if (box.hasAttribute("data-scroll-region")) {
        ["data-scroll-region", "tabindex", "role", "aria-label"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }

  // on a phone a menu (the main one, a section's tabs) is one scrolling row:
  // the current page's entry in view
  function currentMenuEntry() {
    document.querySelectorAll(".mainnav, .subnav").forEach(function (nav) {
      var here = nav.querySelector('[aria-current="page"]');
      if (here && nav.scrollWidth > nav.clientWidth) {
        var box = nav.getBoundingClientRect(), entry = here.getBoundingClientRect();
        nav.scrollLeft += entry.left - box.left - (nav.clientWidth - entry.width) / 2;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { scrollRegions(document); currentMenuEntry(); });
  document.addEventListener("htmx:load", function (ev) { scrollRegions(ev.detail.elt.parentElement || document); });
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () { scrollRegions(document); }, 150);
  });

  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("request-error");
    if (box) box.hidden = true;
  });

  // Where the focus goes when htmx swaps the part of the page that holds it.
  // A refused submit (422; 409 for a stale save): the form's error summary,
  // or else its first invalid field (or the invalid field the form's
  // autofocus already put the cursor in). A sort or paging link (data-keep-focus):
  // the link of the same id in the new table, or its data-focus-fallback
  // when that one is gone (the first page has no "上一页").
  var refused = null;
  var kept = null;

  function isSubmit(elt) {
    return elt && (elt.tagName === "FORM" || elt.type === "submit");
  }

  document.addEventListener("htmx:beforeSwap", function (ev) {
    var d = ev.detail;
    var status = d.xhr ? d.xhr.status : 0;
    var elt = d.requestConfig && d.requestConfig.elt;
    if ((status === 422 || status === 409) && isSubmit(elt)) refused = d.xhr;
    var active = document.activeElement;
    if (active && active.id && active.hasAttribute("data-keep-focus") &&
        d.target && d.target.contains(active)) {
      kept = { xhr: d.xhr, id: active.id, fallback: active.getAttribute("data-focus-fallback") };
    }
  });

  document.addEventListener("htmx:afterSettle", function (ev) {
    var xhr = ev.detail.xhr;
    if (refused && xhr === refused) {
      var scope = ev.target && ev.target.isConnected ? ev.target : document;
      var to = scope.querySelector(".error-summary") || scope.querySelector("[aria-invalid='true']");
      var active = document.activeElement;
      if (active && scope.contains(active) && active.getAttribute("aria-invalid") === "true") {
        to = active;  // a form that puts the cursor in its first wrong field (autofocus) keeps it
      }
      if (to) {
        refused = null;
        to.focus();
      }
    }
    if (kept && xhr === kept.xhr) {
      var again = document.getElementById(kept.id) ||
        (kept.fallback && document.getElementById(kept.fallback));
      kept = null;
      if (again) again.focus();
    }
  });

  // An inline check (data-inline-check: a form's fields checked as each one
  // changes) brings errors, never values. The answer is the whole form as
  // the server read it; swapping it in would overwrite what the user typed
  // into the next field while the check was on its way. So only the errors
  // are copied onto the form as it stands: each field's error, its mark and
  // its aria, and the summary at the top. A choice from a list (a select)
  // may change which fields the form has, and is swapped whole.
  function copyAttr(from, to, name) {
    if (from.hasAttribute(name)) to.setAttribute(name, from.getAttribute(name));
    else to.removeAttribute(name);
  }

  function mergeErrors(form, fresh) {
    form.querySelectorAll(".field[id^='field-']").forEach(function (wrapper) {
      var renewed = fresh.querySelector("#" + CSS.escape(wrapper.id));
      if (!renewed) return;
      wrapper.classList.toggle("has-error", renewed.classList.contains("has-error"));
      var old = wrapper.querySelector(":scope > p.error");
      if (old) old.remove();
      var error = renewed.querySelector(":scope > p.error");
      if (error) wrapper.appendChild(document.importNode(error, true));
      var input = wrapper.querySelector("input, select, textarea");
      var renewedInput = renewed.querySelector("input, select, textarea");
      if (input && renewedInput) {
        copyAttr(renewedInput, input, "aria-invalid");
        copyAttr(renewedInput, input, "aria-describedby");
      }
    });
    var summary = form.querySelector(".error-summary");
    var renewedSummary = fresh.querySelector(".error-summary");
    if (summary) summary.remove();
    if (renewedSummary) {
      renewedSummary.removeAttribute("autofocus");
      var first = form.querySelector("fieldset");
      form.insertBefore(document.importNode(renewedSummary, true), first);
    }
  }

  document.addEventListener("htmx:beforeSwap", function (ev) {
    var d = ev.detail;
    var elt = d.requestConfig && d.requestConfig.elt;
    if (!elt || !elt.hasAttribute("data-inline-check") || !d.shouldSwap || !d.xhr) return;
    var changed = d.requestConfig.triggeringEvent && d.requestConfig.triggeringEvent.target;
    if (changed && changed.tagName === "SELECT") return;
    var form = d.target;
    var fresh = new DOMParser().parseFromString(d.xhr.responseText, "text/html");
    var renewedForm = form && form.id && fresh.getElementById(form.id);
    if (!renewedForm) return;
    d.shouldSwap = false;
    mergeErrors(form, renewedForm);
  });

  // A page that comes back refused without htmx (a plain POST answered 422
  // or 409): the same. A page that merely shows a summary when opened keeps
  // the reader at its top.
  var nav = window.performance && performance.getEntriesByType
    ? performance.getEntriesByType("navigation")[0] : null;
  var loaded = nav ? nav.responseStatus : 0;
  var summary = document.querySelector(".error-summary");
  if (summary && (loaded === 422 || loaded === 409)) summary.focus();
})();
