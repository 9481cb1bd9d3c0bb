-- Keeps an issued token's record and tells every node (which reload their tables).
local tokens = KEYS[1]
local id = ARGV[1]
local record = ARGV[2]            -- IssuedToken protobuf
local changes = ARGV[3]           -- the changes channel

redis.call('HSET', tokens, id, record)
redis.call('SPUBLISH', changes, id)
return 'ok'
