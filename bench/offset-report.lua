-- wrk script: POST /offset/api/agents/report-usage, each request on a random approved link
-- (lines "<apiKey> <linkId>" in $LINKS_FILE), with a rotating session id.
-- The requests are built once per thread (20,000 of them, each on a random link) and replayed
-- in turn: building each one in Lua cost wrk several µs of the CPU it shares with the stack.
local links = {}
for line in io.lines(os.getenv("LINKS_FILE")) do
  local key, link = line:match("^(%S+) (%S+)$")
  links[#links + 1] = { key = key, link = link }
end
local requests, next_request = {}, 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
  for counter = 1, 20000 do
    local l = links[math.random(#links)]
    local body = string.format(
      '{"linkId":"%s","sessionId":"bench-%d","inputTokens":%d,"outputTokens":%d,"model":"claude-sonnet-4-20250514"}',
      l.link, counter % 50, 1000 + counter % 500, 200 + counter % 100)
    requests[counter] = wrk.format("POST", "/offset/api/agents/report-usage",
      { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. l.key }, body)
  end
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end
