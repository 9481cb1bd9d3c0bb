-- What the rung worker needs beyond the incident itself, per recipient of one alert: whether
-- its push rung was taken ("queued <alert> <responder>" in the incident's pushes hash), how many
-- phones they registered ({p}push:{responder}), whether its sms rung was taken (the same field in
-- the incident's texts hash) and whether they replied STOP ({p}sms-stopped).
-- -> {push queued 0/1, phones, sms queued 0/1, stopped 0/1, ...} in the order of the responders
-- given. The phone hashes are built from the prefix (keys.hpp).
local pushes = KEYS[1]
local texts = KEYS[2]
local stopped = KEYS[3]
local prefix = ARGV[1]
local alert_id = ARGV[2]
local responder_count = ARGV[3]   -- the responder ids follow

local out = {}
for i = 4, 3 + tonumber(responder_count) do
  local responder = ARGV[i]
  local field = 'queued ' .. alert_id .. ' ' .. responder
  table.insert(out, redis.call('HEXISTS', pushes, field))
  table.insert(out, redis.call('HLEN', prefix .. 'push:' .. responder))
  table.insert(out, redis.call('HEXISTS', texts, field))
  table.insert(out, redis.call('SISMEMBER', stopped, responder))
end
return out
