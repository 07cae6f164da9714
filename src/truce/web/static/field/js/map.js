// The offline map: the shipped borders, the 1994-2020 region, the line of
// contact and the larger places, from GET /api/map/geometry (kept on the
// device), drawn by the locally served Leaflet. No tiles: nothing is
// fetched from the internet. A tap sets the observer's position.

const STYLE = {
  borders: { color: "#444", weight: 1.5, fillColor: "#f4f1e8", fillOpacity: 1 },
  region: { color: "#7a4b00", weight: 1.5, dashArray: "4 4", fillColor: "#f0d9a8", fillOpacity: 0.45 },
  line: { color: "#b2182b", weight: 4 },
};

export class PositionMap {
  constructor(element, geometry, theatre, onPick) {
    const L = window.L;
    this.L = L;
    this.map = L.map(element, { attributionControl: false, zoomSnap: 0.5 });
    this.map.getContainer().style.background = "#cfe3f5";
    if (geometry) {
      L.geoJSON(geometry.borders, { style: STYLE.borders, interactive: false }).addTo(this.map);
      if (geometry.region) L.geoJSON(geometry.region, { style: STYLE.region, interactive: false }).addTo(this.map);
      if (geometry.line) L.geoJSON(geometry.line, { style: STYLE.line, interactive: false }).addTo(this.map);
      if (geometry.places) {
        L.geoJSON(geometry.places, {
          interactive: false,
          pointToLayer: (feature, at) => {
            const dot = L.circleMarker(at, { radius: 3, color: "#000", weight: 1, fillColor: "#000", fillOpacity: 1, interactive: false });
            if (feature.properties.label) dot.bindTooltip(feature.properties.name, { permanent: true, direction: "right", className: "place-label", interactive: false });
            return dot;
          },
        }).addTo(this.map);
      }
    }
    this.bounds = [[theatre.south, theatre.west], [theatre.north, theatre.east]];
    this.fitted = false;
    this.map.fitBounds(this.bounds);
    this.tasks = L.layerGroup().addTo(this.map);
    this.marker = null;
    this.map.on("click", (e) => onPick(e.latlng.lat, e.latlng.lng));
  }

  setPosition(lat, lon, accuracy) {
    const L = this.L;
    if (this.marker) this.marker.remove();
    if (typeof lat !== "number" || typeof lon !== "number" || Number.isNaN(lat) || Number.isNaN(lon)) { this.marker = null; return; }
    const group = [L.circleMarker([lat, lon], { radius: 9, color: "#fff", weight: 3, fillColor: "#0047ff", fillOpacity: 1 })];
    if (accuracy) group.push(L.circle([lat, lon], { radius: accuracy, color: "#0047ff", weight: 1, fillOpacity: 0.1 }));
    this.marker = L.layerGroup(group).addTo(this.map);
    if (!this.map.getBounds().contains([lat, lon])) this.map.panTo([lat, lon]);
  }

  showTasks(tasks) {
    const L = this.L;
    this.tasks.clearLayers();
    for (const task of tasks) {
      if (task.latitude == null) continue;
      L.circle([task.latitude, task.longitude], { radius: task.radius_m || 1000, color: "#6b4a00", weight: 3, dashArray: "6 4", fillOpacity: 0.08, interactive: false })
        .bindTooltip(task.title, { permanent: false }).addTo(this.tasks);
    }
  }

  /** After the map's screen is shown: a map made while hidden has no size. */
  refresh() {
    this.map.invalidateSize();
    if (!this.fitted && this.map.getSize().x > 0) {
      this.map.fitBounds(this.bounds);
      this.fitted = true;
    }
  }
}
