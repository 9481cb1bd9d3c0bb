-- Claims push jobs due at `now_ms` (and claimed ones whose lease ran out: their node died),
-- leasing them until `lease_ms`, at most `most` and no more than the network may still send
-- this second ([push] sends_per_second, counted in push-sent:{second} by every node together).
-- -> the claimed members.
local jobs = KEYS[1]
local leased = KEYS[2]
local sent = KEYS[3]              -- push-sent:{this second}
local now_ms = ARGV[1]
local lease_ms = ARGV[2]
local most = ARGV[3]
local per_second = ARGV[4]

local room = tonumber(per_second) - tonumber(redis.call('GET', sent) or '0')
local want = math.min(tonumber(most), room)
local claimed = {}
if want <= 0 then return claimed end
for _, key in ipairs({leased, jobs}) do
  local due = redis.call('ZRANGEBYSCORE', key, '-inf', now_ms, 'LIMIT', 0, want - #claimed)
  for _, member in ipairs(due) do
    redis.call('ZREM', jobs, member)
    redis.call('ZADD', leased, lease_ms, member)
    table.insert(claimed, member)
  end
  if #claimed >= want then break end
end
if #claimed > 0 then
  redis.call('INCRBY', sent, #claimed)
  redis.call('PEXPIRE', sent, 2000)
end
return claimed
