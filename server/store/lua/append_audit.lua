-- Appends an entry to the audit log's hash chain, only if the head is still the one the entry
-- was chained to; else answers {'stale', head} and the node chains it again. The stream id
-- "<sequence>-1" lets a reader find the entries after a sequence with XRANGE.
local stream = KEYS[1]
local head_key = KEYS[2]
local follows = ARGV[1]           -- the head the entry follows, '' for the first
local entry = ARGV[2]             -- AuditEntry protobuf
local new_head = ARGV[3]          -- "<sequence> <hash>"
local stream_id = ARGV[4]         -- "<sequence>-1"

local head = redis.call('GET', head_key) or ''
if head ~= follows then return {'stale', head} end
redis.call('XADD', stream, stream_id, 'pb', entry)
redis.call('SET', head_key, new_head)
return {'ok'}
