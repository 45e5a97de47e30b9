-- wrk script for `gridwall bench ingest`: POST /events with BATCH events per request (1: a
-- single event object; more: a JSON array; 0: GET /health instead, the HTTP stack's own floor),
-- unique ids per thread and request, random points
-- over the sample district, stamped with the current second as live reports are (events that
-- arrive late cost more: they are inserted into the analysis's time-sorted columns).
-- Prints events/s with the request latency.
local batch = tonumber(os.getenv("BATCH") or "1")
local run = os.getenv("RUN") or "r"
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n = 0
local headers = { ["Content-Type"] = "application/json" }

-- The current second as text, formatted once per second: the client shares the server's cores.
local second, stamp = -1, ""
local function now()
  local t = os.time()
  if t ~= second then second, stamp = t, os.date("!%Y-%m-%dT%H:%M:%SZ", t) end
  return stamp
end

local function event()
  n = n + 1
  local lon = 120.1596 + math.random() * 0.1306
  local lat = 30.2424 + math.random() * 0.1202
  return string.format('{"id":"%s-%d-%d","lon":%.6f,"lat":%.6f,"time":"%s","category":"noise","source":"hotline_12345"}',
    run, tid, n, lon, lat, now())
end

function init(args)
  math.randomseed(tid * 7919)
end

function request()
  if batch == 0 then
    return wrk.format("GET", "/health")
  end
  if batch == 1 then
    return wrk.format("POST", "/events", headers, event())
  end
  local parts = {}
  for i = 1, batch do parts[i] = event() end
  return wrk.format("POST", "/events", headers, "[" .. table.concat(parts, ",") .. "]")
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT batch=%d requests/s=%.1f events/s=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d non2xx=%d\n",
    batch, summary.requests / seconds, summary.requests * batch / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
