// choucha serve: the only script of the page. Everything works without it except the
// reveal animation, the large dice digits and the full-screen button.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Seed: show the typed digits large, 20 dice slots (more when more digits are typed).
  var seed = document.getElementById("seed");
  var dice = document.getElementById("dice");
  if (seed && dice) {
    var draw = function () {
      var v = seed.value.replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFF10 + 48); });
      var digits = v.replace(/\s/g, "").split("");
      var n = Math.max(20, digits.length);
      dice.textContent = "";
      for (var i = 0; i < n; i++) {
        var d = document.createElement("span");
        d.className = "die" + (i < digits.length ? " set" : "") + (i < digits.length && !/[0-9]/.test(digits[i]) ? " bad" : "");
        d.textContent = i < digits.length ? digits[i] : "";
        dice.appendChild(d);
      }
      var count = document.getElementById("dice-count");
      if (!count) {
        count = document.createElement("div");
        count.id = "dice-count";
        dice.parentNode.insertBefore(count, dice.nextSibling);
      }
      count.textContent = "已输入 " + digits.length + " 位" + (digits.length < 20 ? "，还差 " + (20 - digits.length) + " 位" : "");
    };
    seed.addEventListener("input", draw);
    draw();
  }

  // Full screen for the projector.
  Array.prototype.forEach.call(document.querySelectorAll("[data-fullscreen]"), function (b) {
    b.addEventListener("click", function () {
      var el = document.getElementById(b.getAttribute("data-fullscreen"));
      if (document.fullscreenElement) { document.exitFullscreen(); return; }
      if (el && el.requestFullscreen) { el.requestFullscreen(); }
    });
  });

  // Reveal: the list is already on the page (computed once, recorded in the ledger); the
  // animation only shows it firm by firm, stratum by stratum. "Skip" shows everything.
  var result = document.getElementById("result");
  if (result && result.getAttribute("data-reveal") === "1") {
    var items = Array.prototype.slice.call(result.querySelectorAll("[data-firm]"));
    var groups = Array.prototype.slice.call(result.querySelectorAll("[data-group]"));
    var skip = document.getElementById("skip");
    var timer = null;
    var done = function () {
      if (timer) { clearTimeout(timer); timer = null; }
      items.forEach(function (it) { it.classList.remove("pending"); it.classList.remove("now"); });
      groups.forEach(function (g) { g.classList.remove("pending"); });
      if (skip) { skip.hidden = true; }
      result.setAttribute("data-revealed", "1");
    };
    if (items.length > 0 && !window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
      items.forEach(function (it) { it.classList.add("pending"); });
      groups.forEach(function (g) { g.classList.add("pending"); });
      var step = Math.max(60, Math.min(700, Math.floor(15000 / items.length)));
      var i = 0;
      var next = function () {
        if (i > 0) { items[i - 1].classList.remove("now"); }
        if (i >= items.length) { done(); return; }
        var it = items[i++];
        var g = it.closest("[data-group]");
        if (g) { g.classList.remove("pending"); }
        it.classList.remove("pending");
        it.classList.add("now");
        it.scrollIntoView({ block: "nearest" });
        timer = setTimeout(next, step);
      };
      if (skip) { skip.hidden = false; skip.addEventListener("click", done); }
      document.addEventListener("keydown", function (e) { if (e.key === "Escape" || e.key === " ") { done(); } });
      timer = setTimeout(next, 600);
    } else {
      done();
    }
  }
})();
