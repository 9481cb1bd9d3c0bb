-- Replaces one of a responder's phones with a changed record, only if the record is still the
-- one the change was made from (nobody saved, changed or removed it in between).
-- -> 1 replaced, 0 changed in between (read it again), -1 gone.
local phones = KEYS[1]
local id = ARGV[1]
local before = ARGV[2]     -- PushSubscription protobuf, as read
local after = ARGV[3]      -- PushSubscription protobuf, changed

local now = redis.call('HGET', phones, id)
if not now then return -1 end
if now ~= before then return 0 end
redis.call('HSET', phones, id, after)
return 1
