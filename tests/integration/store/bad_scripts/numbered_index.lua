-- A script that reads a slot by number instead of by name: refused by puente_embed_scripts.
local incident = KEYS[1]
return redis.call('GET', KEYS[2])
