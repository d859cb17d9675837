-- wrk script: POST an OpenAI chat completion request. Set the API key and model with environment variables.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("BENCH_API_KEY")
if key and key ~= "" then wrk.headers["Authorization"] = "Bearer " .. key end
local model = os.getenv("BENCH_MODEL") or "bench"
local stream = os.getenv("BENCH_STREAM") == "1"
wrk.body = '{"model":"' .. model .. '","messages":[{"role":"system","content":"You are terse."},'
    .. '{"role":"user","content":"Say something about foxes."}],"temperature":0.2'
    .. (stream and ',"stream":true' or '') .. '}'

-- Count non-200 answers so a benchmark of errors is never mistaken for a fast one.
local errors = 0
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH requests=%d non2xx=%d errors=%d p50_us=%d p90_us=%d p99_us=%d rps=%.1f\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    summary.requests / (summary.duration / 1e6)))
end
