-- What a claimed text needs before it is written: the alerts waiting for the responder
-- ("<incident id> <alert id>" -> ms its sms rung was taken; "attempt" -> texts tried so far),
-- whether they replied STOP, and the texts the network handed to smsbox this hour (the budget).
-- -> {{field, value, ...}, stopped 0/1, sent this hour}.
local waiting = KEYS[1]
local stopped = KEYS[2]
local count = KEYS[3]             -- sms-count:{this hour}
local responder = ARGV[1]

return {redis.call('HGETALL', waiting), redis.call('SISMEMBER', stopped, responder),
        tonumber(redis.call('GET', count) or '0')}
