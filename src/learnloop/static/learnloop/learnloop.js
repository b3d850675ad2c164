// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", open ? "false" : "true");
        nav.classList.toggle("open", !open);
      });
    }
    // Buttons that ask before they act: <button data-confirm="Are you sure?">
    document.body.addEventListener("click", function (event) {
      var el = event.target.closest("[data-confirm]");
      if (el && !window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
    // Copy-to-clipboard buttons: <button data-copy="#id">
    document.body.addEventListener("click", function (event) {
      var el = event.target.closest("[data-copy]");
      if (!el) { return; }
      var source = document.querySelector(el.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.value || source.textContent);
        el.textContent = el.getAttribute("data-copied") || "Copied";
      }
    });
  });
})();
