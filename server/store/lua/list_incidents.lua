-- The heads (incident_head) of the newest `limit` incidents of an index. The incidents' keys
-- come from the index, so they are built here from the prefix (keys.hpp).
local index = KEYS[1]
local limit = ARGV[1]
local prefix = ARGV[2]

local out = {}
for _, id in ipairs(redis.call('ZREVRANGE', index, 0, tonumber(limit) - 1)) do
  local head = incident_head(prefix .. 'incident:' .. id)  -- undeclared: the ids come from the index
  if head then table.insert(out, head) end
end
return out
