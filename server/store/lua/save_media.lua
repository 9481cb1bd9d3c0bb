-- Files a received media under its incident, unless the incident is gone (purged meanwhile):
-- the media record, the incident's index, the blobs' references, the incident's activity, and
-- the upload is done. -> 'ok' or 'gone'.
local incident = KEYS[1]
local incident_media = KEYS[2]
local media = KEYS[3]
local upload = KEYS[4]
local activity = KEYS[5]
local blob = KEYS[6]              -- {p}blob:{sha}; the shared copy's, if any, follows
local incident_id = ARGV[1]
local media_id = ARGV[2]
local pb = ARGV[3]
local sha = ARGV[4]
local shared = ARGV[5]            -- the shared copy's SHA-256, or ''
local now_ms = ARGV[6]

if redis.call('EXISTS', incident) == 0 then return 'gone' end
redis.call('HSET', media, 'pb', pb, 'incident', incident_id, 'sha', sha, 'shared', shared)
redis.call('ZADD', incident_media, now_ms, media_id)
redis.call('SADD', blob, media_id)
if shared ~= '' then redis.call('SADD', KEYS[named_keys + 1], media_id) end
touch(activity, incident, incident_id, now_ms)
redis.call('DEL', upload)
return 'ok'
