-- Checks and keeps a responder's answer to an incident's alert, in one step: the incident must
-- exist ({'not_found'}) and have sent the alert ({'no_alert'}), and the responder must be one of
-- the alert's recipients or may ack in the incident's neighborhood (`anywhere`, or it is one of
-- `neighborhoods`: core::ack_reach), else {'not_recipient', neighborhood}. So an ack costs one
-- script, not a read of the incident and then a write (issue 16).
-- Each responder has their last changes of state (keys.hpp, ack_states): a repeat of their
-- state for the same alert changes nothing and answers {'same'}; a repeated idempotency key
-- answers {'repeat'}, or {'reused'} if the content differs from the first (nothing is written
-- then). Else -> {'ok', ack log id}; the board hears of it, in the event the caller made with
-- the incident's neighborhood and status added here.
local incident = KEYS[1]
local incident_alerts = KEYS[2]   -- "<offset> <Alert protobuf>", as publish_all keeps them
local states = KEYS[3]            -- the incident's ack_states
local ack_log = KEYS[4]
local idempotency = KEYS[5]
local activity = KEYS[6]
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
local anywhere = ARGV[12]         -- '1': may ack an alert of any neighborhood
local neighborhoods = ARGV[13]    -- else the neighborhoods they may, space-separated
local digest_hex = ARGV[14]       -- the digest as kept before (core/idempotency.hpp)

-- A varint of the protobuf `pb` at index i: its value and the index after it; nil at the end.
local function varint(pb, i)
  local value, scale = 0, 1
  while true do
    local b = string.byte(pb, i)
    if not b then return nil, i end
    value = value + (b % 128) * scale
    i = i + 1
    if b < 128 then return value, i end
    scale = scale * 128
  end
end
-- Whether the Alert protobuf `pb` (proto/puente/v1: id = 1, recipients = 11) went to
-- `responder`; nil if it is another alert than `wanted`. The id comes first as the C++ writes
-- it, so another alert is left after its first field.
local function reached(pb, wanted, responder)
  local i, to = 1, false
  while i <= #pb do
    local tag, n
    tag, i = varint(pb, i)
    if not tag then break end
    local field, wire = math.floor(tag / 8), tag % 8
    if wire == 2 then
      n, i = varint(pb, i)
      if not n then break end
      local value = string.sub(pb, i, i + n - 1)
      i = i + n
      if field == 1 and value ~= wanted then return nil end
      if field == 11 and value == responder then to = true end
    elseif wire == 0 then
      n, i = varint(pb, i)
    elseif wire == 1 then
      i = i + 8
    elseif wire == 5 then
      i = i + 4
    else
      break
    end
  end
  return to
end
-- A varint as protobuf writes it (n >= 0).
local function as_varint(n)
  local out = {}
  repeat
    local b = n % 128
    n = math.floor(n / 128)
    table.insert(out, string.char(n > 0 and b + 128 or b))
  until n == 0
  return table.concat(out)
end

local head = redis.call('HMGET', incident, 'pb', 'neighborhood', 'status', 'evidence_ms')
if not head[1] then return {'not_found'} end
local where, status = head[2] or '', head[3] or ''
local to
for _, tagged in ipairs(redis.call('LRANGE', incident_alerts, 0, -1)) do
  to = reached(string.sub(tagged, (string.find(tagged, ' ', 1, true) or 0) + 1), alert, responder)
  if to ~= nil then break end
end
if to == nil then return {'no_alert'} end
-- Anyone an alert went to may answer it (an escalation reaches beyond the incident's own
-- neighborhood); otherwise the neighborhood's own responders, and staff.
local may = to or anywhere == '1'
if not may and where ~= '' then
  for slug in string.gmatch(neighborhoods, '%S+') do
    if slug == where then may = true end
  end
end
if not may then return {'not_recipient', where} end
if idempotency_ttl ~= '' then
  local earlier = redis.call('GET', idempotency)
  -- "1": written before digests were kept, it matches any content. A digest in hex: written
  -- before issue 22, kept until its time to live is up.
  if earlier then
    return {(earlier == digest or earlier == digest_hex or earlier == '1') and 'repeat' or 'reused'}
  end
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
touch(activity, incident, id, now_ms, head[4] ~= false)
local logged = redis.call('XADD', ack_log, '*', 'incident', id, 'pb', ack)
-- IncidentEvent's neighborhood (2) and status (3), appended: protobuf merges what follows.
local told = event .. '\18' .. as_varint(#where) .. where .. '\24' .. as_varint(tonumber(status) or 0)
redis.call('SPUBLISH', board, logged .. ' ' .. told)
return {'ok', logged}
