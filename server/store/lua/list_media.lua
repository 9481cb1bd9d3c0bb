-- An incident's media, oldest first: {pb, shared sha or '', ...}.
local incident_media = KEYS[1]
local media_prefix = ARGV[1]      -- {p}media:

local out = {}
for _, id in ipairs(redis.call('ZRANGE', incident_media, 0, -1)) do
  local f = redis.call('HMGET', media_prefix .. id, 'pb', 'shared')  -- undeclared: the ids come from the incident's media
  if f[1] then
    out[#out + 1] = f[1]
    out[#out + 1] = f[2] or ''
  end
end
return out
