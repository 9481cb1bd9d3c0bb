-- Keeps a responder's answer to an incident's alert. Each responder has their last changes of
-- state (keys.hpp, ack_states): a repeat of their state for the same alert changes nothing and
-- answers {'same'}; a repeated idempotency key answers {'repeat'}, or {'reused'} if the content
-- differs from the first (nothing is written then); {'not_found'} without the incident. Else
-- -> {'ok', ack log id}; the board hears of it.
local incident = KEYS[1]
local states = KEYS[2]            -- the incident's ack_states
local ack_log = KEYS[3]
local idempotency = KEYS[4]
local activity = KEYS[5]
local ack = ARGV[1]               -- Ack protobuf
local board = ARGV[2]             -- board channel
local event = ARGV[3]             -- IncidentEvent protobuf
local id = ARGV[4]                -- the incident's
local idempotency_ttl = ARGV[5]   -- s; '' without a key
local now_ms = ARGV[6]
local responder = ARGV[7]
local digest = ARGV[8]            -- the ack's content digest
local keep = ARGV[9]              -- changes of state kept per responder
local alert = ARGV[10]
local state = ARGV[11]            -- AckState number

if redis.call('EXISTS', incident) == 0 then return {'not_found'} end
if idempotency_ttl ~= '' then
  local earlier = redis.call('GET', idempotency)
  -- "1": written before digests were kept, it matches any content.
  if earlier then return {(earlier == digest or earlier == '1') and 'repeat' or 'reused'} end
end
-- The history: netstrings, two per change ("<alert> <state>", the Ack), oldest first.
local parts, i, kept = {}, 1, redis.call('HGET', states, responder) or ''
while i <= #kept do
  local colon = string.find(kept, ':', i, true)
  local n = colon and tonumber(string.sub(kept, i, colon - 1))
  if not n then break end
  table.insert(parts, string.sub(kept, colon + 1, colon + n))
  i = colon + n + 1
end
local what = alert .. ' ' .. state
if idempotency_ttl ~= '' then redis.call('SET', idempotency, digest, 'EX', idempotency_ttl) end
if #parts >= 2 and parts[#parts - 1] == what then return {'same'} end
table.insert(parts, what)
table.insert(parts, ack)
while #parts > 2 * tonumber(keep) do
  table.remove(parts, 1)
  table.remove(parts, 1)
end
local out = {}
for _, part in ipairs(parts) do table.insert(out, #part .. ':' .. part) end
redis.call('HSET', states, responder, table.concat(out))
touch(activity, incident, id, now_ms)
local logged = redis.call('XADD', ack_log, '*', 'incident', id, 'pb', ack)
redis.call('PUBLISH', board, logged .. ' ' .. event)
return {'ok', logged}
