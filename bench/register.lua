-- POST /market/api/agents/register with a unique name per request: each call creates an
-- agent grain (state write through the ADO.NET provider), its API-key grain and a
-- directory row in PostgreSQL.
local counter = 0
local next_thread_id = 0
local run_id = os.getenv("RUN_ID") or tostring(os.time())
function setup(thread)
  thread:set("thread_id", next_thread_id)
  next_thread_id = next_thread_id + 1
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"bench-%s-%d-%d","description":"Load benchmark agent"}', run_id, thread_id or 0, counter)
  return wrk.format("POST", "/market/api/agents/register", { ["Content-Type"] = "application/json" }, body)
end
