-- wrk script: pick a path at random from the PATHS list (one per line in
-- the file named by BENCH_PATHS), and print the numbers as JSON at the end.
local paths = {}
local file = io.open(os.getenv("BENCH_PATHS"), "r")
for line in file:lines() do paths[#paths + 1] = line end
file:close()
math.randomseed(42)

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'BENCH {"requests": %d, "seconds": %.3f, "errors": %d, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
