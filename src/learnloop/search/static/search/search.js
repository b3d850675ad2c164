// The header's search box: keyboard moves through the suggestions htmx puts under it.
// Without JavaScript (or htmx) the box is an ordinary form that opens the search page.
(function () {
  "use strict";
  function links(box) {
    return Array.prototype.slice.call(box.querySelectorAll("a"));
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("site-q");
    var box = document.getElementById("site-search-suggestions");
    if (!input || !box) { return; }
    function close() { box.innerHTML = ""; }
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        var first = links(box)[0];
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Escape") {
        close();
      }
    });
    box.addEventListener("keydown", function (event) {
      var items = links(box);
      var at = items.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < items.length - 1) {
        event.preventDefault(); items[at + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (at > 0) { items[at - 1].focus(); } else { input.focus(); }
      } else if (event.key === "Escape") {
        close(); input.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest(".site-search")) { close(); }
    });
  });
})();
