-- wrk script for bench/run --server: method, body and Cookie from the environment, and one
-- JSON line of results at the end (parsed by bench/_wrk.py).
--
-- With WRK_EXPECT_STATUS set, every response is checked (status, and the Location header
-- against WRK_LOCATION exactly or WRK_LOCATION_PREFIX as a prefix) and the misses are counted
-- as "unexpected": a redirect to an error page is a 302 too, which wrk alone would count as
-- a success. Only the redirect cases turn this on (it costs wrk a header table per response).
wrk.method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
local cookie = os.getenv("WRK_COOKIE") or ""
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local expect_status = tonumber(os.getenv("WRK_EXPECT_STATUS") or "")
local location = os.getenv("WRK_LOCATION") or ""
local location_prefix = os.getenv("WRK_LOCATION_PREFIX") or ""
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

if expect_status then
  unexpected = 0
  response = function(status, headers, _)
    local ok = status == expect_status
    if ok and (location ~= "" or location_prefix ~= "") then
      local got = nil
      for name, value in pairs(headers) do
        if string.lower(name) == "location" then
          got = value
        end
      end
      if got == nil then
        ok = false
      elseif location ~= "" then
        ok = got == location
      else
        ok = string.sub(got, 1, #location_prefix) == location_prefix
      end
    end
    if not ok then
      unexpected = unexpected + 1
    end
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local missed = -1 -- no check ran
  if expect_status then
    missed = 0
    for _, thread in ipairs(threads) do
      missed = missed + (thread:get("unexpected") or 0)
    end
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d,'
      .. ' "unexpected": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    missed, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean))
end
