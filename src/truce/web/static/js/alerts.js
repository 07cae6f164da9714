/* Alerts to acknowledge, with a note, through the API. */
(function () {
  "use strict";
  var msg = document.getElementById("alerts-msg"), list = document.getElementById("alerts"), esc = truce.esc;
  if (!truce.session()) {
    msg.innerHTML = 'Sign in first: <a href="/signin?next=/analyst/alerts">sign in with your token</a>.';
    return;
  }
  function item(a) {
    var li = document.createElement("li");
    li.className = "alert alert-" + a.kind;
    var incidents = (a.incidents || []).map(function (i) {
      return '<li><a href="/incidents/' + encodeURIComponent(i.id) + '">' + esc(i.title) + "</a> <span class=\"note\">" +
        esc(i.start_local) + ", " + esc(i.place || "place not given") + ", grade " + esc(i.grade || "ungraded") + "</span></li>";
    }).join("");
    li.innerHTML = "<h2>" + esc(a.kind.replace(/_/g, " ")) + ' <small class="when">' + esc(a.event_local) + "</small></h2><p>" + esc(a.message) + "</p>" +
      '<ul class="alert-incidents">' + incidents + "</ul>" +
      '<p class="note">Raised ' + esc(a.raised_local) + "</p>" +
      (a.acknowledged_at ? '<p class="note">Acknowledged by ' + esc(a.acknowledged_by) + ": " + esc(a.note) + "</p>" :
        '<form class="ack"><label>Note <input name="note" required maxlength="5000"></label> <button>Acknowledge</button> <span role="status"></span></form>');
    var form = li.querySelector("form");
    if (form) form.addEventListener("submit", function (e) {
      e.preventDefault();
      var out = form.querySelector("span");
      truce.api("/api/alerts/" + encodeURIComponent(a.id) + "/ack", { method: "POST", json: { note: form.note.value } })
        .then(function (done) { out.textContent = "Acknowledged."; form.querySelector("button").disabled = true; li.dataset.acknowledged = done.acknowledged_at; })
        .catch(function (err) { out.textContent = "Not acknowledged: " + err.message; });
    });
    return li;
  }
  function load() {
    var open = document.getElementById("open-only").checked;
    truce.api("/api/alerts" + (open ? "?unacknowledged=true" : "")).then(function (body) {
      list.innerHTML = "";
      msg.textContent = body.count + " alert" + (body.count === 1 ? "" : "s") + ".";
      body.data.forEach(function (a) { list.appendChild(item(a)); });
    }).catch(function (e) { msg.textContent = "Could not load alerts: " + e.message; });
  }
  document.getElementById("open-only").addEventListener("change", load);
  load();
})();
