-- Sets or clears how long a responder is available outside their shifts, and gives the book a
-- new version (so a step that chose recipients from the old one answers 'stale').
local book = KEYS[1]
local book_version = KEYS[2]
local responder = ARGV[1]
local until_ms = ARGV[2]      -- '' clears
local new_version = ARGV[3]

if until_ms == '' then redis.call('HDEL', book, responder) else redis.call('HSET', book, responder, until_ms) end
redis.call('SET', book_version, new_version)
return 'ok'
