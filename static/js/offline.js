/* Weak networks: register the service worker (see /sw.js) and say when the phone is offline
 * or the page is a kept copy. Signed out, the kept pages are deleted. */
(function () {
  "use strict";
  var root = document.documentElement;
  var banner = document.getElementById("offline-banner");
  var signedIn = document.body.hasAttribute("data-signed-in");

  function show() {
    var offlineCopy = root.hasAttribute("data-offline-copy");
    if (banner) banner.hidden = navigator.onLine && !offlineCopy;
  }

  if (!signedIn) {
    if (window.caches) {
      caches.keys().then(function (names) {
        names.forEach(function (name) {
          if (name.indexOf("lms-pages-") === 0) caches.delete(name);
        });
      });
    }
    return;
  }
  if ("serviceWorker" in navigator && banner) {
    navigator.serviceWorker.register(banner.dataset.sw, { scope: "/" }).catch(function () {});
  }
  window.addEventListener("online", show);
  window.addEventListener("offline", show);
  show();
})();
