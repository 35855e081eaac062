/* The 优秀 cap, live: counts the grade selects set to 优秀 and flags the count above excellent_max. */
(function () {
  "use strict";
  function update() {
    var cap = document.getElementById("cap");
    if (!cap) return;
    var max = cap.getAttribute("data-max");
    var selects = document.querySelectorAll("select.grade-select");
    var n = 0;
    for (var i = 0; i < selects.length; i++) if (selects[i].value === "优秀") n++;
    var fixed = parseInt(cap.getAttribute("data-fixed") || "0", 10);
    document.getElementById("excellent-count").textContent = String(n + fixed);
    var warning = document.getElementById("cap-warning");
    if (warning) warning.hidden = !(max !== "" && n + fixed > parseInt(max, 10));
  }
  document.addEventListener("DOMContentLoaded", function () {
    var selects = document.querySelectorAll("select.grade-select");
    for (var i = 0; i < selects.length; i++) selects[i].addEventListener("change", update);
    update();
  });
})();
