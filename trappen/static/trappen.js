/* Trappen: start Det Fælles Designsystem's components. No inline scripts (Content-Security-Policy). */
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS && typeof window.DKFDS.init === "function") {
    window.DKFDS.init();
  }
});
