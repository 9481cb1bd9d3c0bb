-- What became of one push job: its lease is dropped; a push to try again goes back in the
-- queue as the next attempt (`retry_member`, due at `retry_ms`); an alert's push records what
-- happened in the incident's pushes hash (keys.hpp): "pushed ..." the first time a push service
-- accepted it, "problem ..." the last failure. Nothing is recorded for an incident that is gone.
local leased = KEYS[1]
local jobs = KEYS[2]
local incident = KEYS[3]          -- for a push that is not an alert's: one that does not exist
local pushes = KEYS[4]
local member = ARGV[1]
local retry_member = ARGV[2]      -- '' when it is not tried again
local retry_ms = ARGV[3]
local pushed_field = ARGV[4]      -- "pushed <alert> <responder>", '' unless accepted
local problem_field = ARGV[5]     -- "problem <alert> <responder>", '' unless it failed
local problem = ARGV[6]           -- the failure word
local now_ms = ARGV[7]

redis.call('ZREM', leased, member)
if retry_member ~= '' then redis.call('ZADD', jobs, retry_ms, retry_member) end
if redis.call('EXISTS', incident) == 0 then return 0 end
if pushed_field ~= '' then redis.call('HSETNX', pushes, pushed_field, now_ms) end
if problem_field ~= '' then redis.call('HSET', pushes, problem_field, problem) end
return 1
