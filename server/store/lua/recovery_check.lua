-- Whether a client's alert histories can be replayed from where it left off. After the named
-- slots, one history (KEYS) and the client's since offset in it (ARGV) per subscription.
-- -> {epoch, 1 if every since offset can be replayed without a gap, else 0}. An offset of 0
-- ("replay everything there is") recovers whatever remains.
local epoch_key = KEYS[1]
local new_epoch = ARGV[1]         -- used only if none is set: a Redis that lost its data

local function after(a, b)  -- stream id a > b
  local am, as = string.match(a, '^(%d+)-(%d+)$')
  local bm, bs = string.match(b, '^(%d+)-?(%d*)$')
  if not am or not bm then return false end
  am, as, bm, bs = tonumber(am), tonumber(as), tonumber(bm), tonumber(bs ~= '' and bs or '0')
  return am > bm or (am == bm and as > bs)
end
redis.call('SET', epoch_key, new_epoch, 'NX')
local epoch = redis.call('GET', epoch_key)
local recovered = 1
-- The client saw the alert at its since offset, so it was in the history; if the oldest entry
-- now is after it, that one and maybe others were trimmed away.
for i = named_keys + 1, #KEYS do
  local since = ARGV[i - named_keys + named_args]
  local oldest = redis.call('XRANGE', KEYS[i], '-', '+', 'COUNT', 1)[1]
  local everything = since == '0' or since == '0-0'
  if oldest and not everything and after(oldest[1], since) then recovered = 0 end
end
return {epoch, recovered}
