-- Removes the presence a dead node left behind and availability that has run out: who was
-- connected or available, once it no longer matters. -> how many entries went.
local presence = KEYS[1]
local book = KEYS[2]              -- availability
local now_ms = ARGV[1]

local removed = redis.call('ZREMRANGEBYSCORE', presence, '-inf', '(' .. now_ms)
local h = redis.call('HGETALL', book)
for i = 1, #h, 2 do
  if tonumber(h[i + 1]) == nil or tonumber(h[i + 1]) <= tonumber(now_ms) then
    removed = removed + redis.call('HDEL', book, h[i])
  end
end
return removed
