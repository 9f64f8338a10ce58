// The upload page: many files at once by drag and drop or the file picker, each sent to
// POST /api/v1/activities with the session's CSRF token, showing its own progress and outcome.
// Archives become import jobs, whose progress is polled from GET /api/v1/imports/{id}.
(function () {
  "use strict";

  var form = document.getElementById("upload-form");
  if (!form) return;
  var input = document.getElementById("upload-files");
  var zone = document.getElementById("dropzone");
  var list = document.getElementById("upload-list");
  var summary = document.getElementById("upload-summary");
  var rowTemplate = document.getElementById("upload-row");
  var sportSelect = document.getElementById("upload-sport");
  var L = JSON.parse(document.getElementById("upload-labels").textContent);
  var endpoint = form.getAttribute("data-endpoint");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  // One file at a time: the server analyses each upload within its request and its database
  // writes are serial anyway (SQLite by default), so more in flight only adds waiting.
  var PARALLEL = 1;
  var POLL_MS = 1000;
  var queue = [];
  var running = 0;
  var counts = { created: 0, duplicate: 0, failed: 0, importing: 0 };

  function text(el, value) { el.textContent = value; }

  function fmtSize(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(0) + " kB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }

  function updateSummary() {
    var parts = [];
    if (counts.created) parts.push(fill(L.summaryCreated, { n: counts.created }));
    if (counts.duplicate) parts.push(fill(L.summaryDuplicate, { n: counts.duplicate }));
    if (counts.failed) parts.push(fill(L.summaryFailed, { n: counts.failed }));
    if (counts.importing) parts.push(fill(L.summaryImporting, { n: counts.importing }));
    summary.hidden = parts.length === 0;
    summary.textContent = "";
    summary.appendChild(document.createTextNode(parts.join(" · ") + " "));
    if (counts.created || counts.duplicate) summary.appendChild(link(L.listUrl, L.seeAll));
  }

  function setState(row, state, label) {
    row.setAttribute("data-state", state);
    text(row.querySelector(".upload-state"), label);
  }

  function addFiles(files) {
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      var row = rowTemplate.content.firstElementChild.cloneNode(true);
      text(row.querySelector(".upload-name"), file.name);
      text(row.querySelector(".upload-size"), fmtSize(file.size));
      setState(row, "waiting", L.waiting);
      list.appendChild(row);
      if (file.size > L.maxBytes) {
        finishFailed(row, fill(L.tooLarge, { mb: L.maxMb }));
        continue;
      }
      queue.push({ file: file, row: row, sport: sportSelect ? sportSelect.value : "" });
    }
    pump();
  }

  function pump() {
    while (running < PARALLEL && queue.length) {
      running += 1;
      send(queue.shift());
    }
  }

  function done() {
    running -= 1;
    pump();
  }

  function finishFailed(row, message) {
    var progress = row.querySelector(".upload-progress");
    progress.value = 100;
    setState(row, "failed", L.failed);
    text(row.querySelector(".upload-result"), message);
    counts.failed += 1;
    updateSummary();
  }

  // "Sat 4 Mar 2017, 17:41 · 8.24 km · 1:10:41" in the person's zone and units.
  function describe(body) {
    var parts = [];
    try {
      parts.push(new Date(body.start_time).toLocaleString(L.locale, {
        timeZone: L.timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric",
        hour: "2-digit", minute: "2-digit", hour12: false
      }));
    } catch (e) { /* an unknown zone name: leave the date out */ }
    if (body.distance_m) {
      var d = L.imperial ? body.distance_m / 1609.344 : body.distance_m / 1000;
      parts.push(d.toFixed(2) + " " + (L.imperial ? "mi" : "km"));
    }
    var t = body.moving_s || body.elapsed_s;
    if (t) {
      t = Math.round(t);
      var h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), sec = t % 60;
      parts.push((h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (sec < 10 ? "0" : "") + sec);
    }
    return parts.join(" · ");
  }

  function showActivity(row, body, created) {
    var result = row.querySelector(".upload-result");
    result.textContent = "";
    var many = (body.activity_ids || []).length;
    result.appendChild(link(body.links.page, body.name));
    if (many > 1) {
      result.appendChild(document.createTextNode(" " + fill(L.moreInFile, { n: many - 1 })));
    }
    var facts = describe(body);
    if (facts) {
      var span = document.createElement("span");
      span.className = "muted";
      span.textContent = " · " + facts;
      result.appendChild(span);
    }
    // A damaged file still gives what it held before the damage; say so, not just "Added".
    if (created && (body.warnings || []).length) {
      var notes = document.createElement("div");
      notes.className = "upload-warnings";
      notes.textContent = L.warnings + " " + body.warnings.join("; ");
      result.appendChild(notes);
    }
    setState(row, created ? "created" : "duplicate", created ? L.created : L.duplicate);
    counts[created ? "created" : "duplicate"] += 1;
    updateSummary();
  }

  function send(job) {
    var row = job.row;
    var progress = row.querySelector(".upload-progress");
    var data = new FormData();
    data.append("file", job.file, job.file.name);
    if (job.sport) data.append("sport", job.sport);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", endpoint);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    setState(row, "uploading", L.uploading);
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    });
    xhr.upload.addEventListener("load", function () {
      progress.removeAttribute("value"); // indeterminate while the server analyses
      setState(row, "analysing", L.analysing);
    });
    xhr.addEventListener("load", function () {
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      progress.value = 100;
      if ((xhr.status === 200 || xhr.status === 201) && body && body.links) {
        showActivity(row, body, xhr.status === 201);
      } else if (xhr.status === 202 && body && body.links) {
        counts.importing += 1;
        updateSummary();
        watchImport(row, body);
      } else if (body && body.error) {
        finishFailed(row, body.error.message);
      } else {
        finishFailed(row, fill(L.serverError, { status: xhr.status }));
      }
      done();
    });
    xhr.addEventListener("error", function () {
      finishFailed(row, L.networkError);
      done();
    });
    xhr.send(data);
  }

  // --- archives: an import job that runs in the background ----------------------------------

  function renderJob(row, job) {
    var progress = row.querySelector(".upload-progress");
    var result = row.querySelector(".upload-result");
    var c = job.counts || {};
    if (job.total) {
      progress.max = job.total;
      progress.value = job.processed;
    } else {
      progress.removeAttribute("value");
    }
    result.textContent = fill(L.importProgress, {
      done: job.processed, total: job.total === null ? "?" : job.total,
      created: c.created || 0, duplicate: c.duplicate || 0, failed: c.failed || 0
    });
    var items = row.querySelector(".upload-items");
    items.textContent = "";
    (job.items || []).forEach(function (item) {
      if (item.status === "pending") return;
      var li = document.createElement("li");
      li.setAttribute("data-state", item.status);
      var name = document.createElement("span");
      name.className = "item-name";
      name.textContent = item.name;
      li.appendChild(name);
      li.appendChild(document.createTextNode(" "));
      if (item.activity_id && item.status !== "failed") {
        li.appendChild(link("/activities/" + item.activity_id + "/", L[item.status] || item.status));
      } else {
        var why = document.createElement("span");
        why.textContent = (L[item.status] || item.status) + (item.reason ? ": " + item.reason : "");
        li.appendChild(why);
      }
      items.appendChild(li);
    });
  }

  function watchImport(row, job) {
    setState(row, "importing", L.importing);
    renderJob(row, job);
    var url = job.links.self;
    function poll() {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", url);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.addEventListener("load", function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status !== 200 || !body) {
          window.setTimeout(poll, POLL_MS * 3);
          return;
        }
        renderJob(row, body);
        if (body.status === "done" || body.status === "failed") {
          counts.importing -= 1;
          var c = body.counts || {};
          counts.created += c.created || 0;
          counts.duplicate += c.duplicate || 0;
          counts.failed += c.failed || 0;
          if (body.status === "failed") {
            setState(row, "failed", L.failed);
            if (body.error) row.querySelector(".upload-result").textContent = body.error;
          } else {
            setState(row, "created", L.imported);
          }
          updateSummary();
        } else {
          window.setTimeout(poll, POLL_MS);
        }
      });
      xhr.addEventListener("error", function () { window.setTimeout(poll, POLL_MS * 3); });
      xhr.send();
    }
    window.setTimeout(poll, POLL_MS);
  }

  // --- picking and dropping ------------------------------------------------------------------

  input.addEventListener("change", function () {
    addFiles(input.files);
    input.value = "";
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.remove("over");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files) addFiles(event.dataTransfer.files);
  });
  // A file dropped beside the zone must not make the browser leave the page to open it.
  window.addEventListener("dragover", function (event) { event.preventDefault(); });
  window.addEventListener("drop", function (event) { event.preventDefault(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
})();
