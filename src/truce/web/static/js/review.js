/* The review queue: list pending proposals; accept, accept with edits,
   merge into an incident, or reject, each through the API with the token. */
(function () {
  "use strict";
  var msg = document.getElementById("review-msg"), queue = document.getElementById("queue");
  var tpl = document.getElementById("proposal-tpl"), esc = truce.esc;
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

  function card(p) {
    var li = tpl.content.firstElementChild.cloneNode(true);
    li.dataset.id = p.id;
    li.querySelector(".p-title").textContent = title(p) + " (" + Math.round((p.confidence || 0) * 100) + "% confidence)";
    marked(li.querySelector(".p-sentence"), p.sentence, (p.payload || {}).why || []);
    var fields = li.querySelector(".p-fields");
    Object.keys(p.payload || {}).slice(0, 10).forEach(function (k) {
      var v = p.payload[k];
      fields.insertAdjacentHTML("beforeend", "<dt>" + esc(k) + "</dt><dd>" + esc(typeof v === "object" ? JSON.stringify(v) : v) + "</dd>");
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

  truce.api("/api/proposals?status=pending").then(function (body) {
    var items = body.data || body;
    msg.textContent = items.length + " proposal" + (items.length === 1 ? "" : "s") + " waiting.";
    items.forEach(function (p) { queue.appendChild(card(p)); });
  }).catch(function (e) {
    msg.textContent = e.status === 401 || e.status === 403 ? "Your token does not allow reviewing: " + e.message : "Could not load the queue: " + e.message;
  });
})();
