-- wrk script: POST authorize, each request with the next org's key (round robin per thread).
-- access-keys.lua (written by access-setup.py) defines `keys` and `body`.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "access-keys.lua")

local i = 0
local statuses = {}

function setup(thread)
  thread:set("offset", math.random(#keys))
end

function request()
  i = i + 1
  local key = keys[((i + offset) % #keys) + 1]
  return wrk.format("POST", "/access/api/v1/agent/retrieve/authorize",
    { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }, body)
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx/3xx responses: %d\n", summary.errors.status))
end
