/* The review queue, a page at a time: pending proposals, an event's place as
   its name and a small map; accept, accept with edits, merge into an
   incident, or reject, each through the API with the token. */
(function () {
  "use strict";
  var msg = document.getElementById("review-msg"), queue = document.getElementById("queue");
  var tpl = document.getElementById("proposal-tpl"), esc = truce.esc;
  var PAGE = Math.max(1, Number(new URLSearchParams(location.search).get("per")) || 20), offset = 0, borders = null;
  if (!truce.session()) {
    msg.innerHTML = 'Sign in first: <a href="/signin?next=/analyst/review">sign in with your token</a>.';
    return;
  }

  function title(p) {
    var x = p.payload || {};
    if (p.kind === "event") return (x.event_type || "event") + (x.start ? ", " + x.start : "") + (x.place && x.place.name ? ", " + x.place.name : "");
    if (p.kind === "agreement") return "Agreement: " + (x.name || "ceasefire") + (x.start ? ", from " + x.start : "");
    if (p.kind === "claim") return (x.actor || x.actor_name || "someone") + " " + (x.stance || "says") + " " + (x.proposition || "");
    return p.kind + " proposal";
  }


  function post(path, body) { return truce.api(path, { method: "POST", json: body }); }

  function decide(li, p, action, verb) {
    var out = li.querySelector(".p-result");
    li.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    out.textContent = verb + "…";
    action().then(function (res) {
      var id = res && (res.result_id || res.id), href = id && id.indexOf("inc-") === 0 ? "/incidents/" + encodeURIComponent(id) : null;
      li.classList.add("decided");
      li.dataset.status = res.status || "done";
      out.innerHTML = esc(verb.replace(/ing$/, "ed").replace("Mergeed", "Merged")) +
        (id ? ": " + (href ? '<a href="' + href + '">' + esc(id) + "</a>" : esc(id)) : ".");
    }).catch(function (e) {
      out.textContent = "Not done: " + e.message;
      li.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    });
  }

  function accept(p, edits) {
    return post("/api/proposals/" + encodeURIComponent(p.id) + "/accept", { edits: edits || {} });
  }

  function changed(before, after) {
    var edits = {};
    Object.keys(after).forEach(function (k) { if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) edits[k] = after[k]; });
    return edits;
  }

  // the words a proposal rests on, highlighted by role (trigger, place, date, perpetrator, figure)
  function marked(el, sentence, why) {
    var marks = [];
    why.forEach(function (w) {
      var at = w.text ? sentence.indexOf(w.text) : -1;
      if (at < 0 || marks.some(function (m) { return m[0] < at + w.text.length && at < m[1]; })) return;
      marks.push([at, at + w.text.length, w.role]);
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] > pos) el.appendChild(document.createTextNode(sentence.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.className = "why why-" + m[2];
      mark.title = m[2];
      mark.textContent = sentence.slice(m[0], m[1]);
      el.appendChild(mark);
      pos = m[1];
    });
    if (pos < sentence.length) el.appendChild(document.createTextNode(sentence.slice(pos)));
  }

  /* A payload value as words: a list joined, a figure by the words it was
     read from, a record as "key: value" pairs, nothing as "none" (the JSON
     itself is in the editor below). */
  function readable(v) {
    if (v === null || v === undefined || v === "") return "none";
    if (typeof v === "boolean") return v ? "yes" : "no";
    if (Array.isArray(v)) return v.length ? v.map(readable).join("; ") : "none";
    if (typeof v === "object") {
      if (v.text) return String(v.text) + (v.value !== undefined && String(v.text).indexOf(String(v.value)) < 0 ? " (" + readable(v.value) + ")" : "");
      return Object.keys(v).filter(function (k) { return v[k] !== null && v[k] !== undefined; })
        .map(function (k) { return k.replace(/_/g, " ") + ": " + readable(v[k]); }).join(", ") || "none";
    }
    return String(v);
  }

  function card(p) {
    var li = tpl.content.firstElementChild.cloneNode(true);
    li.dataset.id = p.id;
    li.querySelector(".p-title").textContent = title(p) + " (" + Math.round((p.confidence || 0) * 100) + "% confidence)";
    marked(li.querySelector(".p-sentence"), p.sentence, (p.payload || {}).why || []);
    var fields = li.querySelector(".p-fields");
    showPlace(li, p);
    Object.keys(p.payload || {}).filter(function (k) { return k !== "place"; }).slice(0, 10).forEach(function (k) {
      var v = p.payload[k];
      fields.insertAdjacentHTML("beforeend", "<dt>" + esc(k.replace(/_/g, " ")) + "</dt><dd>" + esc(readable(v)) + "</dd>");
    });
    li.querySelector(".p-json").value = JSON.stringify(p.payload || {}, null, 2);
    var link = (p.payload || {}).link;
    if (link) {
      li.querySelector(".accept").textContent = "Attach to " + link;
      var fresh = document.createElement("button");
      fresh.type = "button"; fresh.className = "accept-new"; fresh.textContent = "Accept as a new incident";
      li.querySelector(".accept").after(fresh);
      fresh.addEventListener("click", function () { decide(li, p, function () { return accept(p, { link: null }); }, "Accepting"); });
      li.querySelector(".p-title").insertAdjacentHTML("afterend", '<p class="note">Probably incident <a href="/incidents/' +
        encodeURIComponent(link) + '">' + esc(link) + "</a> (same day, same type, same place or inside the proposal's area): attach, or make a new incident.</p>");
    }
    li.querySelector(".accept").addEventListener("click", function () { decide(li, p, function () { return accept(p); }, "Accepting"); });
    li.querySelector(".edit").addEventListener("click", function () {
      var after;
      try { after = JSON.parse(li.querySelector(".p-json").value); } catch (e) {
        li.querySelector(".p-result").textContent = "The edited payload is not valid JSON: " + e.message; return;
      }
      decide(li, p, function () { return accept(p, changed(p.payload || {}, after)); }, "Accepting");
    });
    li.querySelector(".merge").addEventListener("click", function () {
      var target = li.querySelector(".merge-id").value.trim();
      if (!target) { li.querySelector(".p-result").textContent = "Give the id of the incident to merge into."; return; }
      decide(li, p, function () {
        return accept(p).then(function (res) {
          if (!res.result_id || res.result_id === target || res.result_id.indexOf("inc-") !== 0) return res;
          return post("/api/incidents/" + encodeURIComponent(target) + "/merge",
            { other_id: res.result_id, reason: "review queue: proposal " + p.id + " describes this incident" });
        });
      }, "Merging");
    });
    li.querySelector(".reject").addEventListener("click", function () {
      decide(li, p, function () {
        return post("/api/proposals/" + encodeURIComponent(p.id) + "/reject", { reason: "rejected in the review queue" });
      }, "Rejecting");
    });
    return li;
  }

  /* The place as words (the theatre's names, its precision) and, when it has
     coordinates, a small map of it on the shipped borders. */
  function showPlace(li, p) {
    var place = (p.payload || {}).place, fig = li.querySelector(".p-place");
    if (!place || typeof place !== "object") return;
    fig.hidden = false;
    var words = p.place_label || place.name || place.text || "place not named";
    if (!place.resolved) words += " (not in the gazetteer" + (place.country ? "; country " + place.country : "") + ")";
    else if (place.precision) words += " (" + place.precision + " precision)";
    li.querySelector(".p-place-name").textContent = "Where: " + words;
    var box = li.querySelector(".p-map");
    if (place.latitude == null || place.longitude == null || !window.L) { box.remove(); return; }
    box.setAttribute("aria-label", "Map of " + words);
    requestAnimationFrame(function () {
      var m = L.map(box, { zoomControl: false, attributionControl: false, dragging: false, scrollWheelZoom: false,
                           doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false });
      m.setView([place.latitude, place.longitude], 8);
      (borders || (borders = fetch("/api/map/geometry").then(function (r) { return r.json(); }))).then(function (g) {
        L.geoJSON(g.borders, { interactive: false, style: { color: "#6b6b6b", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 } }).addTo(m);
        L.geoJSON(g.line, { interactive: false, style: { color: "#b2182b", weight: 2 } }).addTo(m);
        L.circleMarker([place.latitude, place.longitude], { radius: 6, color: "#1a1a1a", weight: 2, fillColor: "#0072B2", fillOpacity: 1 })
          .bindTooltip(esc(p.place_label || place.name || place.text || ""), { permanent: true, direction: "right", className: "p-map-label" })
          .addTo(m);
      });
    });
  }

  var pager = document.querySelector(".pager");
  function load() {
    truce.api("/api/proposals?status=pending&limit=" + PAGE + "&offset=" + offset).then(function (body) {
      var items = body.data || body, total = body.count == null ? items.length : body.count;
      var pages = Math.max(1, Math.ceil(total / PAGE)), page = Math.floor(offset / PAGE) + 1;
      msg.textContent = total + " proposal" + (total === 1 ? "" : "s") + " waiting" +
        (pages > 1 ? "; showing " + (offset + 1) + "–" + (offset + items.length) : "") + ".";
      queue.innerHTML = "";
      items.forEach(function (p) { queue.appendChild(card(p)); });
      pager.hidden = pages < 2;
      document.getElementById("page-of").textContent = "Page " + page + " of " + pages;
      document.getElementById("prev").disabled = page <= 1;
      document.getElementById("next").disabled = page >= pages;
    }).catch(function (e) {
      msg.textContent = e.status === 401 || e.status === 403 ? "Your token does not allow reviewing: " + e.message : "Could not load the queue: " + e.message;
    });
  }
  document.getElementById("prev").addEventListener("click", function () { offset = Math.max(0, offset - PAGE); load(); window.scrollTo(0, 0); });
  document.getElementById("next").addEventListener("click", function () { offset += PAGE; load(); window.scrollTo(0, 0); });
  load();
})();
