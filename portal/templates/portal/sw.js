/* Service worker: lesson text and case pages a trainee has opened stay readable offline.
 *
 * Network first: a page is always fetched fresh when the network answers, and the copy
 * kept is the last one fetched. Only when the network fails is the kept copy served.
 * Kept copies carry no study token (it is blanked before storing), so a page read from
 * the cache can never send a heartbeat: offline reading earns no study time.
 * Signing out (POST to the logout URL) empties the cache: the next person on the phone
 * does not read the last one's pages.
 */
"use strict";

var CACHE = "lms-pages-{{ version }}";
var PAGE_PREFIXES = {{ page_prefixes|safe }};
var STATIC_PREFIX = "{{ static_prefix }}";
var LOGOUT_PATH = "{{ logout_path }}";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) { return name.indexOf("lms-pages-") === 0 && name !== CACHE; })
          .map(function (name) { return caches.delete(name); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

function isReadingPage(url, request) {
  if (request.mode !== "navigate") return false;
  return PAGE_PREFIXES.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; });
}

function offlineCopy(response) {
  // Blank the study token and mark the copy, so the page knows it is read offline.
  return response.text().then(function (html) {
    html = html
      .replace(/data-token="[^"]*"/g, 'data-token=""')
      .replace(/<html\b/, "<html data-offline-copy");
    return new Response(html, {
      status: 200,
      headers: { "Content-Type": response.headers.get("Content-Type") || "text/html" },
    });
  });
}

function networkFirst(request, keep) {
  return fetch(request)
    .then(function (response) {
      var ok = response.ok && response.type === "basic" && !response.redirected;
      if (ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          return keep(copy).then(function (stored) { return cache.put(request.url, stored); });
        });
      }
      return response;
    })
    .catch(function () {
      return caches.match(request.url).then(function (cached) {
        if (cached) return cached;
        throw new Error("offline and not kept");
      });
    });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT_PATH) {
    event.respondWith(caches.delete(CACHE).then(function () { return fetch(request); }));
    return;
  }
  if (request.method !== "GET") return; // heartbeats and forms always go to the server
  if (isReadingPage(url, request)) {
    event.respondWith(networkFirst(request, offlineCopy));
  } else if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(networkFirst(request, function (r) { return Promise.resolve(r); }));
  }
});
