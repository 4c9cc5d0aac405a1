/* Quiz taking: every answer is sent to the server as it is given, with a sequence number
 * from the server-corrected clock so a late older save never overwrites a newer one.
 * Failed saves are retried until they land; the timer counts down to the server's deadline. */
(function () {
  "use strict";
  var cfgEl = document.getElementById("qz-config");
  var form = document.getElementById("qz-form");
  if (!cfgEl || !form) return;
  var cfg = JSON.parse(cfgEl.textContent);
  var t = cfg.i18n;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var offset = cfg.serverNow - Date.now();
  var lastSeq = 0;
  Object.keys(cfg.seqs).forEach(function (k) { lastSeq = Math.max(lastSeq, cfg.seqs[k]); });
  var pending = {};   // position -> {answer, seq}
  var inFlight = {};  // position -> true
  var answered = {};
  var total = document.querySelectorAll(".qz-nav__item").length || document.querySelectorAll(".qz-q").length;
  var submitting = false;
  var leaving = false;
  var netBar = document.getElementById("qz-net");
  var KEEPALIVE_LIMIT = 20000;  // characters; up to 3 bytes each in UTF-8, under the 64 KB cap

  function nextSeq() {
    lastSeq = Math.max(Date.now() + offset, lastSeq + 1);
    return lastSeq;
  }
  function fieldset(pos) { return document.getElementById("q" + pos); }
  function setStatus(pos, text, cls) {
    var fs = fieldset(pos);
    if (!fs) return;
    var el = fs.querySelector(".qz-q__status");
    el.textContent = text;
    el.className = "qz-q__status" + (cls ? " " + cls : "");
  }
  function readAnswer(fs) {
    var type = fs.dataset.type;
    var pos = fs.dataset.position;
    if (type === "multiple") {
      return Array.prototype.map.call(fs.querySelectorAll("input[name=q" + pos + "]:checked"), function (i) { return i.value; });
    }
    if (type === "single" || type === "true_false") {
      var c = fs.querySelector("input[name=q" + pos + "]:checked");
      if (!c) return null;
      return type === "true_false" ? c.value === "true" : c.value;
    }
    return fs.querySelector("[name=q" + pos + "]").value;
  }
  function isAnswered(a) { return !(a === null || a === "" || (Array.isArray(a) && a.length === 0) || (typeof a === "string" && !a.trim())); }
  function updateProgress() {
    var n = 0;
    document.querySelectorAll(".qz-nav__item").forEach(function (el) {
      var pos = el.dataset.nav;
      if (pos in answered) el.classList.toggle("is-answered", answered[pos]);
      if (el.classList.contains("is-answered")) n++;
    });
    if (!document.querySelector(".qz-nav")) {
      document.querySelectorAll(".qz-q").forEach(function (fs) { if (isAnswered(readAnswer(fs))) n++; });
    }
    var p = document.getElementById("qz-progress");
    if (p) p.textContent = t.answered.replace("%(n)s", n).replace("%(t)s", total);
    return n;
  }
  function queue(fs) {
    var pos = fs.dataset.position;
    var answer = readAnswer(fs);
    answered[pos] = isAnswered(answer);
    pending[pos] = { answer: answer, seq: nextSeq() };
    setStatus(pos, t.saving, "is-saving");
    updateProgress();
    send(pos);
  }
  function send(pos) {
    if (inFlight[pos] || !pending[pos]) return;
    var item = pending[pos];
    inFlight[pos] = true;
    var body = JSON.stringify({ position: Number(pos), answer: item.answer, seq: item.seq });
    fetch(cfg.answerUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      // keepalive: a save still in flight when the trainee moves to another question (or
      // the timer submits) is finished by the browser instead of cancelled. Browsers cap
      // keepalive bodies at 64 KB; a longer essay goes as a plain request.
      keepalive: body.length < KEEPALIVE_LIMIT,
      body: body
    }).then(function (r) {
      return r.json().then(function (body) { return { status: r.status, body: body }; });
    }).then(function (res) {
      inFlight[pos] = false;
      netBar.hidden = true;
      if (res.body.ok) {
        if (res.body.serverNow) offset = res.body.serverNow - Date.now();
        if (pending[pos] === item) { delete pending[pos]; setStatus(pos, t.saved, "is-saved"); }
        else send(pos);
      } else if (res.status === 409) {
        delete pending[pos];
        window.location.reload();  // submitted elsewhere or time is up: the page shows the result
      } else {
        if (pending[pos] === item) delete pending[pos];
        setStatus(pos, t.rejected + ": " + res.body.message, "is-error");
      }
    }).catch(function () {
      inFlight[pos] = false;
      netBar.hidden = false;
      setStatus(pos, t.retry, "is-error");
      setTimeout(function () { send(pos); }, 3000);
    });
  }
  var timers = {};
  form.addEventListener("change", function (e) {
    var fs = e.target.closest(".qz-q");
    if (fs) queue(fs);
  });
  form.addEventListener("input", function (e) {
    var fs = e.target.closest(".qz-q");
    if (!fs || (fs.dataset.type !== "fill_in" && fs.dataset.type !== "essay")) return;
    var pos = fs.dataset.position;
    clearTimeout(timers[pos]);
    timers[pos] = setTimeout(function () { timers[pos] = null; queue(fs); }, 700);
  });
  window.addEventListener("online", function () { Object.keys(pending).forEach(send); });
  function typing() { return Object.keys(timers).some(function (pos) { return timers[pos]; }); }
  // Text typed in the last moment is sent now (keepalive carries it past the unload), and
  // still counts as unsaved for the warning: nothing has confirmed it yet.
  function queueTyped() {
    document.querySelectorAll(".qz-q").forEach(function (fs) {
      var pos = fs.dataset.position;
      if (timers[pos]) { clearTimeout(timers[pos]); timers[pos] = null; queue(fs); }
    });
  }
  window.addEventListener("beforeunload", function (e) {
    if (submitting || leaving) return;
    var unsaved = typing() || Object.keys(pending).length;
    queueTyped();
    if (unsaved) { e.preventDefault(); e.returnValue = ""; }
  });
  // Per-question layout: answers are already saved, so the buttons and the number links
  // just move, once what was typed on this page has landed.
  form.addEventListener("submit", function (e) {
    var btn = e.submitter;
    if (btn && btn.name === "next_q") {
      e.preventDefault();
      flushThen(function () { go("?q=" + btn.value); });
    } else if (btn && btn.name === "finish") {
      e.preventDefault();
      confirmAndSubmit();
    }
  });
  // Enter in a fill-in answer would press the form's first button (Submit, on one page):
  // answers save as they are typed, so Enter does nothing.
  form.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.matches("input[type=text]")) e.preventDefault();
  });
  document.querySelectorAll(".qz-nav__item").forEach(function (link) {
    link.addEventListener("click", function (e) {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;  // a new tab keeps this one
      e.preventDefault();
      flushThen(function () { go(link.getAttribute("href")); });
    });
  });
  function go(search) {
    leaving = true;  // everything is saved: no "leave page?" prompt for our own move
    window.location.search = search;
  }
  function flushThen(done, waited) {
    queueTyped();
    if (!Object.keys(pending).length) return done();
    if ((waited || 0) > 8000) { alert(t.waitSave); return; }
    setTimeout(function () { flushThen(done, (waited || 0) + 250); }, 250);
  }
  var submitForm = document.getElementById("qz-submit");
  function confirmAndSubmit() {
    if (submitting) return;
    var n = updateProgress();
    var msg = n < total ? t.confirmUnanswered.replace("%(n)s", total - n) : t.confirm;
    if (!window.confirm(msg)) return;
    flushThen(function () {
      submitting = true;
      document.getElementById("qz-submit-btn").disabled = true;
      submitForm.submit();
    });
  }
  // Timer: from the server's deadline and clock, never the phone's own idea of time.
  var timerEl = document.getElementById("qz-timer");
  if (timerEl && cfg.deadline) {
    var tick = function () {
      var left = Math.max(0, cfg.deadline - (Date.now() + offset));
      var s = Math.floor(left / 1000);
      var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
      timerEl.textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(sec).padStart(2, "0");
      timerEl.classList.toggle("is-low", s < 300);
      if (left <= 0 && !submitting) {
        submitting = true;
        timerEl.textContent = t.timeUp;
        var flag = document.createElement("input");
        flag.type = "hidden"; flag.name = "timeup"; flag.value = "1";
        submitForm.appendChild(flag);
        flushThen(function () { submitForm.submit(); });
        setTimeout(function () { submitForm.submit(); }, 5000);
        return;
      }
      setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    };
    tick();
  }
  updateProgress();
})();
