// The HTTP API on a real socket, over a small generated district.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import Logging
import Testing
import GridwallCore
import GridwallSample
import GridwallServer
import GridwallStore
import GridwallTestSupport

@Suite(.serialized) struct ServerTests {
    /// Generates a small district, loads it into a fresh store, serves it, runs `body`, stops.
    func withServer(_ body: (URL, GeoStore) async throws -> Void) async throws {
        try await withTestServer { server in try await body(server.base, server.store) }
    }

    func send(_ base: URL, _ method: String, _ path: String, _ body: String) async throws -> (Int, JSONValue) {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        request.httpMethod = method
        request.httpBody = Data(body.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as! HTTPURLResponse).statusCode, try JSONValue.parse(data))
    }

    func get(_ base: URL, _ path: String) async throws -> (Int, JSONValue) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: base.absoluteString + path)!)
        return ((response as! HTTPURLResponse).statusCode, try JSONValue.parse(data))
    }

    @Test func healthLayersAndAssign() async throws {
        try await withServer { base, store in
            let (status, health) = try await get(base, "/health")
            #expect(status == 200 && health["status"] == .string("ok"))

            let (_, layers) = try await get(base, "/layers")
            let counts = Dictionary(uniqueKeysWithValues: (layers["layers"]?.arrayValue ?? []).map {
                ($0["name"]!.stringValue!, Int($0["count"]!.doubleValue!))
            })
            let summaries = try store.layerSummaries()
            for s in summaries { #expect(counts[s.name] == s.count) }
            #expect(counts["areas"]! > 40 && counts["events"]! == 3_000)

            // A point inside some grid: the district's centre area is covered by grids.
            let engine = try store.assignmentEngine()
            var rng = SeededRandom(seed: 3)
            var p = engine.gridIndex.bounds.center
            while engine.assign(x: p.x, y: p.y).placement != .inside {
                let b = engine.gridIndex.bounds
                p = Coordinate(rng.uniform(b.minX, b.maxX), rng.uniform(b.minY, b.maxY))
            }
            let expected = engine.grids[Int(engine.assign(x: p.x, y: p.y).grid)]
            let (okStatus, inside) = try await get(base, "/assign?lon=\(p.x)&lat=\(p.y)")
            #expect(okStatus == 200)
            #expect(inside["placement"] == .string("inside"))
            #expect(inside["grid"]?["id"] == .string(expected.gridID))
            #expect(inside["community"]?["id"] == .string(expected.communityID!))
            #expect(inside["street"]?["id"] == .string(expected.streetID!))
            #expect(inside["district"]?["id"] == .string(expected.districtID!))

            let (_, outside) = try await get(base, "/assign?lon=121.0&lat=31.0")
            #expect(outside["placement"] == .string("outside"))
            #expect(outside["grid"] == .null)
            #expect((outside["distance_m"]?.doubleValue ?? 0) > 50_000)
            #expect(outside["nearest_grid"]?["id"]?.stringValue != nil)

            // GCJ-02 input lands on the same grid as its WGS84 original.
            let g = ChineseCoordinates.wgs84ToGCJ02(p)
            let (_, viaGCJ) = try await get(base, "/assign?lon=\(g.x)&lat=\(g.y)&crs=gcj02")
            #expect(viaGCJ["grid"]?["id"] == .string(expected.gridID))
        }
    }

    @Test func badParametersGetClearErrors() async throws {
        try await withServer { base, _ in
            for (query, field) in [("lat=30.3", "lon"), ("lon=abc&lat=30.3", "lon"), ("lon=30.3&lat=120.2", "lat"),
                                   ("lon=nan&lat=30", "lon"), ("lon=120.2&lat=30.3&crs=mars", "crs")] {
                let (status, body) = try await get(base, "/assign?" + query)
                #expect(status == 400, "\(query)")
                #expect(body["error"]?["code"] == .string("invalid_parameter"))
                #expect(body["error"]?["where"] == .string(field), "\(query)")
            }
            // Requests that once could take the server down (a trap, or work without bound):
            // each is a 400 naming the parameter, and the server still answers afterwards.
            for (path, field) in [("/heatmap?by=gistar&units=square&size_m=0.5&empty=true", "size_m"),
                                  ("/heatmap?by=gistar&units=square&size_m=10&empty=true", "size_m"),
                                  ("/heatmap?by=gistar&weights=distance:inf", "weights"),
                                  ("/heatmap?by=gistar&weights=knn:100000", "weights"),
                                  ("/heatmap?by=hex&size_m=1e-300", "size_m"),
                                  ("/heatmap?by=kde&bandwidth_m=50000&cell_m=5", "cell_m"),
                                  ("/tiles/heat/12/3419/1688.png?cell_m=1e-300", "cell_m"),
                                  ("/tiles/heat/99999999999999999999/0/0.png", "z"), ("/tiles/heat/3/100/0.png", "x"),
                                  ("/nearest?lon=120.2&lat=30.3&k=1000000", "k"), ("/nearest?lon=120.2&lat=30.3&max_distance_m=inf", "max_distance_m"),
                                  ("/nearest?lon=1e400&lat=30", "lon"), ("/cameras/visible?lon=120.2&lat=-inf", "lat")] {
                let (status, body) = try await get(base, path)
                #expect(status == 400, "\(path): \(body)")
                #expect(body["error"]?["where"] == .string(field), "\(path): \(body)")
            }
            #expect(try await get(base, "/health").0 == 200)
        }
    }

    @Test func nearestRespondersAndPositionUpdates() async throws {
        try await withServer { base, store in
            let p = Coordinate(120.225, 30.30)
            let (status, body) = try await get(base, "/nearest?lon=\(p.x)&lat=\(p.y)&k=3&status=available,busy")
            #expect(status == 200)
            let results = body["results"]?.arrayValue ?? []
            #expect(results.count == 3)
            let distances = results.compactMap { $0["distance_m"]?.doubleValue }
            #expect(distances == distances.sorted())
            // Move the farthest of them onto the point: it must come first, 0 m away.
            let id = results[2]["id"]!.stringValue!
            let (moved, _) = try await send(base, "PUT", "/responders/\(id)/position", #"{"lon":\#(p.x),"lat":\#(p.y)}"#)
            #expect(moved == 200)
            let (_, after) = try await get(base, "/nearest?lon=\(p.x)&lat=\(p.y)&k=3&status=available,busy")
            #expect(after["results"]?.arrayValue?.first?["id"] == .string(id))
            #expect(after["results"]?.arrayValue?.first?["distance_m"] == .number(0))
            // On disk too.
            let stored = try #require(try store.responders().first { $0.id == id })
            #expect(abs(stored.position.x - p.x) < 1e-12 && abs(stored.position.y - p.y) < 1e-12)
            // Errors: unknown responder, bad body, bad filter.
            #expect(try await send(base, "PUT", "/responders/nobody/position", #"{"lon":120.2,"lat":30.3}"#).0 == 404)
            let (badStatus, bad) = try await send(base, "PUT", "/responders/\(id)/position", #"{"lon":30.3,"lat":120.2}"#)
            #expect(badStatus == 400 && bad["error"]?["where"] == .string("body.lat"))
            #expect(try await get(base, "/nearest?lon=120.2&lat=30.3&status=sleeping").0 == 400)
            #expect(try await get(base, "/nearest?lon=120.2&lat=30.3&k=0").0 == 400)
            // Batch form.
            let (batchStatus, batch) = try await send(base, "PUT", "/responders/positions",
                #"{"positions":[{"id":"\#(id)","lon":120.2,"lat":30.3},{"id":"ghost","lon":120.2,"lat":30.3}]}"#)
            #expect(batchStatus == 200 && batch["applied"] == .number(1) && batch["unknown"] == .array([.string("ghost")]))
            // A valid position half a world away is refused, alone or in a batch (nothing of the
            // batch applied), and the responder stays where it was.
            let (farStatus, far) = try await send(base, "PUT", "/responders/\(id)/position", #"{"lon":0,"lat":0}"#)
            #expect(farStatus == 400 && far["error"]?["where"] == .string("body"), "\(far)")
            #expect(far["error"]?["message"]?.stringValue?.contains("km from the service area") == true)
            let (farBatch, farBody) = try await send(base, "PUT", "/responders/positions",
                #"{"positions":[{"id":"\#(id)","lon":120.21,"lat":30.31},{"id":"\#(id)","lon":0,"lat":0}]}"#)
            #expect(farBatch == 400 && farBody["error"]?["where"] == .string("positions[1]"), "\(farBody)")
            let kept = try #require(try store.responders().first { $0.id == id })
            #expect(abs(kept.position.x - 120.2) < 1e-12 && abs(kept.position.y - 30.3) < 1e-12)
        }
    }

    @Test func visibleCamerasExplainWhy() async throws {
        try await withServer { base, store in
            // Right in front of a camera, a few metres along its heading.
            let camera = try #require(try store.cameras().first { $0.fieldOfView < 360 })
            let frame = LocalFrame(origin: camera.position)
            let a = camera.heading * .pi / 180
            let p = frame.unproject(Coordinate(5 * sin(a), 5 * cos(a)))
            let (status, body) = try await get(base, "/cameras/visible?lon=\(p.x)&lat=\(p.y)&explain=true")
            #expect(status == 200)
            let cameras = body["cameras"]?.arrayValue ?? []
            let mine = try #require(cameras.first { $0["id"] == .string(camera.id) })
            #expect(mine["visible"] == .bool(true) || mine["reason"] == .string("blocked_by_building"))
            for c in cameras where c["visible"] == .bool(false) { #expect(c["reason"] != nil) }
            #expect(try await get(base, "/cameras/visible?lon=120.2").0 == 400)
        }
    }

    @Test func dispatchMakesRespondersBusyAndResolvingFreesThem() async throws {
        try await withServer { base, store in
            let p = Coordinate(120.225, 30.30)
            let (_, before) = try await get(base, "/nearest?lon=\(p.x)&lat=\(p.y)&k=2")
            let ids = (before["results"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            #expect(ids.count == 2)
            let list = ids.map { "\"\($0)\"" }.joined(separator: ",")
            let open = try store.eventIDs(status: "reported", limit: 2)
            #expect(open.count == 2)
            let (first, second) = (open[0], open[1])
            func heatmapCount(_ status: String) async throws -> Int {
                let (_, h) = try await get(base, "/heatmap?by=hex&size_m=1000&status=\(status)")
                return Int((h["features"]?.arrayValue ?? []).compactMap { $0["properties"]?["count"]?.doubleValue }.reduce(0, +))
            }
            let dispatchedBefore = try await heatmapCount("dispatched")
            let (status, body) = try await send(base, "POST", "/events/\(first)/dispatch", #"{"responders":[\#(list)]}"#)
            #expect(status == 200 && body["status"] == .string("dispatched"))
            // The heatmaps see the new status at once.
            #expect(try await heatmapCount("dispatched") == dispatchedBefore + 1)
            // No longer available: not in the default (available) answer; busy on disk.
            let (_, during) = try await get(base, "/nearest?lon=\(p.x)&lat=\(p.y)&k=2")
            let stillListed = Set((during["results"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
            #expect(stillListed.intersection(ids).isEmpty)
            #expect(try store.responders().filter { ids.contains($0.id) }.allSatisfy { $0.status == .busy })
            // A busy responder cannot be sent again; unknown events and responders are 404.
            #expect(try await send(base, "POST", "/events/\(second)/dispatch", #"{"responders":["\#(ids[0])"]}"#).0 == 409)
            #expect(try await send(base, "POST", "/events/nope/dispatch", #"{"responders":["\#(ids[0])"]}"#).0 == 404)
            #expect(try await send(base, "POST", "/events/\(second)/dispatch", #"{"responders":["ghost"]}"#).0 == 404)
            #expect(try await send(base, "POST", "/events/\(second)/dispatch", #"{"responders":[]}"#).0 == 400)
            // Resolving frees them.
            let (resolved, freed) = try await send(base, "POST", "/events/\(first)/resolve", "")
            #expect(resolved == 200 && freed["freed"] == .array(ids.sorted().map(JSONValue.string)))
            #expect(try await heatmapCount("dispatched") == dispatchedBefore)
            let (_, after) = try await get(base, "/nearest?lon=\(p.x)&lat=\(p.y)&k=2")
            #expect((after["results"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue } == ids)
            #expect(try await send(base, "POST", "/events/\(first)/dispatch", #"{"responders":["\#(ids[0])"]}"#).0 == 409)
        }
    }

    /// GET /heatmap: per-area counts add up to the events of the window, bins, hot spots, the
    /// PNG form, and errors naming the parameter.
    @Test func heatmapsOverTheStoredEvents() async throws {
        try await withServer { base, store in
            let (events, _) = try store.analysisEvents()
            let times = events.map(\.time).sorted()
            let from = ISOTime.format(times[times.count / 3]), to = ISOTime.format(times[2 * times.count / 3])
            let inWindow = events.filter { $0.time >= times[times.count / 3] && $0.time < times[2 * times.count / 3] }.count
            for level in ["grid", "community", "street"] {
                let (status, grid) = try await get(base, "/heatmap?by=grid&level=\(level)&from=\(from)&to=\(to)&classify=jenks")
                #expect(status == 200)
                let features = grid["features"]?.arrayValue ?? []
                #expect(!features.isEmpty && features.allSatisfy { $0["properties"]?["level"] == .string(level) })
                let total = features.compactMap { $0["properties"]?["count"]?.doubleValue }.reduce(0, +)
                // Events outside every grid count in no area.
                #expect(Int(total) <= inWindow && Int(total) > inWindow * 9 / 10, "\(level): \(total) of \(inWindow)")
                let classes = Set(features.compactMap { $0["properties"]?["class"]?.stringValue })
                #expect(classes.isSubset(of: ["red", "orange", "yellow", "blue", "green"]) && classes.count >= 3)
            }
            let (_, hex) = try await get(base, "/heatmap?by=hex&size_m=300")
            let binned = (hex["features"]?.arrayValue ?? []).compactMap { $0["properties"]?["count"]?.doubleValue }.reduce(0, +)
            #expect(Int(binned) == events.count)
            let (gStatus, gistar) = try await get(base, "/heatmap?by=gistar&units=square&size_m=500&empty=true&weights=queen&fdr=true")
            #expect(gStatus == 200 && !(gistar["features"]?.arrayValue ?? []).isEmpty)
            #expect((gistar["features"]?.arrayValue ?? []).allSatisfy { $0["properties"]?["z"]?.doubleValue != nil })
            // Emerging hot spots by day over squares: one feature per bin, a count and z per
            // step, the patterns tallied in the summary; the events of the window all counted.
            let (eStatus, emerging) = try await get(base, "/heatmap?by=emerging&units=square&size_m=1000&step=day&steps=14&lags=2")
            let trends = emerging["features"]?.arrayValue ?? []
            #expect(eStatus == 200 && !trends.isEmpty && emerging["summary"]?["steps"]?.doubleValue == 14)
            #expect(trends.allSatisfy { $0["properties"]?["counts"]?.arrayValue?.count == 14 && $0["properties"]?["z"]?.arrayValue?.count == 14 })
            let tallied = (emerging["summary"]?["patterns"]?.objectValue ?? [:]).values.compactMap(\.doubleValue).reduce(0, +)
            #expect(Int(tallied) == trends.count)
            let counted = trends.compactMap { $0["properties"]?["count"]?.doubleValue }.reduce(0, +)
            #expect(counted == emerging["summary"]?["events"]?.doubleValue && counted > 0)
            // The raster form: a PNG, with its corners in a header.
            let (data, response) = try await URLSession.shared.data(from: URL(string: base.absoluteString + "/heatmap?by=kde&bandwidth_m=400&cell_m=40")!)
            let http = response as! HTTPURLResponse
            #expect(http.statusCode == 200 && http.value(forHTTPHeaderField: "Content-Type") == "image/png")
            #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
            #expect(http.value(forHTTPHeaderField: "X-Gridwall-Corners")?.hasPrefix("[[") == true)
            // A single bin with nearest-neighbour weights: answered, not significant.
            let (loneStatus, lone) = try await get(base, "/heatmap?by=gistar&units=square&size_m=50000&weights=knn:8")
            #expect(loneStatus == 200 && lone["features"]?.arrayValue?.count == 1)
            #expect(lone["features"]?.arrayValue?.first?["properties"]?["class"] == .string("not_significant"))
            // Heat tiles: a 256 × 256 PNG; a bad zoom is named.
            let (tile, tileResponse) = try await URLSession.shared.data(from: URL(string: base.absoluteString + "/tiles/heat/12/3419/1688.png")!)
            #expect((tileResponse as! HTTPURLResponse).statusCode == 200 && tile.count > 50)
            #expect(Array(tile[16..<24]) == [0, 0, 1, 0, 0, 0, 1, 0])   // IHDR width and height: 256
            let (tileStatus, tileError) = try await get(base, "/tiles/heat/40/0/0.png")
            #expect(tileStatus == 400 && tileError["error"]?["where"] == .string("z"))
            // Bad input names the parameter.
            for (query, place) in [("by=heat", "by"), ("by=grid&from=yesterday", "from"), ("by=gistar&weights=knn:x", "weights"),
                                   ("by=grid&classify=fixed&thresholds=3,2,1,0", "thresholds"), ("by=hex&size_m=-5", "size_m"),
                                   ("by=grid&bbox=120,30,119,31", "bbox"), ("by=grid&colour=red", "colour"), ("by=kde&cell_m=0.01", "cell_m"),
                                   ("by=emerging&step=hour", "step"), ("by=emerging&lags=99", "lags"), ("by=emerging&step=day&steps=9999", "steps"),
                                   ("by=hex&crs=EPSG:99999", "crs"), ("by=gistar&units=hex&crs=EPSG:4326", "crs")] {
                let (status, body) = try await get(base, "/heatmap?" + query)
                #expect(status == 400 && body["error"]?["where"] == .string(place), "\(query): \(body)")
            }
        }
    }

    func raw(_ base: URL, _ path: String, headers: [String: String] = [:]) async throws -> (Int, Data, HTTPURLResponse) {
        var request = URLRequest(url: URL(string: base.absoluteString + path)!)
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return (http.statusCode, data, http)
    }

    /// Vector tiles, TileJSON and the style over HTTP: a grid tile with its heat figures, ETag
    /// and 304, an empty tile as 204, errors in the JSON shape, a responder move changing the
    /// responders tile.
    @Test func vectorTilesTileJSONAndStyle() async throws {
        try await withServer { base, store in
            let grid = try #require(try store.areas().first { $0.level == .grid })
            let centre = try #require(grid.geometry.boundingBox).center
            let tile = try #require(TileID.covering(BoundingBox(minX: centre.x, minY: centre.y, maxX: centre.x, maxY: centre.y), zoom: 14).first)
            let path = "/tiles/grids/\(tile).mvt"
            let (status, body, response) = try await raw(base, path)
            #expect(status == 200 && body.count > 100, "\(status)")
            #expect(response.value(forHTTPHeaderField: "Content-Type") == "application/vnd.mapbox-vector-tile")
            let etag = try #require(response.value(forHTTPHeaderField: "ETag"))
            #expect(try await raw(base, path, headers: ["If-None-Match": etag]).0 == 304)
            // Another window gives other figures, so another tag.
            let (_, _, windowed) = try await raw(base, path + "?from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z")
            #expect(windowed.value(forHTTPHeaderField: "ETag") != etag)
            // Far from the district: no feature, 204.
            #expect(try await raw(base, "/tiles/grids/14/0/0.mvt").0 == 204)
            for (bad, place, code) in [("/tiles/grids/23/0/0.mvt", "z", 400), ("/tiles/grids/3/8/0.mvt", "x", 400),
                                       ("/tiles/roads/14/0/0.mvt", "source", 404), ("/tiles/grids/14/0/0.png", "y", 400)] {
                let (s, b) = try await get(base, bad)
                #expect(s == code && b["error"]?["where"] == .string(place), "\(bad): \(b)")
            }
            // TileJSON: the template, bounds around the grid, the fields with the heat figures.
            let (jsonStatus, tilejson) = try await get(base, "/tiles/grids.json?category=noise")
            #expect(jsonStatus == 200 && tilejson["tilejson"] == .string("3.0.0"))
            let template = tilejson["tiles"]?.arrayValue?.first?.stringValue ?? ""
            #expect(template.hasSuffix("/tiles/grids/{z}/{x}/{y}.mvt?category=noise"), "\(template)")
            let bounds = (tilejson["bounds"]?.arrayValue ?? []).compactMap(\.doubleValue)
            #expect(bounds.count == 4 && bounds[0] <= centre.x && centre.x <= bounds[2] && bounds[1] <= centre.y && centre.y <= bounds[3])
            let fields = tilejson["vector_layers"]?.arrayValue?.first?["fields"]
            #expect(fields?["id"] == .string("String") && fields?["count"] == .string("Number") && fields?["class"] == .string("String"))
            // The style names every source by its TileJSON.
            let (_, style) = try await get(base, "/style.json")
            #expect(style["version"] == .number(8))
            #expect(style["sources"]?["buildings"]?["url"]?.stringValue?.hasSuffix("/tiles/buildings.json") == true)
            // The live sources: hexagon heat and events over the whole history, around the grid.
            let (heatStatus, heatBody, _) = try await raw(base, "/tiles/heat/\(tile).mvt")
            #expect(heatStatus == 200 && heatBody.count > 50, "heat: \(heatStatus)")
            let wide = "/tiles/events/\(tile.z - 2)/\(tile.x >> 2)/\(tile.y >> 2).mvt?from=2000-01-01T00:00:00Z"
            let (eventsStatus, eventsBody, _) = try await raw(base, wide)
            #expect(eventsStatus == 200 && eventsBody.count > 20, "events: \(eventsStatus)")
            let (_, heatJSON) = try await get(base, "/tiles/heat.json")
            #expect(heatJSON["vector_layers"]?.arrayValue?.first?["fields"]?["per_km2"] == .string("Number"))
            // A responder moved into the tile shows in the next responders tile.
            let responder = try #require(try store.responders().first)
            let before = try await raw(base, "/tiles/responders/\(tile).mvt")
            let (moved, _) = try await send(base, "PUT", "/responders/\(responder.id)/position", #"{"lon":\#(centre.x),"lat":\#(centre.y)}"#)
            #expect(moved == 200)
            let after = try await raw(base, "/tiles/responders/\(tile).mvt")
            #expect(after.0 == 200 && after.1 != before.1)
            #expect(after.2.value(forHTTPHeaderField: "ETag") != before.2.value(forHTTPHeaderField: "ETag"))
        }
    }

    /// Runs a GDAL tool, returning its exit status and output.
    /// GDAL reading the server in this process: on a thread of its own (see TestData.runDetached).
    func gdal(_ tool: String, _ arguments: [String]) async throws -> (Int32, String) {
        try await TestData.runDetached(try #require(TestData.tool(tool)), arguments)
    }

    /// OGC API – Features as GDAL's OAPIF driver reads it: every collection, every camera
    /// through the paging links with its attributes, event filters; errors named.
    @Test(.enabled(if: TestData.tool("ogr2ogr") != nil, "needs gdal-bin"))
    func ogcAPIFeaturesReadByGDAL() async throws {
        try await withServer { base, store in
            let source = "OAPIF:" + base.absoluteString
            let (status, listing) = try await gdal("ogrinfo", ["-ro", "-so", source])
            #expect(status == 0, "\(listing)")
            for layer in ["areas", "buildings", "cameras", "responders", "events"] { #expect(listing.contains(": \(layer) "), "\(listing)") }
            // All cameras, fetched through the next links 7 at a time (GDAL follows them).
            let dir = try TestData.scratchFolder("oapif")
            defer { try? FileManager.default.removeItem(at: dir) }
            let out = dir.appendingPathComponent("cameras.geojson").path
            let (copied, log) = try await gdal("ogr2ogr", ["-f", "GeoJSON", "-oo", "PAGE_SIZE=7", out, source, "cameras"])
            #expect(copied == 0, "\(log)")
            let features = try GeoJSON.features(from: JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: out))))
            let cameras = try store.cameras()
            #expect(features.count == cameras.count)
            #expect(Set(features.compactMap { $0.properties["id"]?.stringValue }) == Set(cameras.map(\.id)))
            // Filters: a category and a window, against the store's own events.
            let events = try store.analysisEvents().events
            let category = try #require(events.first?.category)
            let times = events.map(\.time).sorted()
            let from = times[times.count / 2]
            let expected = events.filter { $0.category == category && $0.time >= from }.count
            let (_, page) = try await get(base, "/collections/events/items?category=\(category)&datetime=\(ISOTime.format(from))/..&limit=5")
            #expect(page["numberMatched"] == .number(Double(expected)) && page["numberReturned"] == .number(Double(min(5, expected))))
            #expect(page["links"]?.arrayValue?.contains { $0["rel"] == .string("next") } == (expected > 5))
            let one = try #require(cameras.first)
            let (itemStatus, item) = try await get(base, "/collections/cameras/items/\(one.id)")
            #expect(itemStatus == 200 && item["id"] == .string(one.id))
            // The same camera in GCJ-02, as Chinese web maps draw it.
            let (_, gcj) = try await get(base, "/collections/cameras/items/\(one.id)?crs=gcj02")
            let shifted = ChineseCoordinates.wgs84ToGCJ02(one.position)
            let xy = (gcj["geometry"]?["coordinates"]?.arrayValue ?? []).compactMap(\.doubleValue)
            #expect(xy.count == 2 && abs(xy[0] - shifted.x) < 1e-9 && abs(xy[1] - shifted.y) < 1e-9, "\(xy) vs \(shifted)")
            // The CRS a collection advertises is one its items take back.
            let (_, collection) = try await get(base, "/collections/cameras")
            let advertised = try #require(collection["crs"]?.arrayValue?.first?.stringValue)
            let (_, same) = try await get(base, "/collections/cameras/items/\(one.id)?crs=\(advertised)")
            #expect(same["geometry"] == item["geometry"], "\(advertised): \(same)")
            for (bad, place, code) in [("/collections/roads/items", "collection", 404), ("/collections/events/items?limit=0", "limit", 400),
                                       ("/collections/events/items?bbox=1,2,3", "bbox", 400), ("/collections/events/items?colour=red", "colour", 400),
                                       ("/collections/areas/items?datetime=2026-11-01T00:00:00Z", "datetime", 400),
                                       ("/collections/cameras/items/NOPE", "id", 404)] {
                let (s, b) = try await get(base, bad)
                #expect(s == code && b["error"]?["where"] == .string(place), "\(bad): \(b)")
            }
            let (_, landing) = try await get(base, "/")
            #expect(landing["links"]?.arrayValue?.contains { $0["rel"] == .string("conformance") } == true)
        }
    }
}
