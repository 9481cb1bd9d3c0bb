-- Sends an incident's on-scene alerts (a check-in step, a help call, a stand-by) and tells the
-- board, in one step (incident_store.hpp, send_on_scene): {'ok', offsets...}, or
-- {'not_found'}. With a responder: only the check-in step after the one taken for `anchor_ms`,
-- in an open incident ({'closed'}, {'conflict'} otherwise), and the next step's deadline with it.
-- With `once`: only the first time ({'conflict'} after), for the stand-by.
local incident = KEYS[1]
local incident_alerts = KEYS[2]
local alerted = KEYS[3]
local activity = KEYS[4]
local checkin_timers = KEYS[5]   -- written only with a check-in step
local rungs = KEYS[6]            -- rung checks (keys.hpp)
local id = ARGV[1]
local now_ms = ARGV[2]
local board = ARGV[3]            -- board channel
local event = ARGV[4]            -- IncidentEvent protobuf
local history_max = ARGV[5]
local responder = ARGV[6]        -- whose check-in step this is; '' for none
local anchor_ms = ARGV[7]
local step = ARGV[8]             -- the step taken now (1, 2, 3)
local next_ms = ARGV[9]          -- the next step's deadline, '' if none
local once = ARGV[10]            -- a field of the incident hash: sent only if it is unset
local rung_due_ms = ARGV[11]     -- when to first look for further rungs, '' for never
local alert_count = ARGV[12]     -- the alerts follow

local status = redis.call('HGET', incident, 'status')
if not status then return {'not_found'} end
if responder ~= '' then
  if not is_open(status) then return {'closed'} end
  local field = 'checkin ' .. responder
  local taken = redis.call('HGET', incident, field) or ''
  local at, steps = string.match(taken, '^(%d+) (%d+)$')
  if at ~= anchor_ms then steps = '0' end
  if tonumber(steps) ~= tonumber(step) - 1 then return {'conflict'} end
  redis.call('HSET', incident, field, anchor_ms .. ' ' .. step)
  if next_ms ~= '' then redis.call('ZADD', checkin_timers, next_ms, id .. ' ' .. responder) end
end
if once ~= '' and redis.call('HSETNX', incident, once, now_ms) == 0 then return {'conflict'} end
touch(activity, incident, id, now_ms)
local offsets = publish_all(incident_alerts, alerted, history_max, alert_count, rungs, rung_due_ms, id)
redis.call('SPUBLISH', board, (offsets[1] or '-') .. ' ' .. event)
return {'ok', unpack(offsets)}
