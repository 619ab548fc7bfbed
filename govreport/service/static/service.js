/* govreport serve: every state-changing request carries the page's CSRF token.
   Loaded before the editor's scripts, so their fetch calls carry it too. */
"use strict";
(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const token = meta ? meta.content : "";
  const original = window.fetch.bind(window);
  window.fetch = function (input, init) {
    const options = Object.assign({}, init || {});
    const method = (options.method || "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD") {
      const headers = new Headers(options.headers || {});
      headers.set("X-CSRF-Token", token);
      options.headers = headers;
    }
    return original(input, options);
  };
  // A form with data-confirm (deleting or 撤销 an agency) asks before it is sent.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form && form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.dataset.readonly !== "1") return;
    document.querySelectorAll("[data-field]").forEach(function (input) {
      if (input.tagName === "SELECT") input.disabled = true; else input.readOnly = true;
    });
    ["save", "open-start"].forEach(function (id) {
      const button = document.getElementById(id);
      if (button) button.hidden = true;
    });
  });
})();
