// Polls the certificate batch while it runs and moves the bar; reloads once it finishes.
(function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box || box.dataset.status === "finished") return;
  var bar = box.querySelector(".cert-progress__bar");
  var meter = box.querySelector("[role=progressbar]");
  function set(name, value) {
    var el = box.querySelector('[data-field="' + name + '"]');
    if (el) el.textContent = value;
  }
  function poll() {
    fetch(box.dataset.progressUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        bar.style.width = data.percent + "%";
        meter.setAttribute("aria-valuenow", data.percent);
        set("done", data.done); set("total", data.total); set("failed", data.failed);
        if (data.status === "finished") { window.location.reload(); } else { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
