// Manual entry: the exercises table shows for gym sessions only, and grows a row at a time.
(function () {
  "use strict";
  var sport = document.getElementById("id_sport");
  var section = document.getElementById("sets-section");
  var body = document.getElementById("sets-body");
  var template = document.getElementById("set-template");
  var add = document.getElementById("add-set");
  var total = document.getElementById("id_ex-TOTAL_FORMS");
  var maxForms = document.getElementById("id_ex-MAX_NUM_FORMS");
  if (!sport || !section || !body || !template || !total) return;

  var distanceRow = document.querySelector(".distance-row");
  function sync() {
    section.hidden = sport.value !== "gym";
    if (distanceRow) distanceRow.hidden = sport.value === "gym";
  }
  sport.addEventListener("change", sync);
  sync();

  add.hidden = false;
  add.addEventListener("click", function () {
    var n = parseInt(total.value, 10);
    if (maxForms && n >= parseInt(maxForms.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(n));
    var holder = document.createElement("tbody");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    body.appendChild(row);
    total.value = String(n + 1);
    var first = row.querySelector("input");
    if (first) first.focus();
  });
})();
