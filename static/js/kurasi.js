// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // A second tap on a slow phone connection must not send the form twice.
  document.querySelectorAll("form[data-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-busy", "true"); });
    });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  // A button that needs confirmation of its own (e.g. "Submit scores" beside "Save draft").
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
    });
  });
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // The regency list follows the chosen province.
  document.querySelectorAll("[data-regency-source]").forEach(function (box) {
    var province = box.querySelector("select[name$=province]");
    var regency = box.querySelector("select[name$=regency]");
    if (!province || !regency) { return; }
    province.addEventListener("change", function () {
      var url = box.dataset.regencySource + "?province=" + encodeURIComponent(province.value);
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.text(); })
        .then(function (html) { regency.innerHTML = html; });
    });
  });
})();
