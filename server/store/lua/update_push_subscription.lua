-- Rewrites one of a responder's phones (its last push, its nudge) if it is still registered:
-- a phone removed meanwhile stays removed. -> 1 if rewritten, 0 if it was gone.
local phones = KEYS[1]
local id = ARGV[1]
local subscription = ARGV[2]      -- PushSubscription protobuf

if redis.call('HEXISTS', phones, id) == 0 then return 0 end
redis.call('HSET', phones, id, subscription)
return 1
