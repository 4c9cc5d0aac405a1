/* Video lecture player: HLS (native where the browser has it, hls.js elsewhere), resume,
 * a speed cap, and watch-time heartbeats.
 *
 * Heartbeats report the segment played since the previous one ([start, position]); the
 * server credits it only as far as its own clock allows at the capped speed, refuses a
 * skip ahead of what was watched (the answer names where to go back to), and credits only
 * the tab that opened the video last. A hidden tab pauses the video: nothing is earned.
 */
(function () {
  "use strict";
  if (window.lmsLecturePlayers) return;
  window.lmsLecturePlayers = true;

  var strings = {};
  var stringsNode = document.getElementById("lecture-strings");
  if (stringsNode) strings = JSON.parse(stringsNode.textContent);

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function post(url, fields) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
      body: new URLSearchParams(fields),
    }).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function slowLink() {
    var c = navigator.connection;
    return !!(c && (c.saveData || /(^|-)2g|3g/.test(c.effectiveType || "")));
  }

  function attachSource(video) {
    var master = video.dataset.master;
    var slow = slowLink();
    if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = slow ? video.dataset.lowest : master;
      return;
    }
    if (window.Hls && window.Hls.isSupported()) {
      // The lowest bitrate first on a slow link; elsewhere hls.js measures and climbs.
      var hls = new window.Hls({ startLevel: slow ? 0 : -1, capLevelToPlayerSize: true });
      hls.loadSource(master);
      hls.attachMedia(video);
      video.lmsHls = hls;
      return;
    }
    video.src = video.dataset.lowest;
  }

  function setup(video) {
    var figure = video.closest(".lecture");
    var bar = figure.querySelector("[data-lecture-bar]");
    var watchedText = figure.querySelector("[data-lecture-watched]");
    var message = figure.querySelector("[data-lecture-message]");
    var speed = figure.querySelector("[data-lecture-speed]");
    var maxRate = parseFloat(video.dataset.maxRate) || 2;
    var tracked = !!video.dataset.policy;

    var token = null;
    var lectureId = null;
    var segStart = 0; // where the segment being played began
    var lastPos = 0; // the position at the last timeupdate before a seek
    var beforeSeek = null;
    var correctingTo = null; // where our own seek goes (the resume, or back after a refusal)
    var stopped = false;
    var queue = Promise.resolve();
    var lastActivity = 0;

    function say(text) {
      if (message) message.textContent = text || "";
    }

    function showPercent(percent) {
      if (bar) bar.style.width = Math.min(100, percent) + "%";
      if (watchedText && strings.watched) {
        watchedText.textContent = strings.watched.replace("%(percent)s", String(percent)).replace("%%", "%");
      }
    }

    speed.addEventListener("change", function () {
      video.playbackRate = Math.min(maxRate, parseFloat(speed.value) || 1);
    });
    video.addEventListener("ratechange", function () {
      if (video.playbackRate > maxRate) video.playbackRate = maxRate;
    });

    attachSource(video);
    if (!tracked) return;

    function open() {
      return post(video.dataset.startUrl, { policy: video.dataset.policy }).then(function (result) {
        if (!result.data.ok) {
          stopped = true;
          say(result.data.message || strings.expired);
          return;
        }
        token = result.data.token;
        lectureId = result.data.lecture;
        stopped = false;
        showPercent(result.data.percent);
        return result.data;
      });
    }

    function beat(start, position, playing) {
      if (!token || stopped) return;
      var fields = {
        lecture: String(lectureId),
        token: token,
        start: start.toFixed(2),
        position: position.toFixed(2),
        playing: playing ? "1" : "0",
      };
      queue = queue.then(function () {
        return post(video.dataset.beatUrl, fields)
          .then(function (result) {
            var data = result.data;
            if (result.status === 409 && data.code === "watch_superseded") {
              stopped = true;
              video.pause();
              say(data.message || strings.superseded);
              return;
            }
            if (result.status === 403) {
              stopped = true;
              video.pause();
              say(data.message || strings.expired);
              return;
            }
            if (!data.ok) return;
            showPercent(data.percent);
            if (data.refused && data.allowed_position !== null) {
              say(strings.refused);
              correctingTo = segStart = lastPos = data.allowed_position;
              video.currentTime = data.allowed_position;
            }
          })
          .catch(function () {
            /* Offline for a moment: the next beat starts a new segment. */
          });
      });
    }

    var ready = open().then(function (data) {
      if (!data) return;
      var resume = function () {
        if (data.position > 1) {
          correctingTo = segStart = lastPos = data.position;
          video.currentTime = data.position;
          say(strings.resumed);
        }
      };
      if (video.readyState >= 1) resume();
      else video.addEventListener("loadedmetadata", resume, { once: true });
    });

    video.addEventListener("play", function () {
      if (stopped) {
        // Superseded by another tab: pressing play here takes the video back.
        video.pause();
        ready = open().then(function (data) {
          if (data) video.play();
        });
        return;
      }
      ready.then(function () {
        segStart = lastPos = video.currentTime;
        beat(segStart, segStart, true);
      });
    });
    video.addEventListener("pause", function () {
      var now = video.currentTime;
      beat(segStart, video.seeking ? lastPos : now, false);
      segStart = lastPos = now;
    });
    video.addEventListener("timeupdate", function () {
      if (video.seeking) return;
      lastPos = video.currentTime;
      if (!video.paused && Date.now() - lastActivity > 5000) {
        lastActivity = Date.now();
        window.dispatchEvent(new Event("lms:activity"));
      }
    });
    video.addEventListener("seeking", function () {
      if (beforeSeek === null) beforeSeek = lastPos;
    });
    video.addEventListener("seeked", function () {
      var target = video.currentTime;
      var from = beforeSeek === null ? lastPos : beforeSeek;
      beforeSeek = null;
      if (correctingTo !== null) {
        var ours = correctingTo;
        correctingTo = null;
        if (Math.abs(target - ours) < 0.5) {
          segStart = lastPos = target;
          return;
        }
        // The viewer moved the playhead while our seek was on its way (a slow network
        // still loading the resume point): theirs counts from where ours was going.
        from = segStart = ours;
      }
      if (!video.paused) beat(segStart, from, true);
      // The new position, reported at once: a skip ahead is refused now, not 15 s later.
      beat(target, target, !video.paused);
      segStart = lastPos = target;
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "visible" && !video.paused) video.pause();
    });
    var interval = (parseInt(video.dataset.interval, 10) || 15) * 1000;
    var timer = window.setInterval(function () {
      if (video.paused || video.seeking || stopped) return;
      var now = video.currentTime;
      beat(segStart, now, true);
      segStart = now;
    }, interval);
    window.addEventListener("pagehide", function () {
      window.clearInterval(timer);
      if (!video.paused) beat(segStart, video.currentTime, false);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("video[data-lecture-player]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
