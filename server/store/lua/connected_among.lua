-- Which of the responders given hold a live socket on some node now: the ones a node vouches
-- for (presence_store.hpp) past now_ms while that node's word that it is alive stands. Asks
-- only about them (a ZSCORE per responder and live node), so a report's receipt costs as much
-- as its recipients, not the crowd that is connected. -> the ids connected, in the order given.
local presence = KEYS[1]
local presence_nodes = KEYS[2]    -- node id -> the ms until which it says it is alive
local now_ms = ARGV[1]
-- then the tail: the responder ids asked about

local nodes = redis.call('ZRANGE', presence_nodes, '(' .. now_ms, '+inf', 'BYSCORE')
local now = tonumber(now_ms)
local out = {}
for i = 2, #ARGV do
  for _, node in ipairs(nodes) do
    local until_ms = redis.call('ZSCORE', presence, ARGV[i] .. ' ' .. node)
    if until_ms and tonumber(until_ms) > now then
      out[#out + 1] = ARGV[i]
      break
    end
  end
end
return out
