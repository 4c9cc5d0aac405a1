/* Study clock for a lesson page.
 *
 * Sends a heartbeat every few seconds while the page is visible and the reader has been
 * active recently. A heartbeat carries only the page view's token and a sequence number:
 * the server measures the time between beats itself and never trusts a duration from here.
 * After a few idle minutes the beats stop and a "还在学习吗?" prompt asks to continue.
 *
 * Offline reading earns nothing: a copy the service worker kept has its token blanked, so
 * no clock runs on it; while the phone is offline no beat is sent (none is queued for
 * later), and the first beat after the network returns is marked `resumed`, so the server
 * restarts the clock instead of crediting the gap.
 */
(function () {
  "use strict";
  var meter = document.getElementById("study-meter");
  if (!meter) return;

  var strings = JSON.parse(document.getElementById("study-strings").textContent);
  var token = meter.dataset.token;
  if (!token) {
    document.getElementById("study-status").textContent = strings.offline;
    return;
  }
  var url = meter.dataset.url;
  var interval = parseInt(meter.dataset.interval, 10) * 1000;
  var idleLimit = parseInt(meter.dataset.idle, 10) * 1000;
  var required = parseInt(meter.dataset.required, 10);
  var studied = parseInt(meter.dataset.studied, 10) || 0;
  var bar = document.getElementById("study-bar");
  var timeText = document.getElementById("study-time");
  var statusText = document.getElementById("study-status");
  var prompt = document.getElementById("idle-prompt");
  var continueButton = document.getElementById("idle-continue");

  var seq = 0;
  var lastActivity = Date.now();
  var idle = false;
  var resumed = false; // the next beat follows a pause: the server credits nothing for it
  var stopped = false;
  var inFlight = false; // one beat at a time: on a slow line they would queue and arrive late
  var timer = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function render() {
    var pct = required > 0 ? Math.min(100, Math.round((100 * studied) / required)) : 100;
    bar.style.width = pct + "%";
    var minutes = Math.floor(studied / 60);
    var seconds = studied % 60;
    timeText.textContent = strings.studied
      .replace("%(minutes)s", String(minutes))
      .replace("%(seconds)s", String(seconds));
  }

  function markActive() {
    lastActivity = Date.now();
  }

  function showPrompt() {
    idle = true;
    resumed = true;
    prompt.hidden = false;
    continueButton.focus();
  }

  function hidePrompt() {
    idle = false;
    prompt.hidden = true;
    markActive();
  }

  function beat() {
    if (stopped || idle || inFlight || document.visibilityState !== "visible") return;
    if (navigator.onLine === false) {
      resumed = true;
      return;
    }
    if (Date.now() - lastActivity > idleLimit) {
      showPrompt();
      return;
    }
    seq += 1;
    var body = new URLSearchParams({ token: token, seq: String(seq) });
    if (resumed) body.append("resumed", "1");
    resumed = false;
    inFlight = true;
    var controller = window.AbortController ? new AbortController() : null;
    var abort = controller && window.setTimeout(function () { controller.abort(); }, 20000);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      body: body,
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      })
      .then(function (result) {
        var data = result.data;
        if (result.status === 403) {
          stopped = true;
          statusText.textContent = data.message || strings.expired;
          return;
        }
        if (!data.ok) return;
        if (data.credited > 0) {
          studied = data.lesson_seconds;
          render();
        }
        if (data.lesson_complete) statusText.textContent = strings.completed;
        if (data.course_complete) statusText.textContent = strings.course_completed;
      })
      .catch(function () {
        /* Offline for a moment: nothing is retried, and the next beat that gets through
           restarts the clock without credit for the time the network was away. */
        resumed = true;
      })
      .then(function () {
        inFlight = false;
        if (abort) window.clearTimeout(abort);
      });
  }

  // "lms:activity": a playing video lecture (lectures/player.js) keeps the reader active.
  ["pointerdown", "keydown", "scroll", "touchstart", "wheel", "mousemove", "lms:activity"].forEach(function (name) {
    window.addEventListener(name, markActive, { passive: true });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") markActive();
    else resumed = true;
  });
  continueButton.addEventListener("click", hidePrompt);
  window.addEventListener("offline", function () { resumed = true; });

  render();
  timer = window.setInterval(beat, interval);
  window.addEventListener("pagehide", function () {
    window.clearInterval(timer);
  });
})();
