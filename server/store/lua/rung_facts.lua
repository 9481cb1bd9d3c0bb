-- What the rung worker needs beyond the incident itself, per recipient of one alert: whether
-- its push rung was taken ("queued <alert> <responder>" in the incident's pushes hash) and how
-- many phones they registered ({p}push:{responder}). -> {queued 0/1, phones, ...} in the order
-- of the responders given. The phone hashes are built from the prefix (keys.hpp).
local pushes = KEYS[1]
local prefix = ARGV[1]
local alert_id = ARGV[2]
local responder_count = ARGV[3]   -- the responder ids follow

local out = {}
for i = 4, 3 + tonumber(responder_count) do
  local responder = ARGV[i]
  table.insert(out, redis.call('HEXISTS', pushes, 'queued ' .. alert_id .. ' ' .. responder))
  table.insert(out, redis.call('HLEN', prefix .. 'push:' .. responder))
end
return out
