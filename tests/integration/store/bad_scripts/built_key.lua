-- A script that builds a key from a prefix without saying why: refused by puente_embed_scripts.
local incident = KEYS[1]
local prefix = ARGV[1]
return redis.call('HLEN', prefix .. 'push:' .. redis.call('HGET', incident, 'responder'))
