// lendguide serve: reloads this page when the site is rebuilt.
// Injected by the dev server only; never part of the built site.
(function () {
  "use strict";
  var me = document.currentScript;
  var generation = (me && me.getAttribute("data-generation")) || "";
  var events = new EventSource(
    "/__lendguide/events?generation=" + encodeURIComponent(generation)
  );
  events.addEventListener("reload", function () {
    events.close();
    window.location.reload();
  });
})();
