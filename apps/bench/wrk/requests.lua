-- wrk script of the bench (apps/bench/src/load-wrk.ts writes its arguments).
-- args[1]: a file of raw HTTP requests, each "<byte length>\n<bytes>"; each thread
-- sends them in turn from its own offset (args[2] + thread number x args[3]), so
-- tokens, task ids and bodies rotate as in the autocannon fallback.
-- Every response is checked: a status outside 2xx, or 207 (a tRPC batch with a
-- failed call), counts as a failure, and the first one is kept for the message.
-- done() prints one line "BENCH_RESULT <json>" for load-wrk.ts to read.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local requests = {}
local position = 0
failures = 0
first_failure = ""

local function read_requests(path)
  local file = assert(io.open(path, "rb"))
  local data = file:read("*a")
  file:close()
  local cursor = 1
  while cursor <= #data do
    local newline = data:find("\n", cursor, true)
    local length = tonumber(data:sub(cursor, newline - 1))
    requests[#requests + 1] = data:sub(newline + 1, newline + length)
    cursor = newline + length + 1
  end
end

function init(args)
  read_requests(args[1])
  position = tonumber(args[2]) + thread_number * tonumber(args[3])
end

function request()
  position = position + 1
  return requests[(position % #requests) + 1]
end

function response(status, headers, body)
  if status < 200 or status > 299 or status == 207 then
    failures = failures + 1
    if first_failure == "" then
      first_failure = status .. " " .. string.sub(body or "", 1, 300)
    end
  end
end

local function json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(char)
    return string.format("\\u%04x", char:byte())
  end) .. '"'
end

function done(summary, latency, _)
  local failed, first = 0, ""
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    if first == "" then first = thread:get("first_failure") end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,' ..
      '"failures":%d,"socketErrors":%d,"timeouts":%d,"firstFailure":%s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    failed, errors.connect + errors.read + errors.write, errors.timeout, json_string(first)))
end
