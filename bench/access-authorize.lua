-- wrk script: POST authorize, each request with the next org's key (round robin per thread).
-- access-keys.lua (written by access-setup.py) defines `keys` and `body`.
-- The requests are formatted once per thread and there is no response() callback (with one,
-- wrk parses every response's headers and body into Lua): on this 2-core machine wrk shares
-- the cores with the stack it measures, so its own cost per request is kept small.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "access-keys.lua")

local requests = {}
local i = 0

function setup(thread)
  thread:set("offset", math.random(#keys))
end

function init(args)
  for k = 1, #keys do
    requests[k] = wrk.format("POST", "/access/api/v1/agent/retrieve/authorize",
      { ["Authorization"] = "Bearer " .. keys[k], ["Content-Type"] = "application/json" }, body)
  end
  i = offset or 0
end

function request()
  i = (i % #requests) + 1
  return requests[i]
end

function done(summary, latency, requests)
  io.write(string.format("non-2xx/3xx responses: %d\n", summary.errors.status))
end
