/* Trappen: start Det Fælles Designsystem's components. No inline scripts (Content-Security-Policy). */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});

// htmx adds new markup (e.g. the inbox table): start the components inside it too. The page
// itself (htmx's first "load", on body) was started on DOMContentLoaded above.
document.addEventListener("htmx:load", function (event) {
  var added = event.detail.elt;
  if (added !== document.body && window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init({ scope: added });
  }
});
