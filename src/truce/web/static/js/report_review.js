/* The observer-report half of the review queue: each report with the
   observer's position, the estimated target and its uncertainty, what was
   observed, its evidence and suggested incidents; decided through the API. */
(function () {
  "use strict";
  var msg = document.getElementById("reports-msg"), queue = document.getElementById("report-queue"), esc = truce.esc;
  if (!truce.session()) { msg.textContent = ""; return; }
  var TYPES = ["Explosions/Remote violence", "Battles", "Violence against civilians", "Strategic developments"];

  function post(path, body) { return truce.api(path, { method: "POST", json: body }); }
  function ll(lat, lon) { return Number(lat).toFixed(5) + ", " + Number(lon).toFixed(5); }

  function done(li, text, id) {
    li.classList.add("decided");
    li.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    li.querySelector(".r-result").innerHTML = esc(text) + (id ? ': <a href="/incidents/' + encodeURIComponent(id) + '">' + esc(id) + "</a>" : ".");
  }
  function failed(li, e) { li.querySelector(".r-result").textContent = "Not done: " + e.message; }

  function card(r) {
    var li = document.createElement("li"), e = r.estimated_target, p = r.observer_position, x = r.restriction;
    li.className = "proposal report-card"; li.dataset.id = r.id;
    var rows = [["status", r.status || "waiting"], ["observer", r.observer || r.observer_id || "unknown"]];
    if (p) rows.push(["observer at", ll(p.latitude, p.longitude) + (p.accuracy_m ? " (±" + p.accuracy_m + " m)" : "")]);
    if (e && e.from_bearing) rows.push(["estimated target", ll(e.latitude, e.longitude) + " " + e.uncertainty]);
    (r.observations || []).forEach(function (o) {
      rows.push(["observed", (o.count || 1) + " × " + o.what.replace(/_/g, " ") + " (" + o.how.replace(/_/g, " ") +
        (o.bearing_deg != null ? ", bearing " + o.bearing_deg + "°, " + o.distance_m + " m" : "") + ")"]);
    });
    if (x) rows.push([x.kind, (x.place_name || "place not given") + ", imposed by " + (x.imposed_by || "unknown") +
      (x.duration_min != null ? ", " + x.duration_min + " min" : "")]);
    (r.evidence || []).forEach(function (v) { rows.push(["evidence", v.filename + " (" + v.content_type + ", " + v.size + " B)"]); });
    var suggestions = (r.suggestions || []).map(function (s) {
      return '<li><a href="/incidents/' + encodeURIComponent(s.incident_id) + '">' + esc(s.title) + "</a> <span class=\"note\">" + esc(s.reason) +
        '</span> <button type="button" class="attach" data-incident="' + esc(s.incident_id) + '">Attach</button></li>';
    }).join("");
    li.innerHTML = '<h2 class="r-title">' + esc(r.kind) + " report, " + esc(r.observed_local) + "</h2>" +
      '<blockquote class="r-summary"></blockquote><dl class="p-fields">' +
      rows.map(function (row) { return "<dt>" + esc(row[0]) + "</dt><dd>" + esc(row[1]) + "</dd>"; }).join("") + "</dl>" +
      (suggestions ? '<p>Suggested incidents (same day, within the uncertainty, same kind):</p><ul class="suggestions">' + suggestions + "</ul>" : "") +
      '<div class="actions">' + (x ? "" : '<label>Type <select class="r-type">' + TYPES.map(function (t) { return "<option>" + esc(t) + "</option>"; }).join("") + "</select></label> ") +
      '<button type="button" class="make">Create incident</button> ' +
      '<label>Attach to <input class="r-incident" placeholder="inc-…" size="22"></label> <button type="button" class="attach-id">Attach</button> ' +
      '<label>Reason <input class="r-reason" size="28"></label> <button type="button" class="dismiss">No incident</button></div>' +
      '<p class="r-result" role="status" aria-live="polite"></p>';
    li.querySelector(".r-summary").textContent = r.summary;
    li.querySelector(".make").addEventListener("click", function () {
      var body = { report_ids: [r.id] }, type = li.querySelector(".r-type");
      if (type) body.event_type = type.value;
      post("/api/review/reports/incident", body).then(function (res) { done(li, "Incident created (" + (res.incident.grade || "ungraded") + ")", res.incident.id); }).catch(function (err) { failed(li, err); });
    });
    function attach(id) {
      if (!id) { li.querySelector(".r-result").textContent = "Give the incident's id."; return; }
      post("/api/review/reports/attach", { incident_id: id, report_ids: [r.id] }).then(function (res) { done(li, "Attached", res.incident.id); }).catch(function (err) { failed(li, err); });
    }
    li.querySelectorAll(".attach").forEach(function (b) { b.addEventListener("click", function () { attach(b.dataset.incident); }); });
    li.querySelector(".attach-id").addEventListener("click", function () { attach(li.querySelector(".r-incident").value.trim()); });
    li.querySelector(".dismiss").addEventListener("click", function () {
      var reason = li.querySelector(".r-reason").value.trim();
      if (!reason) { li.querySelector(".r-result").textContent = "Say why there is no incident."; return; }
      post("/api/review/reports/dismiss", { report_ids: [r.id], reason: reason }).then(function () { done(li, "Marked no incident"); }).catch(function (err) { failed(li, err); });
    });
    return li;
  }

  truce.api("/api/review/reports").then(function (body) {
    msg.textContent = body.count + " observer report" + (body.count === 1 ? "" : "s") + " waiting.";
    body.data.forEach(function (r) { queue.appendChild(card(r)); });
  }).catch(function (e) { msg.textContent = "Could not load the observer reports: " + e.message; });
})();
