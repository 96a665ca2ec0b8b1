// Postal channel: show the handover fields only while the postal channel (reception desk) or
// a return by post (dossier page) is chosen. Without JavaScript they stay visible; the
// server asks for them only in those cases.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-postal-when]").forEach(function (box) {
      var rule = box.dataset.postalWhen.split("=");
      var form = box.closest("form");
      if (!form || rule.length !== 2) { return; }
      var inputs = Array.prototype.slice.call(form.elements).filter(function (el) {
        return el.name === rule[0];
      });
      function update() {
        var chosen = inputs.filter(function (el) { return el.type !== "radio" || el.checked; })[0];
        box.hidden = !chosen || chosen.value !== rule[1];
      }
      inputs.forEach(function (el) { el.addEventListener("change", update); });
      update();
    });
  });
})();
