-- One alert of an incident, without the rest of it: what a push of that alert needs
-- (channels/push_dispatch.hpp). load_incident.lua would answer every record of the incident too,
-- which grows with each recipient (its delivery batches, its push records: a few per
-- recipient), so reading it whole for each of an alert's N pushes made them cost N^2. An alert
-- list entry is "<offset> <Alert protobuf>", matched by its id as find_alert_incident.lua does.
-- -> the entry, or '' if there is no such incident (load_incident.lua's test: no head) or it
-- sent no such alert.
local incident = KEYS[1]
local incident_alerts = KEYS[2]
local alert_id = ARGV[1]          -- "al-" and 16 hex digits: its length fits one byte

if redis.call('HEXISTS', incident, 'pb') == 0 then return '' end
local head = '\10' .. string.char(#alert_id) .. alert_id
for _, entry in ipairs(redis.call('LRANGE', incident_alerts, 0, -1)) do
  local space = string.find(entry, ' ', 1, true)
  if space and string.sub(entry, space + 1, space + #head) == head then return entry end
end
return ''
