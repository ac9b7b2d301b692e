// Rowstream web UI: confirmation of risky forms, and the run page's live counts (polls
// live.json every 500 ms until the run ends, then reloads once to show rows and calls).
(function () {
  "use strict";
  document.querySelectorAll("form.confirm").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        e.preventDefault();
      }
    });
  });

  var live = document.getElementById("live");
  if (!live || live.getAttribute("data-done") === "true") {
    return;
  }
  var run = live.getAttribute("data-run");
  function show(data) {
    live.querySelectorAll("[data-field]").forEach(function (el) {
      var v = data[el.getAttribute("data-field")];
      el.textContent = v === null || v === undefined ? "" : String(v);
    });
    var status = document.getElementById("run-status");
    status.className = "status status-" + data.status;
    live.querySelectorAll("#counts tr[data-event]").forEach(function (row) {
      var c = data[row.getAttribute("data-event")] || {};
      row.querySelectorAll("[data-count]").forEach(function (cell) {
        cell.textContent = String(c[cell.getAttribute("data-count")] || 0);
      });
    });
    var reasons = document.getElementById("reasons");
    var names = Object.keys(data.rejections || {});
    reasons.textContent = "";
    names.forEach(function (name) {
      var li = document.createElement("li");
      li.textContent = name + ": " + data.rejections[name];
      reasons.appendChild(li);
    });
    if (names.length === 0) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = "none";
      reasons.appendChild(none);
    }
  }
  function poll() {
    fetch("/runs/" + encodeURIComponent(run) + "/live.json", {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        show(data);
        if (data.finished_at) {
          live.setAttribute("data-done", "true");
          var cancel = document.getElementById("cancel-form");
          if (cancel) { cancel.remove(); }
          var note = document.getElementById("live-note");
          if (note) {
            note.textContent = "The run ended. ";
            var a = document.createElement("a");
            a.href = "/runs/" + encodeURIComponent(run);
            a.id = "show-rows";
            a.textContent = "Show its rows and API calls";
            note.appendChild(a);
          }
          return;
        }
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
