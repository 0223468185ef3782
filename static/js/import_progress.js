// The progress card of a member import polls its fragment every second until the job
// ends (templates/members/import_progress.html). A poll that fails (an error answer, no
// answer, a timeout) must not end the polling: htmx swaps nothing and polls again on the
// next tick, and this script
// - keeps the error away from django-htmx's debug handler, which in DEBUG replaces the
//   whole page with Django's error page (and so ended the polling for good), and
// - tells the user that the page is trying again, until a poll answers.
(function () {
  "use strict";
  const POLLER = "[data-poll-retry]";

  function poller(event) {
    const target = event.target;
    return target instanceof Element ? target.closest(POLLER) : null;
  }

  function showRetrying(event) {
    const card = poller(event);
    const notice = card && card.querySelector("[data-testid='poll-retrying']");
    if (notice) {
      notice.hidden = false;
    }
  }

  // On <body>, before the event reaches django-htmx's listener on the document.
  document.body.addEventListener("htmx:beforeOnLoad", function (event) {
    if (poller(event) && event.detail.xhr.status >= 400) {
      event.stopPropagation();
      showRetrying(event);
    }
  });
  document.body.addEventListener("htmx:sendError", showRetrying);
  document.body.addEventListener("htmx:timeout", showRetrying);
})();
