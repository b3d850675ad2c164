// Show the voice-guideline checklist only while "Public" is chosen as the visibility.
// Without this script the checklist is always shown, with a help text saying when it counts.
(function () {
  "use strict";
  function setUp(check) {
    if (check.dataset.ready) return;
    check.dataset.ready = "1";
    var form = check.closest("form");
    var choice = form && form.querySelector("[name=visibility]");
    if (!choice) return;
    var box = check.closest(".field") || check;
    function update() {
      box.hidden = choice.value !== "public";
    }
    choice.addEventListener("change", update);
    update();
  }
  function all() {
    document.querySelectorAll("[data-guideline-check]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", all);
  } else {
    all();
  }
  document.addEventListener("htmx:afterSettle", all);
})();
