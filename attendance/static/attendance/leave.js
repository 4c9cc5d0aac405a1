// The leave form: as sessions are ticked, say what share of the class's credit hours the
// trainee would then be on leave for, and warn before sending when it passes the cap.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("leave-preview").textContent);
  var box = document.getElementById("leave-share");
  var text = box.querySelector(".leave-share__text");
  var warn = box.querySelector(".leave-share__warn");
  var form = box.closest("form");

  function update() {
    var hours = parseFloat(data.asked) || 0;
    form.querySelectorAll('input[name="sessions"]:checked').forEach(function (input) {
      hours += parseFloat(data.sessions[input.value] || "0");
    });
    var total = parseFloat(data.classHours) || 0;
    var share = total ? hours / total : 0;
    var over = total > 0 && hours * data.capDenominator > total * data.capNumerator;
    text.textContent = box.dataset.text
      .replace("{hours}", String(Math.round(hours * 10) / 10))
      .replace("{total}", String(Math.round(total * 10) / 10))
      .replace("{share}", (share * 100).toFixed(1) + "%");
    warn.hidden = !over;
    box.classList.toggle("leave-share--over", over);
  }

  form.addEventListener("change", update);
  update();
})();
