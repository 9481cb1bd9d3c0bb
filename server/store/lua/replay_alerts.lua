-- A neighborhood's alerts after an offset, for a socket's replay (store/incident_reads.cpp). Each
-- entry of the history (keys.hpp, alerts:{slug}) names the incident ('i') and the alert's place
-- in that incident's list ('n'), where the alert is kept once (issue 22: written twice it was a
-- third of what a report wrote to the append-only log); an entry written before that holds the
-- alert itself ('pb'). The incident's list is never reordered (only appended to, then deleted
-- whole by the purge), so the place stays right. An alert whose incident was purged is left out.
-- -> {next, offset, Alert protobuf, offset, Alert protobuf, ...}: `next` is the offset of the
-- last entry read when `limit` were read (the next page starts after it: fewer alerts than
-- that may come back, some purged), else empty (the history ends here).
local history = KEYS[1]
local after = ARGV[1]             -- an offset: the replay starts after it
local limit = ARGV[2]             -- history entries read at most
local prefix = ARGV[3]            -- keys.hpp's prefix, for the incidents the entries name

local entries = redis.call('XRANGE', history, '(' .. after, '+', 'COUNT', limit)
local out = {#entries >= tonumber(limit) and entries[#entries][1] or ''}
for _, entry in ipairs(entries) do
  local f = {}
  for j = 1, #entry[2], 2 do f[entry[2][j]] = entry[2][j + 1] end
  local pb = f['pb']
  if not pb and f['i'] and f['n'] then
    local kept = redis.call('LINDEX', prefix .. 'incident:' .. f['i'] .. ':alerts', tonumber(f['n']))  -- undeclared: the incident is read from the history entry
    if kept then pb = string.sub(kept, (string.find(kept, ' ', 1, true) or 0) + 1) end
  end
  if pb then
    table.insert(out, entry[1])
    table.insert(out, pb)
  end
end
return out
