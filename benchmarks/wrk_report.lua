-- Loaded by benchmarks/load.py into every wrk run: prints the run's figures as one JSON line
-- and stops a thread once it has sent its share of the request cap (a safety bound).
local max_requests = tonumber(os.getenv("BENCH_MAX_REQUESTS_PER_THREAD") or "0")
local count = 0

if max_requests > 0 then
  response = function(status, headers, body)
    count = count + 1
    if count >= max_requests then
      wrk.thread:stop()
    end
  end
end

done = function(summary, latency, requests)
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p99_us": %d, '
      .. '"mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max))
end
