-- Takes the rungs beyond the socket of one alert for the responders the ladder says are due,
-- each once ("queued <alert> <responder>" set now, so two nodes holding the same rung check, one
-- of them past its lease, take it once):
--   push: one push job per phone they have (keys.hpp, push-jobs), due at once;
--   sms:  the alert joins the texts waiting for them (sms-waiting:{responder}), and their text
--         is due `bundle_ms` after the first alert waiting, so the alerts of that window go as
--         one text. A text being sent now (its responder leased) is not queued again: the step
--         that finishes it queues what is left (finish_sms_job.lua).
-- In the same step the rung check is given back: set again at `next_ms` if some recipient may
-- need a rung later, else removed. Nothing is taken for an incident that is gone.
-- -> how many pushes and alert texts were queued.
local rungs = KEYS[1]
local leased_rungs = KEYS[2]
local incident = KEYS[3]
local pushes = KEYS[4]
local jobs = KEYS[5]
local texts = KEYS[6]
local sms_jobs = KEYS[7]
local leased_sms_jobs = KEYS[8]
local member = ARGV[1]            -- the rung check: "<incident id> <alert id>"
local next_ms = ARGV[2]           -- '' when no rung is left for anyone
local now_ms = ARGV[3]
local incident_id = ARGV[4]
local alert_id = ARGV[5]
local bundle_ms = ARGV[6]
local push_count = ARGV[7]        -- the responder ids due a push follow (their phone hashes
local sms_count = ARGV[8]         -- after the KEYS), then those due a text (their sms-waiting)

redis.call('ZREM', leased_rungs, member)
if redis.call('EXISTS', incident) == 0 then return 0 end
if next_ms ~= '' then redis.call('ZADD', rungs, next_ms, member) end
local queued = 0
local pushing = tonumber(push_count)
for a = 1, pushing do
  local responder = ARGV[named_args + a]
  local phones = KEYS[named_keys + a]
  if redis.call('HSETNX', pushes, 'queued ' .. alert_id .. ' ' .. responder, now_ms) == 1 then
    for _, phone in ipairs(redis.call('HKEYS', phones)) do
      redis.call('ZADD', jobs, now_ms, 'alert 1 ' .. responder .. ' ' .. phone .. ' ' .. incident_id .. ' ' .. alert_id .. ' 0')
      queued = queued + 1
    end
  end
end
for a = pushing + 1, pushing + tonumber(sms_count) do
  local responder = ARGV[named_args + a]
  local waiting = KEYS[named_keys + a]
  if redis.call('HSETNX', texts, 'queued ' .. alert_id .. ' ' .. responder, now_ms) == 1 then
    redis.call('HSET', waiting, incident_id .. ' ' .. alert_id, now_ms)
    if not redis.call('ZSCORE', leased_sms_jobs, responder) then
      redis.call('ZADD', sms_jobs, 'NX', tonumber(now_ms) + tonumber(bundle_ms), responder)
    end
    queued = queued + 1
  end
end
return queued
