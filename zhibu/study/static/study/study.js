// 心得: a live character count under the text (whitespace not counted, as rules.char_count).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("textarea[data-count=chars]").forEach(function (area) {
    var out = document.createElement("div");
    out.className = "muted char-count";
    area.insertAdjacentElement("afterend", out);
    var update = function () { out.textContent = "已写 " + area.value.replace(/\s/g, "").length + " 字"; };
    area.addEventListener("input", update);
    update();
  });
});
