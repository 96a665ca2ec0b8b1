/* The counter's rating tablet. Idle or showing a form: ask the server every
   data-poll-seconds which transaction is open, and reload when it changed (a new
   transaction appears; a finished or expired one goes away). Thanks or message screen: go
   back to the idle screen after data-reset-seconds. Written for old tablet browsers (ES5). */
(function () {
  "use strict";
  var root = document.querySelector("[data-tablet]");
  if (!root) { return; }
  var home = root.getAttribute("data-home-url");
  var reset = parseInt(root.getAttribute("data-reset-seconds") || "0", 10);
  if (reset > 0) {
    window.setTimeout(function () { window.location.replace(home); }, reset * 1000);
    return;
  }
  var poll = Math.max(parseInt(root.getAttribute("data-poll-seconds") || "3", 10), 1) * 1000;
  var shown = root.getAttribute("data-session") || "";
  var sending = false;
  var form = root.querySelector("form");
  if (form) { form.addEventListener("submit", function () { sending = true; }); }

  function schedule() { window.setTimeout(check, poll); }
  function check() {
    if (sending) { return; }
    var request = new XMLHttpRequest();
    request.open("GET", root.getAttribute("data-status-url"), true);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      var now = null;
      try { now = JSON.parse(request.responseText); } catch (e) { now = null; }
      if (request.status === 200 && now && String(now.session || "") !== shown && !sending) {
        window.location.replace(home);
        return;
      }
      schedule();
    };
    request.onerror = schedule;
    request.send();
  }
  schedule();
})();
