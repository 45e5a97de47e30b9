#!/usr/bin/env python3
"""Loads the wall page of a running Gridwall server in Debian's Chromium (headless, WebGL through
SwiftShader) and reports what it drew, as one JSON object on stdout. It measures; the Swift test
(WallBrowserTests) decides what passes.

  wall_check.py BASE [--out FILE] [--screenshot FILE [--only-screenshot]] [--frames SECONDS
                [--frame-layers]] [--live] [--page PATH] [--size WIDTHxHEIGHT]

Reported: console errors, distinct features per layer (queryRenderedFeatures), the hosts the
page requested, the density heat's pixels where events are dense and where there are none,
and with --live how long a posted event and a responder move took to show. --frames reports
the page's own frame timer with every layer switch on (and --frame-layers: each alone). --screenshot saves the wall.
"""
import argparse
import io
import json
import sys
import time
import urllib.parse
import urllib.request

from PIL import Image
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--enable-unsafe-swiftshader", "--use-angle=swiftshader"]
VIEW = {"width": 1600, "height": 900}


def request(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read() or b"null")


def host_of(url):
    """The host a request went to. A blob: URL (MapLibre's workers) names the page's own origin;
    a data: URL goes nowhere."""
    if url.startswith("blob:"):
        url = url[5:]
    if url.startswith("data:"):
        return "data"
    return urllib.parse.urlsplit(url).netloc or url


def wait_idle(page, timeout_ms=60000):
    """Resolves after the map's next `idle` (every tile loaded and drawn)."""
    page.evaluate("""() => new Promise(resolve => {
        const map = wall.map;
        if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) { map.once('idle', resolve); map.triggerRepaint(); }
        else map.once('idle', resolve);
    })""")


def show_only(page, groups):
    """Shows the layers of the page's layer switches named in `groups` (None: every switch) and
    hides the others; the heat layer the page's heat picker chose stays as it is."""
    page.evaluate("""(groups) => {
        for (const [name, ids] of wall.layerGroups)
            for (const id of ids) wall.map.setLayoutProperty(id, 'visibility', !groups || groups.includes(name) ? 'visible' : 'none');
    }""", groups)
    wait_idle(page)


def measure_frames(page, seconds, per_layer):
    """The page's own frame timer with every layer switch on: a still view redrawn, then the
    camera turning (new tiles come into view); with `per_layer`, a still view with no switch on
    and with each switch alone (the heat layer always as the page shows it), and with nothing
    drawn at all (every layer of the style hidden: the renderer's floor at this size)."""
    ms = int(seconds * 1000)
    show_only(page, None)
    out = {mode: page.evaluate("([ms, mode]) => wall.measureFrames(ms, mode)", [ms, mode]) for mode in ["still", "turn"]}
    out["zoom"] = page.evaluate("() => wall.map.getZoom()")
    out["heat"] = page.evaluate("() => wall.state.heat")
    out["visible_layers"] = page.evaluate("() => wall.map.getStyle().layers.filter(l => wall.map.getLayoutProperty(l.id, 'visibility') !== 'none').map(l => l.id)")
    if per_layer:
        alone = {}
        for name in [None] + page.evaluate("() => wall.layerGroups.map(([name]) => name)"):
            show_only(page, [name] if name else [])
            alone[name or "(no switch on)"] = page.evaluate("([ms]) => wall.measureFrames(ms, 'still')", [ms])["p50_ms"]
        out["still_p50_ms_with_one_switch_on"] = alone
        show_only(page, None)
        # The floor: every layer of the style hidden, so a frame is the renderer clearing and
        # compositing the canvas at this size and nothing else the page could leave out.
        out["still_p50_ms_nothing_drawn"] = page.evaluate("""([ms]) => {
            const map = wall.map, layers = map.getStyle().layers.map((l) => [l.id, map.getLayoutProperty(l.id, 'visibility') || 'visible']);
            for (const [id] of layers) map.setLayoutProperty(id, 'visibility', 'none');
            return wall.measureFrames(ms, 'still').then((r) => {
                for (const [id, v] of layers) map.setLayoutProperty(id, 'visibility', v);
                return r.p50_ms;
            });
        }""", [ms])
    return out


def distinct(page, layer):
    """Distinct feature ids drawn in a layer (a feature comes back once per tile it crosses)."""
    return page.evaluate("""(layer) => {
        const seen = new Set();
        for (const f of wall.map.queryRenderedFeatures({ layers: [layer] })) seen.add(String(f.properties.id ?? f.id));
        return seen.size;
    }""", layer)


