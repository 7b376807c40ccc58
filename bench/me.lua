-- GET /market/api/agents/me with a bearer key picked round-robin from a file of API keys
-- (one per line; path in the KEYS_FILE environment variable). Each wrk thread has its own
-- Lua state: threads start at different offsets so that they do not walk the keys in step.
local keys = {}
for line in io.lines(os.getenv("KEYS_FILE") or "bench/results/keys.txt") do
  if #line > 0 then keys[#keys + 1] = line end
end
if #keys == 0 then error("no API keys in KEYS_FILE") end

local counter = 0
local next_thread_id = 0
function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
end

function init(args)
  counter = (thread_id or 0) * math.floor(#keys / 2)
end

function request()
  counter = counter + 1
  local key = keys[(counter % #keys) + 1]
  return wrk.format("GET", "/market/api/agents/me", { ["Authorization"] = "Bearer " .. key })
end
