// coop: the only script of our own. No inline scripts (the CSP forbids them).
(function () {
  "use strict";

  function banner(text) {
    var box = document.getElementById("request-error");
    if (!box) return;
    box.querySelector(".request-error-text").textContent = text;
    box.hidden = false;
  }

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
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("request-error");
    if (box) box.hidden = true;
  });
})();
