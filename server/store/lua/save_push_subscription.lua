-- Keeps one of a responder's phones for Web Push: the same subscription id (the same endpoint)
-- replaces itself; a new one is refused past the most a responder may register.
-- -> 'saved', 'replaced' or 'too_many'.
local phones = KEYS[1]
local endpoint_holders = KEYS[2]
local responder = ARGV[1]
local id = ARGV[2]
local subscription = ARGV[3]      -- PushSubscription protobuf
local most = ARGV[4]

local replaced = redis.call('HEXISTS', phones, id) == 1
if not replaced and redis.call('HLEN', phones) >= tonumber(most) then return 'too_many' end
redis.call('HSET', phones, id, subscription)
redis.call('SADD', endpoint_holders, responder)
if replaced then return 'replaced' end
return 'saved'
