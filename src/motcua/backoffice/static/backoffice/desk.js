// Reception desk: show only the checklist of the chosen case, bring the error summary into
// view, and ignore a second submit while the first is on its way (the server also dedupes
// with the hidden idempotency key). Without JavaScript every case stays visible.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("desk-form");
    if (!form) { return; }
    var radios = form.querySelectorAll("input[name=case][type=radio]");
    function showCase() {
      var chosen = form.querySelector("input[name=case][type=radio]:checked");
      form.querySelectorAll(".case").forEach(function (box) {
        box.hidden = Boolean(chosen) && box.dataset.case !== chosen.value;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", showCase); });
    if (radios.length) { showCase(); }

    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }

    form.addEventListener("submit", function (event) {
      if (form.dataset.busy === "1") { event.preventDefault(); return; }
      form.dataset.busy = "1";
      window.setTimeout(function () { form.dataset.busy = ""; }, 8000);
    });
  });
})();
