-- Loaded by benchmarks/measure_route_kinds.py into every wrk run: the request's method and body
-- (from the environment), then wrk_report.lua for the figures and the request cap.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY")
dofile(os.getenv("BENCH_REPORT_SCRIPT"))