def poll(page, script, arg, timeout_s=5.0):
    """Seconds until `script(arg)` is true in the page, or None."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if page.evaluate(script, arg):
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def dispatch_from_page(page, base, event_id, lonlat):
    """Clicks the event, reads the dispatcher view, ticks the nearest responder and presses
    the dispatch button; reports what the panel showed and the event's status afterwards."""
    p = page.evaluate("(c) => wall.map.project(c)", lonlat)
    page.mouse.click(p["x"], p["y"])
    page.wait_for_function("() => !document.getElementById('selection').hidden && document.querySelectorAll('#selection-body input[type=checkbox]').length > 0",
                           timeout=10000)
    seen = page.evaluate("""() => ({
        title: document.getElementById('selection-title').textContent,
        text: document.getElementById('selection-body').innerText,
        cameras: document.querySelectorAll('#selection-body ul:first-of-type li').length,
        responders: document.querySelectorAll('#selection-body input[type=checkbox]').length,
        sight_features: wall.map.querySourceFeatures('sight').length,
    })""")
    page.locator("#selection-body input[type=checkbox]").first.check()
    page.locator("#selection-body button").click()
    page.wait_for_function("() => document.querySelector('#selection-body button').disabled", timeout=10000)
    seen["status_after"] = request(base, "GET", f"/events/{urllib.parse.quote(event_id)}")["status"]
    return seen


