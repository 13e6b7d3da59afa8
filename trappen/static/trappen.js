/* Trappen: start Det Fælles Designsystem's components. No inline scripts (Content-Security-Policy). */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});

// htmx swaps in new markup (e.g. the inbox table): start the components inside it too.
document.addEventListener("htmx:afterSwap", function (event) {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init({ scope: event.detail.target });
  }
});
