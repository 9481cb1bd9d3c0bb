-- Appends an entry to the audit log's hash chain, only if the head is still the one the entry
-- was chained to; else answers {'stale', head} and the node chains it again. The stream id
-- "<sequence>-1" lets a reader find the entries after a sequence with XRANGE.
--
-- Each node appends its journaled entries one at a time, oldest first (app/access/audit_trail.hpp),
-- so the only entry it can offer twice is the one it appended just before a crash: the script
-- keeps each node's last appended entry key and answers {'duplicate', head} to that one again.
local stream = KEYS[1]
local head_key = KEYS[2]
local appended = KEYS[3]          -- hash: node id -> key of the last entry it appended
local follows = ARGV[1]           -- the head the entry follows, '' for the first
local entry = ARGV[2]             -- AuditEntry protobuf
local new_head = ARGV[3]          -- "<sequence> <hash>"
local stream_id = ARGV[4]         -- "<sequence>-1"
local node = ARGV[5]              -- the appending node's id
local entry_key = ARGV[6]         -- SHA-256 (hex) of the entry as the node journaled it

local head = redis.call('GET', head_key) or ''
if redis.call('HGET', appended, node) == entry_key then return {'duplicate', head} end
if head ~= follows then return {'stale', head} end
redis.call('XADD', stream, stream_id, 'pb', entry)
redis.call('SET', head_key, new_head)
redis.call('HSET', appended, node, entry_key)
return {'ok'}
