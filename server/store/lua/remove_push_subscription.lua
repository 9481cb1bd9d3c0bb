-- Removes one of a responder's phones, and the mark of the quiet-phone notice it was sent
-- (queue_phone_push.lua). -> 1 if it was there, 0 if not.
local phones = KEYS[1]
local endpoint_holders = KEYS[2]
local notices = KEYS[3]
local responder = ARGV[1]
local id = ARGV[2]

local removed = redis.call('HDEL', phones, id)
redis.call('SREM', endpoint_holders, responder)
redis.call('HDEL', notices, id)
return removed
