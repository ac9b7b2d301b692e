// The sync editor: Liquid/JSON highlighting under the template textarea, the message mode,
// the stream picker, and a live preview (debounced POST of the form to /ui/preview).
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) { return; }
  var template = document.getElementById("template");
  var highlight = document.getElementById("template-highlight");
  // Liquid markup first (it may sit inside JSON strings), then JSON tokens in the text between.
  var LIQUID = /\{\{[\s\S]*?(?:\}\}|$)|\{%[\s\S]*?(?:%\}|$)/g;
  var JSON_TOKENS = /("(?:[^"\\\n]|\\.)*"?)|(-?\b\d+(?:\.\d+)?\b|\btrue\b|\bfalse\b|\bnull\b)|([{}\[\]:,])/g;

  function span(cls, text) {
    var el = document.createElement("span");
    el.className = cls;
    el.textContent = text;
    highlight.appendChild(el);
  }

  function paintJson(text) {
    var last = 0;
    text.replace(JSON_TOKENS, function (match, string, literal, punct, offset) {
      if (offset > last) { highlight.appendChild(document.createTextNode(text.slice(last, offset))); }
      span(string ? "tok-string" : literal ? "tok-literal" : "tok-punct", match);
      last = offset + match.length;
      return match;
    });
    highlight.appendChild(document.createTextNode(text.slice(last)));
  }

  function paint() {
    var text = template.value;
    highlight.textContent = "";
    var last = 0;
    text.replace(LIQUID, function (match, offset) {
      paintJson(text.slice(last, offset));
      span("tok-liquid", match);
      last = offset + match.length;
      return match;
    });
    paintJson(text.slice(last));
    highlight.appendChild(document.createTextNode("\n"));
    highlight.scrollTop = template.scrollTop;
  }

  function mode() {
    var checked = form.querySelector("input[name=mode]:checked");
    var value = checked ? checked.value : "template";
    form.querySelectorAll(".mode").forEach(function (el) {
      el.hidden = !el.classList.contains("mode-" + value);
    });
  }

  var timer = null;
  var sequence = 0;
  function schedulePreview() {
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  }
  function cell(row, text) {
    var td = document.createElement("td");
    var pre = document.createElement("pre");
    pre.textContent = text === undefined || text === null ? "" : String(text);
    td.appendChild(pre);
    row.appendChild(td);
  }
  function preview() {
    var mine = ++sequence;
    var body = new URLSearchParams(new FormData(form));
    fetch("/ui/preview", {method: "POST", body: body, credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (mine !== sequence) { return; }
        var error = document.getElementById("preview-error");
        error.textContent = data.error ? data.error.message : "";
        var tbody = document.querySelector("#preview tbody");
        tbody.textContent = "";
        (data.rows || []).forEach(function (r) {
          var tr = document.createElement("tr");
          cell(tr, r.key);
          cell(tr, r.data !== undefined ? r.data : r.rejected);
          cell(tr, r.partition_key);
          cell(tr, r.explicit_hash_key);
          if (r.rejected) { tr.className = "rejected"; }
          tbody.appendChild(tr);
        });
        if (data.columns) { modelColumns = data.columns; fillPickers(); }
        form.setAttribute("data-previewed", String(mine));
      });
  }

  // The field mapper: rows of (column picked from the model's columns, message key); the
  // model's columns come with each preview.
  var mapper = document.querySelector("#mapper tbody");
  var modelColumns = [];
  function fillPickers() {
    mapper.querySelectorAll("select.map-column").forEach(function (select) {
      var current = select.value || select.getAttribute("data-value") || "";
      var names = modelColumns.slice();
      if (current && names.indexOf(current) < 0) { names.unshift(current); }
      if (!current) { names.unshift(""); }
      var shown = Array.prototype.map.call(select.options, function (o) { return o.value; });
      if (shown.join("\n") === names.join("\n")) { return; } // unchanged: keep the options
      if (!current) { names.shift(); }
      select.textContent = "";
      if (!current) {
        var none = document.createElement("option");
        none.value = "";
        none.textContent = "pick a column…";
        select.appendChild(none);
      }
      names.forEach(function (n) {
        var o = document.createElement("option");
        o.textContent = n;
        select.appendChild(o);
      });
      select.value = current;
      select.setAttribute("data-value", current);
    });
  }
  document.getElementById("map-add").addEventListener("click", function () {
    var row = document.getElementById("map-row-template").content.firstElementChild.cloneNode(true);
    mapper.appendChild(row);
    fillPickers();
    row.querySelector("select").focus();
    schedulePreview();
  });
  mapper.addEventListener("click", function (e) {
    if (e.target.classList.contains("map-remove")) {
      e.target.closest("tr").remove();
      schedulePreview();
    }
  });
  mapper.addEventListener("change", function (e) {
    if (e.target.classList.contains("map-column")) {
      e.target.setAttribute("data-value", e.target.value);
      e.target.closest("tr").querySelector(".map-key").placeholder = e.target.value || "the column's name";
    }
  });

  var picker = document.getElementById("stream-picker");
  picker.addEventListener("change", function () {
    if (picker.value) { document.getElementById("stream").value = picker.value; schedulePreview(); }
  });
  document.getElementById("destination").addEventListener("change", function (e) {
    fetch("/destinations/" + encodeURIComponent(e.target.value) + "/streams.json", {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (names) {
        while (picker.options.length > 1) { picker.remove(1); }
        names.forEach(function (n) { var o = document.createElement("option"); o.textContent = n; picker.appendChild(o); });
      });
  });
  template.addEventListener("input", paint);
  template.addEventListener("scroll", function () { highlight.scrollTop = template.scrollTop; });
  form.addEventListener("input", schedulePreview);
  form.addEventListener("change", function () { mode(); schedulePreview(); });
  paint();
  mode();
  preview();
})();
