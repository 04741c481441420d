-- Loaded by wrk for the Stratus benchmarks (bench/support/wrk.cc):
--   wrk ... -s wrk_report.lua URL -- METHOD [BODY_FILE]
-- Sets each thread's request method and body, and when the run is over prints one line
-- that the driver parses instead of wrk's human-oriented summary:
--   STRATUS-WRK requests=N duration_us=N p50_us=N p99_us=N mean_us=N max_us=N
--     status_errors=N connect_errors=N read_errors=N write_errors=N timeouts=N
-- status_errors is wrk's own count of answers with a status of 400 or more. Counting in a
-- response() hook instead would make wrk parse every body and call into Lua per answer,
-- which slows the load generator down more than the fastest targets.

function init(args)
  wrk.method = args[1] or "GET"
  if args[2] ~= nil and args[2] ~= "" then
    local file = assert(io.open(args[2], "rb"))
    wrk.body = file:read("*a")
    file:close()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "STRATUS-WRK requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%.1f max_us=%d " ..
    "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.mean, latency.max, errors.status, errors.connect, errors.read, errors.write,
    errors.timeout))
end
