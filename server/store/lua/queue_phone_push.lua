-- Queues a push that is not an alert (a test, a nudge, a notice that a phone was dropped) to
-- one phone of a responder, or to each of them: one job per phone (keys.hpp, push-jobs), due at
-- once. -> how many were queued.
--
-- A nudge or a dropped notice goes once per quiet spell (`quiet_since`, the time the phone was
-- last heard from): the spell is marked in this same step (keys.hpp, push-notices), so a sweep
-- that runs again before the first notice went (a slow push service, a retry, another node's
-- sweep) queues no second one.
local phones = KEYS[1]
local jobs = KEYS[2]
local notices = KEYS[3]
local kind = ARGV[1]              -- test, nudge or dropped
local responder = ARGV[2]
local phone = ARGV[3]             -- '' for every phone of theirs
local now_ms = ARGV[4]
local n = ARGV[5]                 -- tells two such pushes apart
local quiet_since = ARGV[6]       -- ms, for a nudge or a dropped notice; '' for a test

local targets = {phone}
if phone == '' then targets = redis.call('HKEYS', phones) end
local queued = 0
for _, id in ipairs(targets) do
  if redis.call('HEXISTS', phones, id) == 1 then
    local mark = kind .. ' ' .. quiet_since
    local already = quiet_since ~= '' and redis.call('HGET', notices, id) == mark
    if not already then
      if quiet_since ~= '' then redis.call('HSET', notices, id, mark) end
      redis.call('ZADD', jobs, now_ms, kind .. ' 1 ' .. responder .. ' ' .. id .. ' - - ' .. n)
      queued = queued + 1
    end
  end
end
return queued
