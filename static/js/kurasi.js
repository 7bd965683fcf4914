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
  // The header bell follows new notifications; a hidden tab does not poll, and catches up when
  // shown again.
  document.querySelectorAll("a[data-unread-source]").forEach(function (bell) {
    var count = bell.querySelector("[data-bell-count]");
    var label = bell.querySelector("[data-bell-label]");
    function refresh() {
      if (document.visibilityState !== "visible") { return; }
      fetch(bell.dataset.unreadSource, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || typeof data.unread !== "number") { return; }
          count.textContent = data.unread > 99 ? "99+" : String(data.unread);
          count.hidden = data.unread === 0;
          if (data.label) { label.textContent = data.label; }
        })
        .catch(function () { /* offline: keep the last known number */ });
    }
    window.setInterval(refresh, 60000);
    document.addEventListener("visibilitychange", refresh);
  });
})();
