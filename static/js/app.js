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
  // Print buttons: <button data-print> (the CSP forbids inline handlers).
  document.addEventListener("click", function (e) {
    var el = e.target.closest && e.target.closest("[data-print]");
    if (el) { e.preventDefault(); window.print(); }
  });
  // Drafts that survive a dropped connection: <form data-draft="key" data-draft-sign="a|b">
  // keeps what is typed in localStorage; the draft is dropped once the page lists an entry whose
  // data-sign equals the draft's signature (it was saved), and restored into empty fields
  // otherwise.
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = "draft:" + form.getAttribute("data-draft");
    var signFields = (form.getAttribute("data-draft-sign") || "").split("|");
    var store;
    try { store = window.localStorage; } catch (err) { return; }
    if (!store) { return; }
    var fields = function () {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "_csrf" && el.type !== "submit" && el.type !== "hidden";
      });
    };
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (err) { saved = null; }
    if (saved) {
      var sign = signFields.map(function (f) { return saved[f] || ""; }).join("|");
      var done = Array.prototype.some.call(document.querySelectorAll("[data-sign]"), function (el) {
        return el.getAttribute("data-sign") === sign;
      });
      if (done) {
        store.removeItem(key);
      } else if (!form.querySelector(".error")) {
        var restored = false;
        fields().forEach(function (el) {
          if (!(el.name in saved)) { return; }
          if (el.type === "checkbox" || el.type === "radio") {
            var on = [].concat(saved[el.name]).indexOf(el.value) >= 0;
            if (on !== el.checked) { el.checked = on; restored = true; }
          } else if (el.value !== saved[el.name] && saved[el.name] !== "") {
            if (el.tagName === "SELECT" || el.value === "" || el.defaultValue === el.value) {
              el.value = saved[el.name]; restored = true;
            }
          }
        });
        if (restored) {
          var note = document.createElement("p");
          note.className = "small muted";
          note.setAttribute("role", "status");
          note.textContent = "Восстановлен несохранённый черновик.";
          form.insertBefore(note, form.firstChild.nextSibling);
        }
      }
    }
    form.addEventListener("input", function () {
      var data = {};
      fields().forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked) { data[el.name] = [].concat(data[el.name] || [], el.value); }
        } else { data[el.name] = el.value; }
      });
      try { store.setItem(key, JSON.stringify(data)); } catch (err) { /* full or private mode */ }
    });
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
