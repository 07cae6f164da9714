/* The dashboard map: an offline base layer from the shipped borders, the
   line of contact of the day shown, places, and published incidents
   coloured by type and shaped by grade, clustered when zoomed out.
   The view (dates, day, filters, map position) lives in the URL hash. */
(function () {
  "use strict";
  var style = JSON.parse(document.getElementById("style-data").textContent);
  var mapEl = document.getElementById("map");
  var FIRST = mapEl.dataset.first, LAST = mapEl.dataset.last;
  var $ = function (id) { return document.getElementById(id); };
  var FIELDS = ["from", "to", "party", "type", "grade", "agreement", "sector"];
  var DAY = 86400000;

  function ms(s) { var p = s.split("-").map(Number); return Date.UTC(p[0], p[1] - 1, p[2]); }
  function iso(t) { return new Date(t).toISOString().slice(0, 10); }
  function addDays(s, n) { return iso(ms(s) + n * DAY); }
  function diff(a, b) { return Math.round((ms(b) - ms(a)) / DAY); }
  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function glyph(grade, colour, size) {
    var m = style.grades[grade] || style.grades.ungraded, s = size || 18, h = s / 2, r = h - 2.5;
    var fill = m.filled ? colour : "#ffffff", stroke = m.filled ? "#1a1a1a" : colour;
    var w = Math.max(m.width * 1.3, 1.2), shape;
    if (m.shape === "^") shape = '<polygon points="' + h + ',2 ' + (s - 2) + ',' + (s - 3) + ' 2,' + (s - 3) + '"';
    else if (m.shape === "D") shape = '<polygon points="' + h + ',1.5 ' + (s - 1.5) + ',' + h + ' ' + h + ',' + (s - 1.5) + ' 1.5,' + h + '"';
    else if (m.shape === "s") shape = '<rect x="3" y="3" width="' + (s - 6) + '" height="' + (s - 6) + '"';
    else shape = '<circle cx="' + h + '" cy="' + h + '" r="' + r + '"';
    return '<svg width="' + s + '" height="' + s + '" viewBox="0 0 ' + s + " " + s + '" aria-hidden="true">' +
      shape + ' fill="' + fill + '" stroke="' + stroke + '" stroke-width="' + w + '"/></svg>';
  }
  document.querySelectorAll(".legend .shape").forEach(function (li) {
    li.querySelector(".glyph").innerHTML = glyph(li.dataset.grade, "#777777", 16);
  });

  var map = L.map("map", { zoomSnap: 0.5, minZoom: 6, maxZoom: 13, keyboard: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Borders: Natural Earth; line of contact: truce data/SOURCES.md");
  map.setView([39.95, 46.6], 8);
  var base = L.layerGroup().addTo(map), lineLayer = L.layerGroup().addTo(map), placeLayer = L.layerGroup().addTo(map);
  var cluster = L.markerClusterGroup({ maxClusterRadius: 40, disableClusteringAtZoom: 11, showCoverageOnHover: false });
  map.addLayer(cluster);
  var features = [], total = 0, baseDrawn = false, lineDay = null;

  function state() {
    var s = {};
    FIELDS.forEach(function (f) { s[f] = $(f).value; });
    s.violations = $("violations").checked;
    s.mode = document.querySelector('input[name="mode"]:checked').value;
    s.day = addDays(s.from || FIRST, Number($("day").value));
    return s;
  }

  function query(s) {
    var p = new URLSearchParams();
    ["from", "to", "party", "type", "grade", "agreement", "sector"].forEach(function (f) { if (s[f]) p.set(f, s[f]); });
    if (s.violations) p.set("violations", "1");
    return p;
  }

  function writeHash() {
    var s = state(), p = query(s), c = map.getCenter();
    p.set("day", s.day);
    if (s.mode !== "upto") p.set("mode", s.mode);
    p.set("z", map.getZoom()); p.set("lat", c.lat.toFixed(3)); p.set("lon", c.lng.toFixed(3));
    history.replaceState(null, "", "#" + p.toString());
  }

  function readHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    FIELDS.forEach(function (f) { if (p.get(f)) $(f).value = p.get(f); });
    $("violations").checked = p.get("violations") === "1";
    if (p.get("mode") === "day") document.querySelector('input[name="mode"][value="day"]').checked = true;
    syncSlider(p.get("day"));
    if (p.get("lat") && p.get("lon")) map.setView([+p.get("lat"), +p.get("lon")], +(p.get("z") || 9));
  }

  function syncSlider(day) {
    var from = $("from").value || FIRST, to = $("to").value || LAST, span = Math.max(diff(from, to), 0);
    $("day").max = span;
    var n = day ? diff(from, day) : span;
    $("day").value = Math.min(Math.max(n, 0), span);
    var shown = addDays(from, Number($("day").value));
    $("day-label").value = shown;
    $("day").setAttribute("aria-valuetext", shown);
  }

  function drawBase(g) {
    L.geoJSON(g.borders, { interactive: false, style: { color: "#6b6b6b", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 } }).addTo(base);
    L.geoJSON(g.region, {
      interactive: false,
      style: function (f) {
        return f.properties.kind === "held_area_1994_2020"
          ? { color: "#8c7b5f", weight: 1, dashArray: "4 3", fillColor: "#e4dccf", fillOpacity: 0.8 }
          : { color: "#8c7b5f", weight: 1, dashArray: "1 3", fill: false };
      }
    }).addTo(base);
    g.places.features.forEach(function (f) {
      var c = f.geometry.coordinates, big = f.properties.label;
      L.circleMarker([c[1], c[0]], { radius: big ? 3.5 : 2.5, color: "#333", weight: 1, fillColor: "#fff", fillOpacity: 1, interactive: false })
        .bindTooltip(esc(f.properties.name), { permanent: big, direction: "right", className: "place-label", offset: [4, 0] })
        .addTo(placeLayer);
    });
  }

  function loadGeometry(day) {
    if (day === lineDay) return Promise.resolve();
    lineDay = day;
    return fetch("/api/map/geometry?date=" + day).then(function (r) { return r.json(); }).then(function (g) {
      if (!baseDrawn) { drawBase(g); baseDrawn = true; }
      lineLayer.clearLayers();
      L.geoJSON(g.line, {
        style: { color: "#b2182b", weight: 3.5, opacity: 0.95 },
        onEachFeature: function (f, layer) { layer.bindTooltip("Line of contact, " + esc(f.properties.sector) + " (from " + f.properties.valid_from + ")", { sticky: true }); }
      }).addTo(lineLayer);
      mapEl.dataset.lineSectors = g.line.features.length;
      mapEl.dataset.lineDay = day;
    });
  }

  function loadIncidents() {
    var s = state();
    $("count").textContent = "Loading incidents…";
    return fetch("/api/map/incidents?" + query(s).toString()).then(function (r) {
      if (!r.ok) return r.json().then(function (e) { throw new Error(e.detail || r.statusText); });
      return r.json();
    }).then(function (data) {
      features = data.features; total = data.count; render();
    }).catch(function (e) { $("count").textContent = "Could not load incidents: " + e.message; });
  }

  function render() {
    var s = state(), shown = features.filter(function (f) {
      var d = f.properties.day;
      return s.mode === "day" ? d === s.day : d <= s.day;
    });
    cluster.clearLayers();
    cluster.addLayers(shown.map(function (f) {
      var p = f.properties, c = f.geometry.coordinates, colour = style.types[p.type] || "#555";
      var label = p.title + ", " + p.day + ", " + p.grade;
      return L.marker([c[1], c[0]], {
        icon: L.divIcon({ html: glyph(p.grade, colour), className: "inc-icon", iconSize: [18, 18] }),
        title: label, alt: label, keyboard: true
      }).bindPopup('<p class="pop-title"><a href="/incidents/' + encodeURIComponent(p.id) + '">' + esc(p.title) + "</a></p><p>" +
        esc(p.day) + " · " + esc(p.place || "") + "<br>" + esc(p.sub_type || p.type) + " · grade " + esc(p.grade) +
        (p.violation ? " · <strong>ceasefire violation</strong>" : "") + "</p>");
    }));
    mapEl.dataset.shown = shown.length;
    var where = s.mode === "day" ? "on " + s.day : "from " + (s.from || FIRST) + " to " + s.day;
    $("count").textContent = shown.length + " incident" + (shown.length === 1 ? "" : "s") + " shown " + where +
      " (" + total + " in the whole range" + (features.length < total ? ", " + (total - features.length) + " without a location" : "") + ")";
    $("day-report").href = "/reports/" + s.day + ".html";
    $("day-report").textContent = "Daily report of " + s.day;
    var list = query(s); list.set("from", s.mode === "day" ? s.day : (s.from || FIRST)); list.set("to", s.day);
    $("day-list").href = "/incidents?" + list.toString();
    var rows = shown.slice(-200).reverse().map(function (f) {
      var p = f.properties;
      return "<tr><td>" + esc(p.day) + '</td><td><a href="/incidents/' + encodeURIComponent(p.id) + '">' + esc(p.title) +
        "</a></td><td>" + esc(p.place || "") + "</td><td>" + esc(p.sub_type || p.type) + '</td><td><span class="grade grade-' +
        esc(p.grade) + '">' + esc(p.grade) + "</span></td></tr>";
    });
    $("shown").innerHTML = rows.join("") || '<tr><td colspan="5">No incident in this view.</td></tr>';
  }

  function refreshCharts() {
    var s = state(), q = "?from=" + (s.from || FIRST) + "&to=" + (s.to || LAST);
    ["violations", "casualties", "control"].forEach(function (n) { $("chart-" + n).src = "/charts/" + n + ".svg" + q; });
  }

  var timer = null;
  $("day").addEventListener("input", function () {
    syncSlider(addDays($("from").value || FIRST, Number($("day").value)));
    render(); writeHash();
    clearTimeout(timer);
    timer = setTimeout(function () { loadGeometry(state().day); }, 150);
  });
  document.querySelectorAll('input[name="mode"]').forEach(function (r) { r.addEventListener("change", function () { render(); writeHash(); }); });
  $("filters").addEventListener("change", function (e) {
    if (e.target.name === "day" || e.target.name === "mode") return;
    if (e.target.id === "from" || e.target.id === "to") { syncSlider(state().day); refreshCharts(); }
    loadIncidents(); loadGeometry(state().day); writeHash();
  });
  $("filters").addEventListener("submit", function (e) { e.preventDefault(); });
  $("reset").addEventListener("click", function () {
    setTimeout(function () { syncSlider(); loadIncidents(); loadGeometry(state().day); refreshCharts(); writeHash(); }, 0);
  });
  map.on("moveend", writeHash);

  if (window.matchMedia("(max-width: 899px)").matches) document.querySelector("details.more").open = false;
  readHash();
  refreshCharts();
  loadGeometry(state().day).then(loadIncidents);
})();
