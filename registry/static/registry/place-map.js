/* Maps in the admin (registry/admin/maps.py): a place's geometry drawn and edited, and the place list on a map.
   Data come from data- attributes and json_script blocks only (the site's CSP allows no inline script). */
(function () {
  "use strict";

  function baseMap(element) {
    var settings = JSON.parse(element.getAttribute("data-map-settings") || "{}");
    var map = L.map(element, { center: [31.82, 117.23], zoom: 10 });  // 合肥 until a feature says where
    if (settings.tiles) {
      L.tileLayer(settings.tiles, { attribution: settings.attribution || "", maxZoom: 18 }).addTo(map);
    } else {
      element.classList.add("no-tiles");
      var note = document.createElement("div");
      note.className = "place-map-note";
      note.textContent = "未配置底图（REGISTRY_TILE_URL）：仅显示地名库要素";
      element.appendChild(note);
    }
    return { map: map, settings: settings };
  }

  function field(id) { return document.getElementById(id); }

  function readGeometry(textarea) {
    var text = (textarea.value || "").trim();
    if (!text) { return null; }
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function writePoint(latlng) {
    var lon = field("id_longitude"), lat = field("id_latitude");
    if (lon && lat) {
      lon.value = latlng.lng.toFixed(6);
      lat.value = latlng.lat.toFixed(6);
      lon.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function neighbours(map, layer, lon, lat) {
    var url = "/api/v1/places/?format=geojson&page_size=200&radius=3000&near=" + lon + "," + lat;
    fetch(url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        data.features.forEach(function (f) {
          if (!f.geometry || f.geometry.type !== "Point") { return; }
          var c = f.geometry.coordinates;
          L.circleMarker([c[1], c[0]], { radius: 4, color: "#777", weight: 1, fillOpacity: 0.6 })
            .bindTooltip(f.properties.name).addTo(layer);
        });
      });
  }

  function drawTools(map, drawn, category, settings) {
    var lines = (settings.lines || []).indexOf(category) >= 0;
    var areas = (settings.areas || []).indexOf(category) >= 0;
    var control = new L.Control.Draw({
      draw: { marker: true, circlemarker: false, circle: false, rectangle: false,
              polyline: lines ? { shapeOptions: { color: "#b71c1c", weight: 4 } } : false,
              polygon: areas ? { shapeOptions: { color: "#b71c1c" } } : false },
      edit: { featureGroup: drawn }
    });
    map.addControl(control);
  }

  function syncGeometry(textarea, drawn) {
    var shapes = [];
    drawn.eachLayer(function (layer) { if (!(layer instanceof L.Marker)) { shapes.push(layer.toGeoJSON().geometry); } });
    textarea.value = shapes.length ? JSON.stringify(shapes[shapes.length - 1]) : "";
    textarea.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function placeMap(element) {
    var textarea = field(element.getAttribute("data-geometry-input"));
    var made = baseMap(element), map = made.map;
    var drawn = new L.FeatureGroup().addTo(map), around = new L.LayerGroup().addTo(map);
    var geometry = readGeometry(textarea);
    if (geometry) { L.geoJSON(geometry).eachLayer(function (layer) { drawn.addLayer(layer); }); }
    var lon = parseFloat((field("id_longitude") || {}).value), lat = parseFloat((field("id_latitude") || {}).value);
    if (!isNaN(lon) && !isNaN(lat)) { drawn.addLayer(L.marker([lat, lon])); neighbours(map, around, lon, lat); }
    if (drawn.getLayers().length) { map.fitBounds(drawn.getBounds(), { maxZoom: 16, padding: [20, 20] }); }
    var category = (field("id_category") || {}).value || textarea.getAttribute("data-category") || "";
    drawTools(map, drawn, category, made.settings);
    map.on(L.Draw.Event.CREATED, function (event) {
      if (event.layerType === "marker") {
        drawn.eachLayer(function (layer) { if (layer instanceof L.Marker) { drawn.removeLayer(layer); } });
        drawn.addLayer(event.layer);
        writePoint(event.layer.getLatLng());
        return;
      }
      drawn.eachLayer(function (layer) { if (!(layer instanceof L.Marker)) { drawn.removeLayer(layer); } });
      drawn.addLayer(event.layer);
      syncGeometry(textarea, drawn);
    });
    map.on(L.Draw.Event.EDITED, function () {
      drawn.eachLayer(function (layer) { if (layer instanceof L.Marker) { writePoint(layer.getLatLng()); } });
      syncGeometry(textarea, drawn);
    });
    map.on(L.Draw.Event.DELETED, function () { syncGeometry(textarea, drawn); });
    element.registryMap = map;
  }

  function listMap(element) {
    var map = baseMap(element).map;
    var data = JSON.parse(document.getElementById(element.getAttribute("data-features")).textContent);
    // A location map (a proposal's or a round item's) has one subject, in red, among grey neighbours.
    var focused = data.features.some(function (f) { return f.properties.subject; });
    function colour(f) { return !focused || f.properties.subject ? "#b71c1c" : "#616161"; }
    var layer = L.geoJSON(data, {
      style: function (f) { return { color: colour(f), weight: f.properties.subject ? 4 : 3 }; },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: f.properties.subject ? 7 : 5, color: colour(f), weight: 1, fillOpacity: 0.8 });
      },
      onEachFeature: function (f, l) {
        if (!f.properties.url) { l.bindTooltip(f.properties.name, { permanent: true, direction: "top" }); return; }
        var link = document.createElement("a");
        link.href = f.properties.url;
        link.textContent = f.properties.name + "（" + f.properties.category + "）";
        l.bindPopup(link).bindTooltip(f.properties.name);
      }
    }).addTo(map);
    if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { maxZoom: 15, padding: [20, 20] }); }
    element.registryMap = map;
  }

  function chineseDrawLabels() {
    if (!L.drawLocal) { return; }
    var t = L.drawLocal.draw.toolbar, h = L.drawLocal.draw.handlers, e = L.drawLocal.edit;
    t.actions = { title: "取消绘制", text: "取消" };
    t.finish = { title: "完成绘制", text: "完成" };
    t.undo = { title: "撤销最后一个点", text: "撤销最后一点" };
    t.buttons.polyline = "画线（道路、河流、桥梁）";
    t.buttons.polygon = "画面（居民区、湖泊、乡镇、村）";
    t.buttons.marker = "选点（填入经度和纬度）";
    h.marker.tooltip.start = "在地图上点击选点";
    h.polyline.tooltip = { start: "点击开始画线", cont: "点击继续画线", end: "点击最后一点结束画线" };
    h.polyline.error = "<strong>错误：</strong>线不能自相交！";
    h.polygon.tooltip = { start: "点击开始画面", cont: "点击继续画面", end: "点击第一个点闭合" };
    e.toolbar.actions.save = { title: "保存修改", text: "保存" };
    e.toolbar.actions.cancel = { title: "放弃修改", text: "取消" };
    e.toolbar.actions.clearAll = { title: "清除全部", text: "清除全部" };
    e.toolbar.buttons = { edit: "编辑图形", editDisabled: "没有可编辑的图形", remove: "删除图形", removeDisabled: "没有可删除的图形" };
    e.handlers.edit.tooltip = { text: "拖动节点或标记以修改", subtext: "点击“取消”放弃修改" };
    e.handlers.remove.tooltip = { text: "点击要删除的图形" };
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") { return; }
    chineseDrawLabels();
    document.querySelectorAll(".place-map[data-geometry-input]").forEach(placeMap);
    document.querySelectorAll(".place-map[data-features]").forEach(listMap);
  });
})();
