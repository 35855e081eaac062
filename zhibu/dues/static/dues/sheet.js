/* 月度收缴表: says before saving how many entries will be written (the rows with an amount typed)
   and how many receipt numbers for rows already paid. No inline script: the CSP forbids it. */
(function () {
  "use strict";
  function update() {
    var form = document.getElementById("month-sheet");
    var out = document.getElementById("sheet-count");
    if (!form || !out) { return; }
    var amounts = 0, receipts = 0;
    form.querySelectorAll("input[name^=amount_]").forEach(function (input) {
      if (input.value.trim() !== "" && Number(input.value) !== 0) { amounts += 1; }
    });
    form.querySelectorAll("input[data-receipt-only]").forEach(function (input) {
      if (input.value.trim() !== "") { receipts += 1; }
    });
    out.textContent = "将登记 " + amounts + " 条交纳记录" + (receipts ? "，补记收据号 " + receipts + " 条" : "");
  }
  document.addEventListener("input", update);
  document.addEventListener("DOMContentLoaded", update);
})();
