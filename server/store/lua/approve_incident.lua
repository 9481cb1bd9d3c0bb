-- Releases an incident held past its neighborhood's cap of unverified incidents
-- (open_incident.lua): its first alerts go out now, as they would have when it was reported.
-- -> {'ok', offsets...}, {'not_found'}, {'closed'}, or {'conflict', status} if it is not held
-- (approved already, or settled by a confirm, false alarm or resolve).
local incident = KEYS[1]
local incident_alerts = KEYS[2]
local alerted = KEYS[3]
local timers = KEYS[4]
local activity = KEYS[5]
local rungs = KEYS[6]             -- rung checks (keys.hpp)
local id = ARGV[1]
local board = ARGV[2]             -- board channel
local event = ARGV[3]             -- IncidentEvent protobuf
local approver = ARGV[4]          -- the dispatcher's responder id
local now_ms = ARGV[5]
local escalate_ms = ARGV[6]       -- '' without an escalation timer (verify first)
local history_max = ARGV[7]
local rung_due_ms = ARGV[8]       -- when to first look for further rungs, '' for never
local alert_count = ARGV[9]       -- the alerts follow

local status = redis.call('HGET', incident, 'status')
if not status then return {'not_found'} end
if not is_open(status) then return {'closed'} end
if redis.call('HEXISTS', incident, 'held_ms') == 0 then return {'conflict', status} end
redis.call('HDEL', incident, 'held_ms')
redis.call('HSET', incident, 'approved_by', approver, 'updated_ms', now_ms)
if escalate_ms ~= '' then redis.call('ZADD', timers, escalate_ms, id) end
touch(activity, incident, id, now_ms)
local offsets = publish_all(incident_alerts, alerted, history_max, alert_count, rungs, rung_due_ms, id)
redis.call('SPUBLISH', board, (offsets[1] or '-') .. ' ' .. event)
return {'ok', unpack(offsets)}
