-- The SMS channel at a glance (GET /v1/sms/status, docs/sms.md): texts handed to smsbox this
-- clock hour, texts waiting and claimed in the send queue, the gateway as the senders last saw
-- it (field, value, ...), and who replied STOP.
local count = KEYS[1]
local jobs = KEYS[2]
local leased_jobs = KEYS[3]
local gateway = KEYS[4]
local stopped = KEYS[5]

return {tonumber(redis.call('GET', count) or '0'), redis.call('ZCARD', jobs),
        redis.call('ZCARD', leased_jobs), redis.call('HGETALL', gateway),
        redis.call('SMEMBERS', stopped)}
