// Grading forms: the level (优秀/良好/合格/不合格) follows the score by the rubric's
// thresholds, shown as the score is typed. The server decides; this only shows it.
// Without a score the grader picks the level; "set another level" frees the choice
// and asks for the reason.
(function () {
  "use strict";
  var form = document.querySelector("form[data-grade-level]");
  if (!form) return;
  var score = form.querySelector("[name=score]");
  var override = form.querySelector("[name=override]");
  var reason = form.querySelector("[name=override_reason]");
  var radios = Array.prototype.slice.call(form.querySelectorAll("[name=grade]"));
  var note = form.querySelector("[data-grade-level-note]");
  var full = parseFloat(form.dataset.full);
  var steps = [
    ["excellent", parseFloat(form.dataset.excellent)],
    ["good", parseFloat(form.dataset.good)],
    ["pass", parseFloat(form.dataset.pass)],
  ];

  function levelOf(value) {
    // As the server compares: score × 100 ≥ threshold × full marks, no rounding.
    for (var i = 0; i < steps.length; i++) {
      if (value * 100 >= steps[i][1] * full - 1e-9) return steps[i][0];
    }
    return "fail";
  }

  function labelOf(level) {
    var radio = radios.filter(function (r) { return r.value === level; })[0];
    var label = radio && radio.closest("label");
    return label ? label.textContent.trim() : level;
  }

  function row(el) {
    return el && (el.closest("p") || el.parentNode);
  }

  function update() {
    var raw = score ? score.value.trim() : "";
    var value = raw === "" ? NaN : parseFloat(raw);
    var hasScore = !isNaN(value) && value >= 0 && value <= full;
    var free = !hasScore || (override && override.checked);
    if (hasScore) {
      var level = levelOf(value);
      var rate = Math.round((value / full) * 1000) / 10;
      note.textContent = form.dataset.note.replace("RATE", rate).replace("LEVEL", labelOf(level));
      if (!(override && override.checked)) {
        radios.forEach(function (r) { r.checked = r.value === level; });
      }
    } else {
      note.textContent = "";
    }
    radios.forEach(function (r) { r.disabled = !free; });
    if (override) row(override).hidden = !hasScore;
    if (reason) row(reason).hidden = !(hasScore && override && override.checked);
  }

  // Disabled radios are not sent: enable them on submit so the form says what it shows.
  form.addEventListener("submit", function () {
    radios.forEach(function (r) { r.disabled = false; });
  });
  if (score) score.addEventListener("input", update);
  if (override) override.addEventListener("change", update);
  update();
})();
