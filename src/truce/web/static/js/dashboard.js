/* The dashboard map: an offline base layer from the shipped borders, the
   line of contact of the day shown, places, and published incidents
   coloured by type and shaped by grade, clustered when zoomed out (a
   cluster shows the types it holds as a ring and its grades as glyphs).
   Places are small solid dots, labelled most important first wherever a
   label overlaps no incident, cluster, place dot or other label.
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
  var labelLayer = L.layerGroup().addTo(map), places = [];
  var cluster = L.markerClusterGroup({ maxClusterRadius: 52, disableClusteringAtZoom: 11, showCoverageOnHover: false,
                                       iconCreateFunction: clusterIcon });
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
    places = g.places.features.slice().sort(function (a, b) { return a.properties.rank - b.properties.rank; });
    places.forEach(function (f) {
      var c = f.geometry.coordinates;
      // a small solid dark dot: nothing like an incident glyph, hollow or not
      f._dot = L.circleMarker([c[1], c[0]], { radius: 2.2, color: "#ffffff", weight: 0.8, fillColor: "#222222",
                                              fillOpacity: 1, interactive: false, className: "place-dot" }).addTo(placeLayer);
    });
  }

  /* Labels, most important place first, each where its box (and a 2 px
     margin) overlaps no incident marker, cluster, place dot or earlier label.
     Tried beside the dot first (right, left, above, below, then the
     diagonals); a key place (the first of the naming setting's map.first) whose dot a
     cluster covers is labelled further out, tied to its dot by a thin line. */
  var measure = document.createElement("canvas").getContext("2d");
  var GAP = 2, LABEL_H = 14, CROWD = 18;
  function layoutLabels() {
    placeGradeRows();
    labelLayer.clearLayers();
    if (!places.length) return;
    var box = mapEl.getBoundingClientRect(), taken = [], dots = [];
    mapEl.querySelectorAll(".inc-icon, .marker-cluster, .leaflet-control").forEach(function (el) {
      var u = null;  // the element with all it draws (a cluster's grade row overflows its box)
      [el].concat(Array.prototype.slice.call(el.querySelectorAll("*"))).forEach(function (e) {
        var r = e.getBoundingClientRect();
        if (!r.width || !r.height) return;
        u = u ? { x0: Math.min(u.x0, r.left), y0: Math.min(u.y0, r.top), x1: Math.max(u.x1, r.right), y1: Math.max(u.y1, r.bottom) }
              : { x0: r.left, y0: r.top, x1: r.right, y1: r.bottom };
      });
      if (!u) return;
      var own = el.getBoundingClientRect();  // a cluster's ring is the square at its top
      taken.push({ x0: u.x0 - box.left, y0: u.y0 - box.top, x1: u.x1 - box.left, y1: u.y1 - box.top,
                   cx: own.left + own.width / 2 - box.left, cy: own.top + own.width / 2 - box.top });
    });
    var markers = taken.slice();
    // a dot within CROWD px of a more important place's dot (a city's districts
    // around the city) is hidden at this zoom, so it cannot crowd out that
    // label; a key place's dot never is
    places.forEach(function (f) {
      var c = f.geometry.coordinates, pt = map.latLngToContainerPoint([c[1], c[0]]);
      f._pt = pt;
      f._hidden = !f.properties.key && dots.some(function (d) { return Math.hypot(d.x - pt.x, d.y - pt.y) < CROWD; });
      f._dot.setStyle(f._hidden ? { opacity: 0, fillOpacity: 0 } : { opacity: 1, fillOpacity: 1 });
      if (!f._hidden && pt.x > -20 && pt.y > -20 && pt.x < box.width + 20 && pt.y < box.height + 20)
        dots.push({ x0: pt.x - 3, y0: pt.y - 3, x1: pt.x + 3, y1: pt.y + 3, x: pt.x, y: pt.y });
    });
    taken = taken.concat(dots);
    measure.font = "11px " + getComputedStyle(mapEl).fontFamily;  // the labels' own font
    var limit = Math.round(box.width * box.height / 9000), shown = 0;
    function free(r) {
      if (r.x0 < GAP || r.y0 < GAP || r.x1 > box.width - GAP || r.y1 > box.height - GAP) return false;
      return taken.every(function (t) {
        return r.x1 + GAP <= t.x0 || t.x1 + GAP <= r.x0 || r.y1 + GAP <= t.y0 || t.y1 + GAP <= r.y0;
      });
    }
    // a leader line from the dot to the label's nearest edge must pass over no
    // marker or cluster (it would read as that marker's label)
    function textWidth(lines) {
      return Math.max.apply(null, lines.map(function (l) { return Math.ceil(measure.measureText(l).width) + 6; }));
    }
    function crosses(pt, r) {
      var ex = Math.max(r.x0, Math.min(pt.x, r.x1)), ey = Math.max(r.y0, Math.min(pt.y, r.y1));
      return markers.some(function (m) {
        if (m.x0 <= pt.x && pt.x <= m.x1 && m.y0 <= pt.y && pt.y <= m.y1) return false;  // the marker on the dot itself
        for (var t = 0.05; t <= 1; t += 0.05) {
          var x = pt.x + (ex - pt.x) * t, y = pt.y + (ey - pt.y) * t;
          if (m.x0 <= x && x <= m.x1 && m.y0 <= y && y <= m.y1) return true;
        }
        return false;
      });
    }
    function candidates(pt, w, h, key) {
      // beside the dot (right, left, above, below, the diagonals); a key place
      // also further out, nearest first, and away from a marker covering its
      // dot (Shusha's label stays south of the cluster on Stepanakert)
      var found = [], away = null;
      markers.forEach(function (m) {
        if (m.x0 <= pt.x && pt.x <= m.x1 && m.y0 <= pt.y && pt.y <= m.y1)
          away = { x: pt.x - m.cx, y: pt.y - m.cy };
      });
      // a place whose dot a marker covers (the town an incident happened in) is also tried a little further out
      var turns = key || away ? 16 : 8;
      var reach = key ? [5, 9, 13, 17, 21, 25, 30, 35, 40, 46, 52, 60, 68] : away ? [5, 9, 13, 17, 21, 25, 30] : [5];
      reach.forEach(function (d) {
        for (var n = 0; n < turns; n++) {
          var a = 2 * Math.PI * n / turns, cx = Math.cos(a), cy = -Math.sin(a);
          // the box's edge (or corner) nearest the dot lies d px from it in direction a
          var x0 = Math.abs(cx) < 0.2 ? pt.x - w / 2 : cx > 0 ? pt.x + d * cx : pt.x + d * cx - w;
          var y0 = Math.abs(cy) < 0.2 ? pt.y - h / 2 : cy > 0 ? pt.y + d * cy : pt.y + d * cy - h;
          var r = { x0: x0, y0: y0, x1: x0 + w, y1: y0 + h, reach: d, order: n % 2 ? n + turns : n };
          if (away && Math.abs(away.x) + Math.abs(away.y) > 3 && (cx * away.x + cy * away.y) < 0) r.reach += 25;
          found.push(r);
        }
      });
      return found.sort(function (a, b) { return a.reach - b.reach || a.order - b.order; });
    }
    places.some(function (f) {
      if (shown >= limit) return true;
      if (f._hidden) return false;
      var pt = f._pt, name = f.properties.name, lines = [name];
      var spots = candidates(pt, textWidth(lines), LABEL_H, f.properties.key);
      if (name.indexOf(" / ") > 0) {  // both names of a place: stacked, two lines, where one line has no room
        var stacked = name.split(" / ").map(function (part, i, all) { return i < all.length - 1 ? part + " /" : part; });
        spots = spots.concat(candidates(pt, textWidth(stacked), LABEL_H * stacked.length, f.properties.key)
          .map(function (r) { r.lines = stacked; return r; }));
      }
      for (var n = 0; n < spots.length; n++) {
        var r = spots[n];
        if (!free(r) || (r.reach > 6 && crosses(pt, r))) continue;
        lines = r.lines || lines;
        taken.push(r);
        if (r.reach > 6) {  // away from its dot: a leader line to the label's nearest edge
          var ex = Math.max(r.x0, Math.min(pt.x, r.x1)), ey = Math.max(r.y0, Math.min(pt.y, r.y1));
          L.polyline([map.containerPointToLatLng(pt), map.containerPointToLatLng([ex, ey])],
                      { color: "#444444", weight: 1, interactive: false, className: "place-leader" }).addTo(labelLayer);
        }
        L.marker(map.containerPointToLatLng([r.x0, r.y0]), {
          interactive: false, keyboard: false,
          icon: L.divIcon({ className: "place-label", html: lines.map(esc).join("<br>"),
                            iconSize: [r.x1 - r.x0, r.y1 - r.y0], iconAnchor: [0, 0] })
        }).addTo(labelLayer);
        shown += 1;
        return false;
      }
      return false;
    });
    mapEl.dataset.labels = shown;
  }

  /* A cluster's row of grades sits below its ring, or else above, right or
     left of it: the first side where it covers no other marker's or
     cluster's ring and no grade row placed before it. The ring never moves. */
  var SIDES = ["below", "above", "right", "left"];
  function placeGradeRows() {
    var box = mapEl.getBoundingClientRect();
    function rect(el) {
      var r = el.getBoundingClientRect();
      return { x0: r.left - box.left, y0: r.top - box.top, x1: r.right - box.left, y1: r.bottom - box.top };
    }
    function apart(a, b) { return a.x1 + 1 <= b.x0 || b.x1 + 1 <= a.x0 || a.y1 + 1 <= b.y0 || b.y1 + 1 <= a.y0; }
    var clusters = Array.prototype.slice.call(mapEl.querySelectorAll(".truce-cluster"));
    var rings = Array.prototype.slice.call(mapEl.querySelectorAll(".inc-icon")).map(function (el) {
      return { el: el, r: rect(el) };
    }).concat(clusters.map(function (el) { return { el: el, r: rect(el.querySelector("svg")) }; }));
    var placed = [];
    clusters.forEach(function (el) {
      var holder = el.firstElementChild, row = el.querySelector(".cgrades");
      if (!row) return;
      var side = SIDES.filter(function (s) {
        holder.dataset.side = s;
        var r = rect(row);
        return rings.every(function (o) { return o.el === el || apart(r, o.r); }) &&
          placed.every(function (p) { return apart(r, p); });
      })[0] || "below";
      holder.dataset.side = side;
      placed.push(rect(row));
    });
  }

  /* A cluster: a ring of the event types it holds (in proportion), its count
     in the middle, and a glyph per grade with how many of each. */
  function clusterIcon(group) {
    var types = {}, grades = {}, n = 0;
    group.getAllChildMarkers().forEach(function (m) {
      var p = m.options.incident || {};
      types[p.type] = (types[p.type] || 0) + 1;
      grades[p.grade] = (grades[p.grade] || 0) + 1;
      n += 1;
    });
    var size = n < 10 ? 34 : n < 100 ? 40 : 46, h = size / 2, r = h - 4, circ = 2 * Math.PI * r, at = 0, ring = "";
    Object.keys(types).sort().forEach(function (t) {
      var part = types[t] / n * circ;
      ring += '<circle cx="' + h + '" cy="' + h + '" r="' + r + '" fill="none" stroke="' + (style.types[t] || "#555") +
        '" stroke-width="6" stroke-dasharray="' + part + " " + (circ - part) + '" stroke-dashoffset="' + (-at) +
        '" data-type="' + esc(t) + '"/>';
      at += part;
    });
    var order = Object.keys(style.grades), marks = order.filter(function (g) { return grades[g]; }).map(function (g) {
      return '<span class="cg" data-grade="' + esc(g) + '">' + glyph(g, "#666666", 10) + grades[g] + "</span>";
    }).join("");
    var title = n + " incidents: " + Object.keys(types).sort().map(function (t) { return types[t] + " " + t; }).join(", ") +
      "; grades: " + order.filter(function (g) { return grades[g]; }).map(function (g) { return grades[g] + " " + g; }).join(", ");
    return L.divIcon({
      className: "marker-cluster truce-cluster", iconSize: [size, size], iconAnchor: [h, h],
      html: '<div data-side="below" style="width:' + size + 'px;height:' + size + 'px" title="' + esc(title) +
        '" role="img" aria-label="' + esc(title) + '"><svg style="width:' + size + 'px;height:' + size + 'px;flex:none" width="' + size + '" height="' + size +
        '" viewBox="0 0 ' + size + " " + size + '" aria-hidden="true"><circle cx="' + h + '" cy="' + h + '" r="' + (r - 3) +
        '" fill="#ffffff"/>' + ring + '<text x="' + h + '" y="' + (h + 4) + '" text-anchor="middle" font-size="11" font-weight="bold">' +
        n + '</text></svg><div class="cgrades">' + marks + "</div></div>"
    });
  }

  function loadGeometry(day) {
    if (day === lineDay) return Promise.resolve();
    lineDay = day;
    return fetch("/api/map/geometry?date=" + day).then(function (r) { return r.json(); }).then(function (g) {
      if (!baseDrawn) { drawBase(g); baseDrawn = true; }
      lineLayer.clearLayers();
      // the ground that had changed hands by the day, a light shade under the line
      if (g.line.changed_ground) L.geoJSON(g.line.changed_ground, {
        interactive: false,
        style: function (f) { return { stroke: false, fillColor: (style.parties || {})[f.properties.side] || "#444444", fillOpacity: 0.22 }; }
      }).addTo(lineLayer);
      L.geoJSON(g.line, {
        style: { color: "#b2182b", weight: 3.5, opacity: 0.95 },
        onEachFeature: function (f, layer) {
          layer.bindTooltip("Line of contact on " + esc(day) + (g.line.derivation ? ": " + esc(g.line.derivation) : ", " + esc(f.properties.sector)), { sticky: true });
        }
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
        title: label, alt: label, keyboard: true, incident: p
      }).bindPopup('<p class="pop-title"><a href="/incidents/' + encodeURIComponent(p.id) + '">' + esc(p.title) + "</a></p><p>" +
        esc(p.day) + " · " + esc(p.place || "") + "<br>" + esc(p.sub_type || p.type) + " · grade " + esc(p.grade) +
        (p.violation ? " · <strong>ceasefire violation</strong>" : "") + "</p>");
    }));
    mapEl.dataset.shown = shown.length;
    setTimeout(layoutLabels, 0);
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
  map.on("zoomend moveend", function () { setTimeout(layoutLabels, 0); });
  cluster.on("animationend", layoutLabels);

  if (window.matchMedia("(max-width: 899px)").matches) document.querySelector("details.more").open = false;
  readHash();
  refreshCharts();
  loadGeometry(state().day).then(loadIncidents);
})();
