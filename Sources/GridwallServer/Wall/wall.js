// The map wall: MapLibre over Gridwall's own style, tiles and stream, with no request to any
// other host. Plain script, no build step: what is served is what runs.
//
// What it keeps up to date, and how:
// - the window (last 24 h / 7 / 30 days) and categories go into every filtered source's URL
//   (grids coloured by class, events, hexagon heat, density tiles) and into /summary;
// - a timer re-reads them (the window slides with the clock); the stream (/stream, read with
//   fetch so a token can go in a header) brings new events, status changes and responder
//   moves at once, without waiting for the timer;
// - responders are a GeoJSON source of their own, so a move is one setData, not a tile reload.
'use strict';

(() => {
  const origin = location.origin;
  const params = new URLSearchParams(location.search);

  // A token for a server that has them: ?token=… once (kept in this browser), then headers only.
  if (params.has('token')) {
    localStorage.setItem('gridwall.token', params.get('token'));
    params.delete('token');
    history.replaceState(null, '', location.pathname + (params.toString() ? '?' + params : ''));
  }
  const token = localStorage.getItem('gridwall.token') || '';
  const authHeaders = token ? { Authorization: 'Bearer ' + token } : {};

  const state = {
    windowSeconds: Number(params.get('window') || 604800),
    categories: null,          // null: all
    heat: params.get('heat') || 'density',
    refreshSeconds: 30,
    latest: null,              // ms of the newest stored event
    end: null,                 // ms; the window is [end - windowSeconds, end)
    anchoredToData: false,     // true when no event is recent: the window ends at the newest one
    summary: null,
    knownCategories: [],
    selection: null,
  };
  const el = (id) => document.getElementById(id);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  // ---- The API -----------------------------------------------------------------------------

  async function api(path, options = {}) {
    const response = await fetch(origin + path, { ...options, headers: { ...authHeaders, ...(options.headers || {}) } });
    if (!response.ok) {
      let message = response.statusText;
      try { message = (await response.json()).error.message; } catch (_) { /* not the JSON error shape */ }
      throw new Error(`${path}: ${response.status} ${message}`);
    }
    return response.json();
  }

  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const minute = 60000;

  /// Where the window ends: now, unless nothing happened within a window's length of now (a
  /// replayed or sample data set), then just after the newest event, so the wall never goes
  /// blank because the feed paused. Rounded up to the minute so tile URLs stay the same (and
  /// cached) within a minute.
  function placeWindow() {
    const now = Date.now();
    state.anchoredToData = state.latest !== null && now - state.latest > state.windowSeconds * 1000;
    const end = state.anchoredToData ? state.latest + 1000 : now;
    state.end = Math.ceil(end / minute) * minute;
  }

  function windowQuery() {
    const q = new URLSearchParams({ from: iso(state.end - state.windowSeconds * 1000), to: iso(state.end) });
    if (state.categories) q.set('category', [...state.categories].join(','));
    return q.toString();
  }

  // ---- The map -----------------------------------------------------------------------------

  // The sources whose tiles depend on the window and categories.
  const filteredSources = ['district', 'streets', 'communities', 'grids', 'events', 'heat'];
  // What the layer switches show and hide.
  const layerGroups = [
    ['Buildings (3D)', ['buildings-3d']],
    ['Grids', ['grids-fill', 'grids-line']],
    ['Communities and streets', ['communities-line', 'streets-line']],
    ['Cameras', ['cameras']],
    ['Events in the window', ['events']],
    ['Responders', ['responders-live']],
    ['New events', ['live-events', 'live-pulse']],
  ];

  function transformRequest(url) {
    // Our own requests carry the token; tiles revalidate (304s are cheap) so a refresh is real.
    if (url.startsWith(origin)) return { url, headers: authHeaders, cache: 'no-cache' };
    return { url };
  }

  async function createMap() {
    const [style, layers] = await Promise.all([api('/style.json?' + windowQuery()), api('/layers')]);
    // Responders come from a live GeoJSON source instead of tiles (a move is drawn at once).
    style.layers = style.layers.filter((l) => l.id !== 'responders');
    const areas = layers.layers.find((l) => l.name === 'areas');
    const center = areas && areas.bbox ? [(areas.bbox[0] + areas.bbox[2]) / 2, (areas.bbox[1] + areas.bbox[3]) / 2] : style.center;
    const map = new maplibregl.Map({
      container: 'map', style, center, zoom: Number(params.get('zoom') || 14), pitch: 60, bearing: -17, maxPitch: 75,
      attributionControl: false, transformRequest, fadeDuration: 0,
      // ?scale=0.5 draws at half the resolution and lets the browser stretch it: for a wall
      // driven by a software renderer, where every pixel costs (see BENCHMARKS.md).
      ...(params.has('scale') ? { pixelRatio: Math.max(0.25, Math.min(4, Number(params.get('scale')) || 1)) } : {}),
    });
    map.addControl(new maplibregl.NavigationControl({ visualizePitch: true }), 'bottom-right');
    await new Promise((resolve) => map.once('load', resolve));

    map.addSource('density', { type: 'raster', tiles: [densityTiles()], tileSize: 256, minzoom: 10, maxzoom: 18 });
    // Above the grid colours (its low end fades out), below the boundaries and buildings.
    map.addLayer({ id: 'density', type: 'raster', source: 'density', paint: { 'raster-opacity': 0.7, 'raster-fade-duration': 0 } }, 'grids-line');

    map.addSource('responders-live', { type: 'geojson', data: emptyCollection(), promoteId: 'id' });
    map.addLayer({
      id: 'responders-live', type: 'circle', source: 'responders-live',
      paint: {
        'circle-radius': 5.5, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.2,
        'circle-color': ['match', ['get', 'status'], 'available', '#1a9641', 'busy', '#d7191c', '#888888'],
      },
    });
    map.addSource('live', { type: 'geojson', data: emptyCollection(), promoteId: 'id' });
    map.addLayer({ id: 'live-pulse', type: 'circle', source: 'live', filter: ['==', ['get', 'fresh'], true],
      paint: { 'circle-radius': 8, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#fff176', 'circle-stroke-width': 2.5 } });
    map.addLayer({ id: 'live-events', type: 'circle', source: 'live',
      paint: { 'circle-radius': 6, 'circle-color': '#fff176', 'circle-stroke-color': '#ff7043', 'circle-stroke-width': 1.5 } });
    map.addSource('sight', { type: 'geojson', data: emptyCollection() });
    map.addLayer({ id: 'sight-lines', type: 'line', source: 'sight', filter: ['==', ['geometry-type'], 'LineString'],
      paint: { 'line-color': ['case', ['get', 'visible'], '#4fc3f7', '#55606e'], 'line-width': 2, 'line-dasharray': [2, 1] } });
    map.addLayer({ id: 'sight-points', type: 'circle', source: 'sight', filter: ['==', ['geometry-type'], 'Point'],
      paint: { 'circle-radius': 6, 'circle-color': ['case', ['get', 'visible'], '#4fc3f7', '#55606e'],
               'circle-stroke-color': '#ffffff', 'circle-stroke-width': ['case', ['get', 'target'], 2, 0] } });
    return map;
  }

  const emptyCollection = () => ({ type: 'FeatureCollection', features: [] });
  const densityTiles = () => `${origin}/tiles/heat/{z}/{x}/{y}.png?${windowQuery()}&bandwidth_m=250&cell_m=50`;

  function applyHeatMode(map) {
    map.setLayoutProperty('density', 'visibility', state.heat === 'density' ? 'visible' : 'none');
    map.setLayoutProperty('heat', 'visibility', state.heat === 'hexagons' ? 'visible' : 'none');
  }

  /// Points every filtered source at the current window and categories, when either changed
  /// or events came in since the last time (reloading tiles costs a redraw of the whole wall).
  let loadedQuery = null, eventsSinceReload = false;
  function reloadSources(map) {
    const q = windowQuery();
    if (q === loadedQuery && !eventsSinceReload) return;
    loadedQuery = q;
    eventsSinceReload = false;
    for (const name of filteredSources) map.getSource(name).setUrl(`${origin}/tiles/${name}.json?${q}`);
    map.getSource('density').setTiles([densityTiles()]);
  }

  // ---- Responders and live events ------------------------------------------------------------

  const responders = new Map();   // id → feature
  const live = new Map();         // event id → feature (the events that came in since the page opened)
  const pulseMs = 10000;

  async function loadResponders(map) {
    const answer = await api('/collections/responders/items?limit=10000');
    responders.clear();
    for (const f of answer.features) {
      responders.set(String(f.id), { type: 'Feature', id: String(f.id), geometry: f.geometry, properties: { ...f.properties, id: String(f.id) } });
    }
    map.getSource('responders-live').setData({ type: 'FeatureCollection', features: [...responders.values()] });
  }

  function onResponder(map, m) {
    const f = responders.get(m.id);
    if (!f) return;
    if (typeof m.lon === 'number' && typeof m.lat === 'number') f.geometry = { type: 'Point', coordinates: [m.lon, m.lat] };
    if (m.status) f.properties = { ...f.properties, status: m.status };
    map.getSource('responders-live').setData({ type: 'FeatureCollection', features: [...responders.values()] });
  }

  function onEvent(map, m) {
    live.set(m.id, { type: 'Feature', id: m.id, geometry: { type: 'Point', coordinates: [m.lon, m.lat] },
      properties: { ...m, fresh: true, arrived: performance.now() } });
    drawLive(map);
    pulse(map);
  }

  function onStatus(map, m) {
    const f = live.get(m.id);
    if (f) { f.properties = { ...f.properties, status: m.status }; drawLive(map); }
  }

  function drawLive(map) {
    map.getSource('live').setData({ type: 'FeatureCollection', features: [...live.values()] });
  }

  // New events pulse for ten seconds: one ring grows and fades on all of them (one paint
  // change a frame, not one data change per event).
  let pulsing = false;
  function pulse(map) {
    if (pulsing) return;
    pulsing = true;
    const step = () => {
      const now = performance.now();
      let fresh = 0;
      for (const f of live.values()) {
        if (f.properties.fresh && now - f.properties.arrived > pulseMs) f.properties = { ...f.properties, fresh: false };
        if (f.properties.fresh) fresh++;
      }
      if (fresh === 0) { drawLive(map); pulsing = false; return; }
      const phase = (now % 1200) / 1200;
      map.setPaintProperty('live-pulse', 'circle-radius', 7 + 22 * phase);
      map.setPaintProperty('live-pulse', 'circle-stroke-opacity', 1 - phase);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  }

  /// Server-Sent Events read with fetch (EventSource cannot send the token header); resumes
  /// with Last-Event-ID, and re-reads everything after a `reset` or `dropped`.
  async function followStream(map) {
    let lastId = null;
    for (;;) {
      try {
        const headers = { ...authHeaders, Accept: 'text/event-stream' };
        if (lastId) headers['Last-Event-ID'] = lastId;
        const response = await fetch(origin + '/stream?types=event,status,responder', { headers });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        wall.streaming = true;
        setLive(true);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const message = { event: 'message', data: '' };
            for (const line of block.split('\n')) {
              const colon = line.indexOf(':');
              if (colon <= 0) continue;     // a comment (": ping") or nothing
              const field = line.slice(0, colon), value = line.slice(colon + 1).replace(/^ /, '');
              if (field === 'data') message.data += value;
              else if (field === 'event') message.event = value;
              else if (field === 'id') lastId = value;
            }
            if (message.data) handle(map, message.event, message.data);
          }
        }
      } catch (error) {
        console.warn('stream:', error.message);
      }
      wall.streaming = false;
      setLive(false);
      await sleep(2000);
    }
  }

  function handle(map, kind, data) {
    let m;
    try { m = JSON.parse(data); } catch (_) { return; }
    if (kind === 'event') onEvent(map, m);
    else if (kind === 'status') onStatus(map, m);
    else if (kind === 'responder') onResponder(map, m);
    else if (kind === 'reset' || kind === 'dropped') loadResponders(map).catch(report);
    if (kind === 'event' || kind === 'status') { eventsSinceReload = true; scheduleSummary(map); }
  }

  // ---- The side panel -----------------------------------------------------------------------

  let summaryTimer = null;
  function scheduleSummary(map) {
    if (summaryTimer) return;
    summaryTimer = setTimeout(() => { summaryTimer = null; refreshSummary(map).catch(report); }, 1000);
  }

  async function refreshSummary() {
    const s = await api('/summary?' + windowQuery());
    state.summary = s;
    const format = (n) => Number(n).toLocaleString('en');
    el('fig-events').textContent = format(s.events);
    const change = el('fig-change');
    if (typeof s.change === 'number') {
      change.textContent = (s.change > 0 ? '+' : '') + format(s.change) + (s.change_pct != null ? ` (${s.change_pct > 0 ? '+' : ''}${s.change_pct}%)` : '');
      change.className = s.change > 0 ? 'up' : s.change < 0 ? 'down' : '';
    } else {
      change.textContent = '–';
    }
    el('fig-open').textContent = format(s.open);
    el('fig-available').textContent = format(s.responders.available || 0);
    const days = state.windowSeconds / 86400;
    el('window-label').textContent = days === 1 ? 'last 24 h' : `last ${days} days`;

    const categories = Object.entries(s.by_category).sort((a, b) => b[1] - a[1]);
    const max = categories.length ? categories[0][1] : 1;
    el('by-category').replaceChildren(...categories.slice(0, 12).map(([name, n]) => {
      const li = document.createElement('li');
      li.innerHTML = `<i style="width:${(n / max * 100).toFixed(1)}%"></i><span></span><span>${format(n)}</span>`;
      li.children[1].textContent = name.replace(/_/g, ' ');
      return li;
    }));
    el('top-grids').replaceChildren(...s.top_grids.map((g) => {
      const li = document.createElement('li');
      const change = typeof g.change === 'number' ? (g.change > 0 ? '+' : '') + g.change : '';
      li.innerHTML = `<span class="swatch" style="background:${g.colour};margin:2px 0"></span><span></span><span>${format(g.count)}</span><span class="${g.change > 0 ? 'up' : 'down'}">${change}</span>`;
      li.children[1].textContent = `${g.name} (${g.id})`;
      li.title = g.unit ? `Responsible: ${g.unit}` : '';
      li.onclick = () => wall.map.flyTo({ center: [g.lon, g.lat], zoom: 16, pitch: 60, duration: 2500 });
      return li;
    }));
    setStatus();
    return s;
  }

  function setStatus(extra) {
    const span = el('status');
    const range = `${iso(state.end - state.windowSeconds * 1000).slice(0, 16).replace('T', ' ')} – ${iso(state.end).slice(0, 16).replace('T', ' ')} UTC`;
    const note = state.anchoredToData ? ' · no recent events: showing the window up to the newest one' : '';
    span.textContent = (extra ? extra + ' · ' : '') + range + note + (wall.streaming ? ' · live ●' : ' · stream reconnecting…');
  }
  const setLive = () => setStatus();
  function report(error) {
    console.error(error);
    setStatus('⚠ ' + error.message);
  }

  // ---- Picking a point: the dispatcher view ------------------------------------------------

  function describe(pairs) {
    const dl = document.createElement('dl');
    for (const [k, v] of pairs) {
      if (v === undefined || v === null || v === '') continue;
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = v;
      dl.append(dt, dd);
    }
    return dl;
  }

  async function select(map, lngLat, point) {
    const grid = map.queryRenderedFeatures(point, { layers: ['grids-fill'] })[0];
    const event = map.queryRenderedFeatures(point, { layers: ['live-events', 'events'] }).find((f) => f.properties.id);
    const at = event ? { lng: event.geometry.coordinates[0], lat: event.geometry.coordinates[1] } : lngLat;
    const q = `lon=${at.lng.toFixed(7)}&lat=${at.lat.toFixed(7)}`;
    const body = el('selection-body');
    el('selection').hidden = false;
    el('selection-title').textContent = event ? `Event ${event.properties.id}` : grid ? `Grid ${grid.properties.name}` : 'Point';
    body.replaceChildren();
    if (grid) {
      const p = grid.properties;
      body.append(describe([
        ['Grid', `${p.name} (${p.id})`], ['Responsible unit', p.responsible_unit], ['Residents', p.population], ['Households', p.households],
        ['Events', p.count], ['Per km²', p.per_km2 !== undefined ? Number(p.per_km2).toFixed(1) : undefined],
        ['Change', p.change !== undefined ? (p.change > 0 ? '+' : '') + p.change : undefined], ['Class', p.class],
      ]));
    }
    if (event) {
      const p = event.properties;
      body.append(describe([['Category', p.category], ['Status', p.status], ['Source', p.source], ['Time', p.time]]));
    }
    const [assign, sights, nearest] = await Promise.all([
      api('/assign?' + q), api('/cameras/visible?explain=true&' + q), api('/nearest?k=5&' + q),
    ]);
    const chain = (a) => a ? `${a.name} (${a.id})` : '—';
    body.append(describe([
      ['Grid chain', assign.grid ? `${chain(assign.grid)} › ${chain(assign.community)} › ${chain(assign.street)}` : `outside (nearest ${chain(assign.nearest_grid)}, ${assign.distance_m} m)`],
      ['Building', assign.building ? `${assign.building.name || assign.building.id}, ${assign.building.height} m` : '—'],
    ]));
    const cams = document.createElement('ul');
    for (const c of sights.cameras) {
      const li = document.createElement('li');
      li.textContent = `${c.name || c.id} · ${Math.round(c.distance_m)} m` + (c.visible ? '' : ` · ${c.reason.replace(/_/g, ' ')}${c.blocked_by ? ' ' + c.blocked_by.id : ''}`);
      if (!c.visible) li.className = 'blocked';
      cams.append(li);
    }
    body.append(heading(`Cameras (${sights.cameras.filter((c) => c.visible).length} see it)`), cams);
    map.getSource('sight').setData({ type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [at.lng, at.lat] }, properties: { visible: true, target: true } },
      ...sights.cameras.flatMap((c) => [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [c.lon, c.lat] }, properties: { visible: c.visible, target: false } },
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[c.lon, c.lat], [at.lng, at.lat]] }, properties: { visible: c.visible } },
      ]),
    ] });

    const list = document.createElement('ul');
    for (const r of nearest.results) {
      const li = document.createElement('li');
      const eta = Math.round(r.eta_s);
      li.innerHTML = `<label><input type="checkbox" value=""> <span></span></label>`;
      li.querySelector('input').value = r.id;
      li.querySelector('span').textContent = `${r.name || r.id} (${r.kind}) · ${Math.round(r.distance_m)} m · ETA ${Math.floor(eta / 60)}:${String(eta % 60).padStart(2, '0')}`;
      list.append(li);
    }
    body.append(heading('Nearest free responders'), list);
    if (event && event.properties.status !== 'resolved') {
      const button = document.createElement('button');
      button.textContent = `Dispatch to ${event.properties.id}`;
      button.onclick = async () => {
        const chosen = [...list.querySelectorAll('input:checked')].map((i) => i.value);
        if (!chosen.length) { button.textContent = 'Choose responders first'; return; }
        try {
          await api(`/events/${encodeURIComponent(event.properties.id)}/dispatch`, {
            method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ responders: chosen }),
          });
          button.textContent = `Dispatched ${chosen.join(', ')}`;
          button.disabled = true;
        } catch (error) { button.textContent = error.message; }
      };
      body.append(button);
    }
  }
  function heading(text) { const h = document.createElement('h2'); h.textContent = text; return h; }

  // ---- Controls -----------------------------------------------------------------------------

  function buildControls(map) {
    el('window').value = String(state.windowSeconds);
    el('window').onchange = () => { state.windowSeconds = Number(el('window').value); refreshAll(map); };
    el('heat-mode').value = state.heat;
    el('heat-mode').onchange = () => { state.heat = el('heat-mode').value; applyHeatMode(map); };
    el('refresh').onchange = () => { state.refreshSeconds = Number(el('refresh').value); startTimer(map); };
    el('category-list').replaceChildren(...state.knownCategories.map((name) => {
      const label = document.createElement('label');
      label.innerHTML = '<input type="checkbox" checked> <span></span>';
      label.querySelector('span').textContent = name.replace(/_/g, ' ');
      label.querySelector('input').onchange = () => {
        const chosen = [...el('category-list').querySelectorAll('input')].map((i, k) => i.checked ? state.knownCategories[k] : null).filter(Boolean);
        state.categories = chosen.length === state.knownCategories.length ? null : new Set(chosen);
        el('category-count').textContent = state.categories ? `${chosen.length} of ${state.knownCategories.length}` : 'all';
        refreshAll(map);
      };
      return label;
    }));
    el('layer-list').replaceChildren(...layerGroups.map(([name, ids]) => {
      const label = document.createElement('label');
      label.innerHTML = '<input type="checkbox" checked> <span></span>';
      label.querySelector('span').textContent = name;
      label.querySelector('input').onchange = (e) => {
        for (const id of ids) map.setLayoutProperty(id, 'visibility', e.target.checked ? 'visible' : 'none');
      };
      return label;
    }));
    el('wall-mode').onclick = () => enterWallMode(map);
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') leaveWallMode(); });
    map.on('click', (e) => { if (!wallModeOn) select(map, e.lngLat, e.point).catch(report); });
    map.on('mousemove', (e) => {
      const hit = map.queryRenderedFeatures(e.point, { layers: ['grids-fill', 'events', 'live-events'] }).length > 0;
      map.getCanvas().style.cursor = hit ? 'pointer' : '';
    });
  }

  async function refreshAll(map) {
    placeWindow();
    reloadSources(map);
    await refreshSummary(map);
  }

  let timer = null;
  function startTimer(map) {
    clearInterval(timer);
    if (state.refreshSeconds > 0) timer = setInterval(() => refreshAll(map).catch(report), state.refreshSeconds * 1000);
  }

  // ---- Wall mode: full screen, no controls, a slow fly-over between the hot grids -------------

  let wallModeOn = false, flight = null;
  function enterWallMode(map) {
    wallModeOn = true;
    document.body.classList.add('wall-mode');
    if (document.fullscreenElement == null && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(() => { /* refused (no user gesture): stay in the window */ });
    }
    let k = 0;
    const next = () => {
      const targets = (state.summary && state.summary.top_grids || []).filter((g) => typeof g.lon === 'number');
      if (!wallModeOn || targets.length === 0) return;
      const g = targets[k++ % targets.length];
      map.flyTo({ center: [g.lon, g.lat], zoom: 15.6, pitch: 62, bearing: (map.getBearing() + 55) % 360, duration: 9000, essential: true });
      flight = setTimeout(next, 15000);
    };
    next();
  }
  function leaveWallMode() {
    if (!wallModeOn) return;
    wallModeOn = false;
    clearTimeout(flight);
    document.body.classList.remove('wall-mode');
    if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }
  document.addEventListener('fullscreenchange', () => { if (!document.fullscreenElement) leaveWallMode(); });

  // ---- The frame timer (for BENCHMARKS.md and the wall's own check) ---------------------------

  /// Redraws continuously for `ms` and reports the time between frames: `turn` (the default)
  /// also turns the camera a little each frame (what a fly-over costs, new tiles included),
  /// `still` redraws the same view (the cost of drawing every layer once).
  function measureFrames(ms = 5000, mode = 'turn') {
    const map = wall.map;
    return new Promise((resolve) => {
      const gaps = [];
      let last = null, running = true;
      const next = () => (mode === 'turn' ? map.setBearing(map.getBearing() + 0.25) : map.triggerRepaint());
      const onRender = () => {
        const t = performance.now();
        if (last !== null) gaps.push(t - last);
        last = t;
        if (running) next();
      };
      map.on('render', onRender);
      next();
      setTimeout(() => {
        running = false;
        map.off('render', onRender);
        gaps.sort((a, b) => a - b);
        const at = (q) => gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] : null;
        resolve({ mode, frames: gaps.length, mean_ms: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length), p50_ms: at(0.5), p95_ms: at(0.95),
                  width: map.getCanvas().width, height: map.getCanvas().height });
      }, ms);
    });
  }

  // ---- Start --------------------------------------------------------------------------------

  const wall = window.wall = { map: null, state, streaming: false, measureFrames, live, responders, layerGroups };
  wall.ready = (async () => {
    const all = await api('/summary?top=1');
    state.latest = all.latest ? Date.parse(all.latest) : null;
    state.knownCategories = Object.entries(all.by_category).sort((a, b) => b[1] - a[1]).map(([name]) => name);
    placeWindow();
    const map = await createMap();
    wall.map = map;
    map.on('error', (e) => console.error('map:', e.error && e.error.message || e));
    loadedQuery = windowQuery();
    applyHeatMode(map);
    buildControls(map);
    await Promise.all([loadResponders(map), refreshSummary(map)]);
    followStream(map);
    startTimer(map);
    if (params.get('mode') === 'wall') enterWallMode(map);
    await new Promise((resolve) => { if (map.loaded() && map.areTilesLoaded()) resolve(); else map.once('idle', resolve); });
    return map;
  })().catch((error) => { report(error); throw error; });
})();
