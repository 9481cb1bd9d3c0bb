-- Which incident sent an alert, looked for among the incidents active since a time (an alert
-- sent then made its incident active then: keys.hpp, incidents:activity). An alert list entry
-- is "<offset> <Alert protobuf>", and a serialized Alert opens with its id (field 1: 0x0A, the
-- length, the id), so the id is matched there and nowhere else (a note may quote another id).
-- -> the incident id, or '' if none of them sent it.
local activity = KEYS[1]
local alert_id = ARGV[1]          -- "al-" and 16 hex digits: its length fits one byte
local since_ms = ARGV[2]
local incident_prefix = ARGV[3]   -- "{p}incident:"

local head = '\10' .. string.char(#alert_id) .. alert_id
for _, id in ipairs(redis.call('ZRANGEBYSCORE', activity, since_ms, '+inf')) do
  for _, entry in ipairs(redis.call('LRANGE', incident_prefix .. id .. ':alerts', 0, -1)) do  -- undeclared: the ids come from the activity index
    local space = string.find(entry, ' ', 1, true)
    if space and string.sub(entry, space + 1, space + #head) == head then return id end
  end
end
return ''
