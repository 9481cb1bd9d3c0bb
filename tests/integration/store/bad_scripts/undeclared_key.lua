-- A script that writes to a key it was given in ARGV, not KEYS: refused by puente_embed_scripts.
local incident = KEYS[1]
local history = ARGV[1]
redis.call('XADD', history, '*', 'pb', redis.call('HGET', incident, 'pb'))
