-- Takes the push rung of one alert for the responders the ladder says are due: for each whose
-- rung was not taken yet ("queued <alert> <responder>" set now, so two nodes holding the same
-- rung check, one of them past its lease, queue it once), one push job per phone they have
-- (keys.hpp, push-jobs), due at once. In the same step the rung check is given back: set again
-- at `next_ms` if some recipient may need a rung later, else removed. Nothing is queued for an
-- incident that is gone. -> how many push jobs were queued.
local rungs = KEYS[1]
local leased_rungs = KEYS[2]
local incident = KEYS[3]
local pushes = KEYS[4]
local jobs = KEYS[5]
local member = ARGV[1]            -- the rung check: "<incident id> <alert id>"
local next_ms = ARGV[2]           -- '' when no rung is left for anyone
local now_ms = ARGV[3]
local prefix = ARGV[4]            -- keys.hpp's, for each responder's phones
local incident_id = ARGV[5]
local alert_id = ARGV[6]
local responder_count = ARGV[7]   -- the responder ids follow

redis.call('ZREM', leased_rungs, member)
if redis.call('EXISTS', incident) == 0 then return 0 end
if next_ms ~= '' then redis.call('ZADD', rungs, next_ms, member) end
local queued = 0
for i = 8, 7 + tonumber(responder_count) do
  local responder = ARGV[i]
  if redis.call('HSETNX', pushes, 'queued ' .. alert_id .. ' ' .. responder, now_ms) == 1 then
    for _, phone in ipairs(redis.call('HKEYS', prefix .. 'push:' .. responder)) do
      redis.call('ZADD', jobs, now_ms, 'alert 1 ' .. responder .. ' ' .. phone .. ' ' .. incident_id .. ' ' .. alert_id .. ' 0')
      queued = queued + 1
    end
  end
end
return queued
