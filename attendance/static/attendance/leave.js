// The leave form: as sessions are ticked, say what share of the class's credit hours the
// trainee would then be on leave for, and warn before sending when it passes the cap.
// Official-duty leave (公假) adds nothing to the share when the class excuses it.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("leave-preview").textContent);
  var box = document.getElementById("leave-share");
  var text = box.querySelector(".leave-share__text");
  var warn = box.querySelector(".leave-share__warn");
  var form = box.closest("form");

  function kind() {
    var checked = form.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : "";
  }

  function update() {
    var excused = data.officialExcused && kind() === "official";
    var hours = parseFloat(data.asked) || 0;
    if (!excused) {
      form.querySelectorAll('input[name="sessions"]:checked').forEach(function (input) {
        hours += parseFloat(data.sessions[input.value] || "0");
      });
    }
    var total = parseFloat(data.classHours) || 0;
    var share = total ? hours / total : 0;
    var over = total > 0 && hours * data.capDenominator > total * data.capNumerator;
    text.textContent = (excused ? box.dataset.official : box.dataset.text)
      .replace("{hours}", String(Math.round(hours * 10) / 10))
      .replace("{total}", String(Math.round(total * 10) / 10))
      .replace("{share}", (share * 100).toFixed(1) + "%");
    warn.hidden = !over;
    box.classList.toggle("leave-share--over", over);
    box.dataset.excused = excused ? "yes" : "no";
  }

  form.addEventListener("change", update);
  update();
})();
