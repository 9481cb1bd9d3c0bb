-- What the rung worker needs beyond the incident itself, per recipient of one alert: whether
-- its push rung was taken ("queued <alert> <responder>" in the incident's pushes hash), how many
-- phones they registered ({p}push:{responder}), whether its sms rung was taken (the same field in
-- the incident's texts hash) and whether they replied STOP ({p}sms-stopped).
-- -> {push queued 0/1, phones, sms queued 0/1, stopped 0/1, ...} in the order of the responders
-- given.
local pushes = KEYS[1]
local texts = KEYS[2]
local stopped = KEYS[3]
local alert_id = ARGV[1]
local responder_count = ARGV[2]   -- the responder ids follow; their phone hashes follow the KEYS

local out = {}
for a = 1, tonumber(responder_count) do
  local responder = ARGV[named_args + a]
  local phones = KEYS[named_keys + a]
  local field = 'queued ' .. alert_id .. ' ' .. responder
  table.insert(out, redis.call('HEXISTS', pushes, field))
  table.insert(out, redis.call('HLEN', phones))
  table.insert(out, redis.call('HEXISTS', texts, field))
  table.insert(out, redis.call('SISMEMBER', stopped, responder))
end
return out
