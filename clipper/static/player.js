/* clipper player: progressive enhancement for the event pages.
 * Without this script the page still works: native video controls, captions, readable
 * transcript, deep links that scroll to the right video.  With it:
 *  - a time link in the transcript or chapter list seeks its video and plays it;
 *  - the cue being spoken is highlighted (aria-current + class) and kept in view;
 *  - ?t=SECONDS (optionally &v=SECTION-ID) or #t=SECONDS seeks on load (no autoplay).
 * No framework, no cookies, no storage, no requests of its own. */
(function () {
  "use strict";

  var FOLLOW_PAUSE_MS = 4000; // after the reader scrolls the transcript, do not yank it back

  function parseTime(value) {
    if (!value) return null;
    var m = /^(\d+(?:\.\d+)?)s?$/.exec(value);
    if (m) return parseFloat(m[1]);
    m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$/.exec(value);
    if (m && m[0]) return (+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + parseFloat(m[3] || 0);
    m = /^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(value);
    if (m) return (+(m[1] || 0)) * 3600 + (+m[2]) * 60 + parseFloat(m[3]);
    return null;
  }

  function videoIn(id) {
    var section = id ? document.getElementById(id) : null;
    return section ? section.querySelector("video") : null;
  }

  function seek(video, seconds, play) {
    if (video.readyState < 1) {
      video.addEventListener("loadedmetadata", function () {
        video.currentTime = seconds;
      }, { once: true });
    }
    try {
      video.currentTime = seconds; // before metadata this sets the default start position
    } catch (e) { /* some browsers refuse before metadata; the listener above seeks then */ }
    if (play) {
      var started = video.play();
      if (started && started.catch) started.catch(function () {});
    }
  }

  function onTimeLinkClick(event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return; // new tab
    var link = event.target.closest && event.target.closest("a[data-start]");
    if (!link) return;
    // Chapter links name their video's section; transcript links belong to their own.
    var id = link.getAttribute("data-video");
    var section = id ? document.getElementById(id) : link.closest("section.video");
    var video = section ? section.querySelector("video") : null;
    var seconds = parseFloat(link.getAttribute("data-start"));
    if (!video || isNaN(seconds)) return;
    event.preventDefault();
    if (!section.contains(link)) {
      section.scrollIntoView({ block: "start" });
      video.focus({ preventScroll: true });
    }
    seek(video, seconds, true);
  }

  function followTranscript(section) {
    var video = section.querySelector("video");
    var box = section.querySelector(".transcript .cues");
    if (!video || !box) return;
    var items = box.querySelectorAll("li[data-start]");
    var cues = [];
    for (var i = 0; i < items.length; i++) {
      cues.push({
        el: items[i],
        start: parseFloat(items[i].getAttribute("data-start")),
        end: parseFloat(items[i].getAttribute("data-end"))
      });
    }
    var current = null;
    var readerActiveUntil = 0;
    function readerActive() {
      readerActiveUntil = Date.now() + FOLLOW_PAUSE_MS;
    }
    ["wheel", "touchmove", "keydown", "mousedown"].forEach(function (type) {
      box.addEventListener(type, readerActive, { passive: true });
    });

    function keepVisible(el) {
      if (Date.now() < readerActiveUntil) return;
      var top = el.offsetTop;
      var bottom = top + el.offsetHeight;
      if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) {
        box.scrollTop = Math.max(0, top - box.clientHeight / 3);
      }
    }

    function update() {
      var t = video.currentTime;
      var found = null;
      for (var i = 0; i < cues.length && cues[i].start <= t; i++) {
        if (t < cues[i].end) found = cues[i];
      }
      if (found === current) return;
      if (current) {
        current.el.classList.remove("is-current");
        current.el.removeAttribute("aria-current");
      }
      current = found;
      if (found) {
        found.el.classList.add("is-current");
        found.el.setAttribute("aria-current", "true");
        keepVisible(found.el);
      }
    }
    video.addEventListener("timeupdate", update);
    video.addEventListener("seeked", update);
  }

  function seekFromUrl() {
    var query = new URLSearchParams(window.location.search);
    var hash = new URLSearchParams(window.location.hash.slice(1));
    var t = parseTime(query.get("t"));
    var id = query.get("v");
    if (t === null) {
      t = parseTime(hash.get("t"));
      id = hash.get("v") || id;
    }
    if (t === null) return;
    var video = videoIn(id) || document.querySelector("video");
    if (video) seek(video, t, false);
  }

  var sections = document.querySelectorAll("section.video");
  for (var i = 0; i < sections.length; i++) followTranscript(sections[i]);
  document.addEventListener("click", onTimeLinkClick);
  seekFromUrl();
})();
