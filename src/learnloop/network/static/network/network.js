// The network map: hovering a person lights up their ties and the people at the other end.
// Everything works without this script (each person is a link that selects them).
(function () {
  "use strict";

  function init(svg) {
    var lines = Array.prototype.slice.call(svg.querySelectorAll("line[data-a]"));
    var people = Array.prototype.slice.call(svg.querySelectorAll("a[data-person]"));

    function light(name) {
      var near = {};
      near[name] = true;
      lines.forEach(function (line) {
        if (line.getAttribute("data-a") === name || line.getAttribute("data-b") === name) {
          line.classList.add("hl");
          near[line.getAttribute("data-a")] = true;
          near[line.getAttribute("data-b")] = true;
        }
      });
      people.forEach(function (link) {
        if (near[link.getAttribute("data-person")]) link.classList.add("hl");
      });
      svg.classList.add("net-hovering");
    }

    function dim() {
      svg.classList.remove("net-hovering");
      Array.prototype.forEach.call(svg.querySelectorAll(".hl"), function (el) {
        el.classList.remove("hl");
      });
    }

    people.forEach(function (link) {
      link.addEventListener("mouseenter", function () { light(link.getAttribute("data-person")); });
      link.addEventListener("mouseleave", dim);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("svg[data-network-map]"), init);
})();
