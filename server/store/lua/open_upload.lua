-- Opens an upload if the uploader's quota of the day holds it: adds the declared size to the
-- day's count and refuses (taking it back) when that passes the quota. -> {'ok'} or
-- {'quota', bytes already declared that day}.
local upload = KEYS[1]
local quota = KEYS[2]
local incident = ARGV[1]
local uploader = ARGV[2]
local kind = ARGV[3]
local size = ARGV[4]
local content_type = ARGV[5]
local quota_bytes = ARGV[6]
local expiry_ms = ARGV[7]
local quota_expiry_ms = ARGV[8]

local used = redis.call('INCRBY', quota, size)
if used > tonumber(quota_bytes) then
  redis.call('DECRBY', quota, size)
  return {'quota', tostring(used - tonumber(size))}
end
redis.call('PEXPIRE', quota, quota_expiry_ms)
redis.call('HSET', upload, 'incident', incident, 'uploader', uploader, 'kind', kind, 'size', size,
           'type', content_type)
redis.call('PEXPIRE', upload, expiry_ms)
return {'ok'}
