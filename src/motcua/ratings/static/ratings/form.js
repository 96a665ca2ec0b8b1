/* The rating form's error summary: focused when the page opens, and each of its links moves
   the focus into the question it names (not only the scroll position). ES5 for old tablets. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    event.preventDefault();
    var field = target.querySelector("input:checked") || target.querySelector("input, textarea");
    target.scrollIntoView({block: "start"});
    (field || target).focus({preventScroll: true});
  });
})();
