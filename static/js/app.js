// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Confirm destructive actions: <form data-confirm="Удалить?">.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var msg = form.getAttribute && form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
  // Long work (file checks, imports): show progress and block a second press.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var msg = form.getAttribute && form.getAttribute("data-busy");
    if (!msg || e.defaultPrevented) { return; }
    var button = form.querySelector("button[type=submit]");
    if (button) {
      setTimeout(function () { button.disabled = true; button.textContent = msg; }, 0);
    }
    form.setAttribute("aria-busy", "true");
  });
  // Auto-submit small forms when a select changes: <select data-autosubmit>.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      if (window.htmx && el.form.hasAttribute("hx-post")) {
        window.htmx.trigger(el.form, "submit");
      } else {
        el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
      }
    }
  });
  // Hide the manual save button of auto-submitting forms when JS runs.
  document.querySelectorAll("[data-js-hide]").forEach(function (el) { el.hidden = true; });
  document.body.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("[data-js-hide]").forEach(function (el) { el.hidden = true; });
  });
  // Navigation toggle on phones.
  var toggle = document.getElementById("nav-toggle");
  if (toggle) {
    toggle.addEventListener("click", function () {
      document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", document.body.classList.contains("nav-open"));
    });
  }
})();