def heat_pixels(page, base):
    """The density layer alone, seen from above: its pixels over the densest hexagon of the
    window and over a place inside the district with no event at all."""
    page.evaluate("""async () => {
        for (const l of wall.map.getStyle().layers) if (l.id !== 'density' && l.id !== 'background') wall.map.setLayoutProperty(l.id, 'visibility', 'none');
        wall.map.setLayoutProperty('density', 'visibility', 'visible');
        document.body.classList.add('wall-mode');
        document.getElementById('legend').style.display = 'none';
        const areas = (await (await fetch('/layers')).json()).layers.find(l => l.name === 'areas').bbox;
        wall.map.jumpTo({ center: [(areas[0] + areas[2]) / 2, (areas[1] + areas[3]) / 2], zoom: 13, pitch: 0, bearing: 0 });
    }""")
    wait_idle(page)
    query = page.evaluate("() => new URLSearchParams({ from: new Date(wall.state.end - wall.state.windowSeconds * 1000).toISOString().replace(/\\.\\d{3}Z$/, 'Z'), to: new Date(wall.state.end).toISOString().replace(/\\.\\d{3}Z$/, 'Z') }).toString()")
    bins = request(base, "GET", f"/heatmap?by=hex&size_m=250&{query}")["features"]
    hottest = max(bins, key=lambda f: f["properties"]["count"])
    ring = hottest["geometry"]["coordinates"][0]
    hot = [sum(p[0] for p in ring[:-1]) / (len(ring) - 1), sum(p[1] for p in ring[:-1]) / (len(ring) - 1)]
    # The point of the district farthest from every hexagon with events (on the sample district
    # no event is near it; on a small, dense one it is merely the emptiest place).
    centres = []
    for f in bins:
        r = f["geometry"]["coordinates"][0]
        centres.append((sum(p[0] for p in r[:-1]) / (len(r) - 1), sum(p[1] for p in r[:-1]) / (len(r) - 1)))
    areas = next(l for l in request(base, "GET", "/layers")["layers"] if l["name"] == "areas")
    w, s, e, n = areas["bbox"]
    candidates = []
    for i in range(1, 40):
        for j in range(1, 40):
            x, y = w + (e - w) * i / 40, s + (n - s) * j / 40
            candidates.append((min((x - cx) ** 2 + (y - cy) ** 2 for cx, cy in centres), [x, y]))
    cold = None
    for _, point in sorted(candidates, reverse=True)[:400]:
        if request(base, "GET", f"/assign?lon={point[0]}&lat={point[1]}")["placement"] == "inside":
            cold = point
            break
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    background = shot.getpixel((2, VIEW["height"] - 2))

    def sample(lonlat):
        p = page.evaluate("(c) => wall.map.project(c)", lonlat)
        x, y = round(p["x"]), round(p["y"])
        if not (0 <= x < shot.width and 0 <= y < shot.height):
            return None
        return list(shot.getpixel((x, y)))
    result = {"hot_lonlat": hot, "hot_count": hottest["properties"]["count"], "hot_pixel": sample(hot),
              "cold_lonlat": cold, "cold_pixel": sample(cold) if cold else None, "background_pixel": list(background)}
    page.evaluate("""() => {
        for (const l of wall.map.getStyle().layers) wall.map.setLayoutProperty(l.id, 'visibility', l.id === 'heat' ? 'none' : 'visible');
        document.body.classList.remove('wall-mode');
        document.getElementById('legend').style.display = '';
        wall.map.jumpTo({ pitch: 60, zoom: 14 });
    }""")
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--screenshot")
    ap.add_argument("--frames", type=float, default=0)
    ap.add_argument("--frame-layers", action="store_true", help="with --frames: also each layer switch alone")
    ap.add_argument("--live", action="store_true")
    ap.add_argument("--page", default="/wall")
    ap.add_argument("--out", help="write the report here instead of standard output")
    ap.add_argument("--only-screenshot", action="store_true", help="stop after the screenshot")
    ap.add_argument("--size", default=f"{VIEW['width']}x{VIEW['height']}", help="the browser window, e.g. 1600x900")
    a = ap.parse_args()
    base = a.base.rstrip("/")
    report = {"console_errors": [], "page_errors": [], "hosts": [], "failed_requests": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        width, height = (int(v) for v in a.size.split("x"))
        VIEW.update(width=width, height=height)
        page = browser.new_page(viewport=VIEW)
        page.on("console", lambda m: m.type == "error" and report["console_errors"].append(m.text))
        page.on("pageerror", lambda e: report["page_errors"].append(str(e)))
        hosts = set()
        page.on("request", lambda r: hosts.add(host_of(r.url)))
        page.on("requestfailed", lambda r: report["failed_requests"].append(r.url))
        started = time.monotonic()
        page.goto(base + a.page)
        page.wait_for_function("() => window.wall && window.wall.map", timeout=60000)
        page.evaluate("() => wall.ready")
        wait_idle(page)
        report["load_s"] = round(time.monotonic() - started, 2)
        if a.screenshot:
            jpeg = a.screenshot.lower().endswith((".jpg", ".jpeg"))
            page.screenshot(path=a.screenshot, **({"quality": 85} if jpeg else {}))
        if a.only_screenshot:
            a.live, a.frames = False, 0
        report["layers"] = {layer: distinct(page, layer) for layer in
                            ["buildings-3d", "grids-fill", "communities-line", "streets-line", "cameras", "events", "responders-live"]}
        report["grid_classes"] = page.evaluate("""() => [...new Set(wall.map.queryRenderedFeatures({ layers: ['grids-fill'] }).map(f => f.properties.class))].sort()""")
        report["panel"] = page.evaluate("""() => ({ events: document.getElementById('fig-events').textContent,
            categories: document.querySelectorAll('#by-category li').length, top_grids: document.querySelectorAll('#top-grids li').length })""")
        if a.live:
            page.wait_for_function("() => wall.streaming", timeout=10000)
            centre = page.evaluate("() => wall.map.getCenter().toArray()")
            latest = page.evaluate("() => new Date(wall.state.latest + 5000).toISOString().replace(/\\.\\d{3}Z$/, 'Z')")
            event_id = f"WALL-{int(time.time() * 1000)}"
            sent = time.monotonic()
            request(base, "POST", "/events", {"id": event_id, "lon": centre[0], "lat": centre[1], "time": latest,
                                              "category": "fire_hazard", "source": "hotline_12345"})
            shown = poll(page, "(id) => wall.map.queryRenderedFeatures({ layers: ['live-events'] }).some(f => f.properties.id === id)", event_id)
            report["event_shown_s"] = None if shown is None else round(time.monotonic() - sent, 3)
            # Clicking the new event opens the dispatcher view; dispatching from it reaches the store.
            report["dispatcher"] = dispatch_from_page(page, base, event_id, centre)
            # A responder on screen moves to the centre of the view.
            rid = page.evaluate("() => { const f = wall.map.queryRenderedFeatures({ layers: ['responders-live'] })[0]; return f && f.properties.id; }")
            report["moved_responder"] = rid
            if rid:
                target = [centre[0] + 0.0012, centre[1] - 0.0008]
                sent = time.monotonic()
                request(base, "PUT", f"/responders/{urllib.parse.quote(rid)}/position", {"lon": target[0], "lat": target[1]})
                moved = poll(page, """([id, lon, lat]) => wall.map.queryRenderedFeatures({ layers: ['responders-live'] })
                    .some(f => f.properties.id === id && Math.abs(f.geometry.coordinates[0] - lon) < 1e-5 && Math.abs(f.geometry.coordinates[1] - lat) < 1e-5)""",
                             [rid, target[0], target[1]])
                report["responder_moved_s"] = None if moved is None else round(time.monotonic() - sent, 3)
        if a.frames:
            report["frames"] = measure_frames(page, a.frames, a.frame_layers)
        elif not a.only_screenshot:
            report["heat"] = heat_pixels(page, base)
        report["hosts"] = sorted(hosts)
        browser.close()
    text = json.dumps(report, indent=1) + "\n"
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
