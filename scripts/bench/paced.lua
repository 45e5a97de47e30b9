-- wrk script for scripts/bench/http-latency: random points over the sample district, and a pause
-- between requests on each connection, because Debian's wrk (4.x) cannot hold a fixed request
-- rate; the rate is connections / (pause + response time), printed at the end with the latency.
local endpoint = os.getenv("ENDPOINT") or "nearest"
local pause = tonumber(os.getenv("PAUSE_MS") or "1")

local paths = {
  nearest = "/nearest?lon=%.6f&lat=%.6f&k=5",
  assign = "/assign?lon=%.6f&lat=%.6f",
  cameras = "/cameras/visible?lon=%.6f&lat=%.6f",
}

function setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function init(args)
  math.randomseed(seed or 7)
end

function request()
  local lon = 120.1596 + math.random() * 0.1306
  local lat = 30.2424 + math.random() * 0.1202
  return wrk.format("GET", string.format(paths[endpoint], lon, lat))
end

function delay()
  return pause
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("%s: %.0f requests/s, p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms; %d requests, %d errors, %d non-2xx\n",
    endpoint, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000, summary.requests,
    e.connect + e.read + e.write + e.timeout, e.status))
end
