-- Queues a push that is not an alert (a test, a nudge, a notice that a phone was dropped) to
-- one phone of a responder, or to each of them: one job per phone (keys.hpp, push-jobs), due at
-- once. -> how many were queued.
local phones = KEYS[1]
local jobs = KEYS[2]
local kind = ARGV[1]              -- test, nudge or dropped
local responder = ARGV[2]
local phone = ARGV[3]             -- '' for every phone of theirs
local now_ms = ARGV[4]
local n = ARGV[5]                 -- tells two such pushes apart

local targets = {phone}
if phone == '' then targets = redis.call('HKEYS', phones) end
local queued = 0
for _, id in ipairs(targets) do
  if redis.call('HEXISTS', phones, id) == 1 then
    redis.call('ZADD', jobs, now_ms, kind .. ' 1 ' .. responder .. ' ' .. id .. ' - - ' .. n)
    queued = queued + 1
  end
end
return queued
