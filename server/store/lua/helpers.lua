-- Lua functions the scripts of this folder share: embed_scripts.cpp puts this file in front of
-- each script, after `local named_keys, named_args = K, A` (how many KEYS and ARGV slots that
-- script names; a variable tail, such as the alerts of a sending script, follows them).

-- The fields of an incident's hash that make its head, in the order incident_head answers them
-- and parse_head reads them (lua_scripts.hpp, HeadField). pb first: no pb, no incident.
local head_fields = {'pb', 'status', 'updated_ms', 'neighborhood', 'location', 'confirmed_ms', 'step', 'evidence_ms',
                     'neighborhood_name', 'held_ms', 'approved_by'}

-- Every script that sends alerts: after its named ARGV slots, the last of which is `count`, one
-- quadruple per alert: live channel, Alert protobuf, neighborhood, alert id; after its named
-- KEYS, the alert's history stream, in the same order (declared: embed_scripts.cpp says why).
-- Each alert is kept in the incident's list and its neighborhood's history names it there
-- (incident id 'i', place in the list 'n': the alert is written once, replay_alerts.lua reads
-- it back); the history's entry id becomes its offset. It is published to every node, and its
-- neighborhood noted as alerted.
-- With `rung_due_ms` ('' for none), its first rung check is set in the same step (keys.hpp,
-- rungs: "<incident> <alert>"), so no node's death between sending and scheduling can leave a
-- recipient without their push. `first_place` is where the first alert goes in the incident's
-- list: nil to ask the list (LLEN), 0 from a script that has just made the incident. Returns the
-- offsets.
local function publish_all(incident_alerts, alerted, maxlen, count, rungs, rung_due_ms, incident_id, first_place)
  local n = tonumber(count)
  if #ARGV ~= named_args + 4 * n or #KEYS ~= named_keys + n then
    return error('publish_all: ' .. count .. ' alerts announced, ' .. (#ARGV - named_args) ..
                 ' arguments and ' .. (#KEYS - named_keys) .. ' histories after them')
  end
  local offsets = {}
  local place = first_place or redis.call('LLEN', incident_alerts)
  for a = 1, n do
    local i = named_args + 4 * a - 3
    local offset = redis.call('XADD', KEYS[named_keys + a], 'MAXLEN', '~', maxlen, '*', 'i', incident_id, 'n',
                              place + a - 1)
    local tagged = offset .. ' ' .. ARGV[i + 1]
    redis.call('SPUBLISH', ARGV[i], tagged)
    redis.call('RPUSH', incident_alerts, tagged)
    redis.call('SADD', alerted, ARGV[i + 2])
    if rung_due_ms ~= '' then redis.call('ZADD', rungs, rung_due_ms, incident_id .. ' ' .. ARGV[i + 3]) end
    table.insert(offsets, offset)
  end
  return offsets
end
-- Statuses an incident is open in: REPORTED (1) and CONFIRMED (2).
local function is_open(status) return status == '1' or status == '2' end
-- Notes the incident's last activity (ms) for the purge (retention_store.hpp). GT: a node
-- whose clock lags never moves it back. Evidence is never purged, so it stays out: `evidence`
-- says whether the incident is evidence, from a script that knows (one it has just made is
-- not, one whose evidence_ms it has read); nil to ask the incident.
local function touch(activity, incident, id, ms, evidence)
  if evidence == nil then evidence = redis.call('HEXISTS', incident, 'evidence_ms') == 1 end
  if not evidence then redis.call('ZADD', activity, 'GT', ms, id) end
end
-- The open incidents of one kind a report may corroborate: last reported at or after `since`
-- (ms), among the 64 nearest to (lon, lat) within `meters` in that kind's places. Each: {id,
-- status, location pb, head pb, last_report_ms}. The incidents' keys come from the index, so
-- they are built here from the prefix (keys.hpp), not passed in KEYS.
local function near_candidates(places, prefix, lon, lat, meters, since)
  local ids = redis.call('GEOSEARCH', places, 'FROMLONLAT', lon, lat, 'BYRADIUS', meters, 'm', 'ASC', 'COUNT', 64)
  local out = {}
  for _, id in ipairs(ids) do
    local h = redis.call('HMGET', prefix .. 'incident:' .. id, 'status', 'last_report_ms', 'location', 'pb')  -- undeclared: the ids come from the places index
    if h[1] and tonumber(h[2] or '0') >= tonumber(since) then
      table.insert(out, {id, h[1], h[3] or '', h[4] or '', h[2]})
    end
  end
  return out
end
-- An incident's member in the corroboration index (keys.hpp, incidents:near): "<id> <kind>", so
-- the prune knows which places set holds it without reading the incident (issue 22: a call a
-- pruned incident). Nodes before that wrote the id alone: every script here moves or removes
-- either form (`id` and this member in one command), and the prune reads both.
local function corroborable_member(id, kind) return id .. ' ' .. kind end
-- Takes an incident out of the corroboration index, either form.
local function not_corroborable(reported, places_prefix, incident, id)
  local kind = redis.call('HGET', incident, 'kind')
  if not kind then return redis.call('ZREM', reported, id) end
  redis.call('ZREM', places_prefix .. kind, id)  -- undeclared: the kind is read from the incident
  redis.call('ZREM', reported, id, corroborable_member(id, kind))
end
-- Prunes the index of incidents last reported before `cutoff` (ms): no report can corroborate
-- them any more, and where reports crowd one spot they would hide the ones it can. A hundred at
-- a time keeps each script short; every report that opens an incident prunes. A member an old
-- node wrote (the id alone) has its kind read from the incident.
local function prune_corroborable(reported, places_prefix, prefix, cutoff)
  local pruned = {}
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', reported, '-inf', '(' .. cutoff, 'LIMIT', 0, 100)) do
    local id, kind = string.match(member, '^(%S+) (%d+)$')
    if id then
      redis.call('ZREM', places_prefix .. kind, id)  -- undeclared: the kind is the member's
      table.insert(pruned, member)
    else
      not_corroborable(reported, places_prefix, prefix .. 'incident:' .. member, member)  -- undeclared: the ids come from the index
    end
  end
  if #pruned > 0 then redis.call('ZREM', reported, unpack(pruned)) end
end
-- A report's idempotency key seen before, its value "<incident> <report> <digest>": answers
-- {'repeat', "<incident> <report>"} if the request says what the first did (the same content
-- digest, or none stored: written before digests were), else {'reused'} (keys.hpp, idem).
-- `digest_hex` is the same digest as written before issue 22 (core/idempotency.hpp): an entry
-- from then holds that until its time to live is up.
local function earlier_report(earlier, digest, digest_hex)
  local incident, report, stored = string.match(earlier, '^(%S+) (%S+) ?(%S*)$')
  if not incident then return {'repeat', earlier} end
  if stored ~= '' and stored ~= digest and stored ~= digest_hex then return {'reused'} end
  return {'repeat', incident .. ' ' .. report}
end
-- An incident's head (head_fields), '' for a field not set; nil if there is no such incident.
local function incident_head(key)
  local head = redis.call('HMGET', key, unpack(head_fields))
  if not head[1] then return nil end
  for i = 2, #head_fields do head[i] = head[i] or '' end
  return head
end
-- Appends each of `parts` to the list `out`, and answers `out`.
local function appended(out, parts)
  for _, part in ipairs(parts) do table.insert(out, part) end
  return out
end
-- The availability book: its version ('' before the first change) and responder -> until (ms).
local function availability_book(book, version)
  return {redis.call('GET', version) or '', redis.call('HGETALL', book)}
end
-- A step that chose fresh recipients from a copy of the book sends the copy's version
-- (`check` '1'): if the book has changed since, the step writes nothing and answers
-- {'stale', version, book}. nil when the copy is current, or nothing was chosen from one.
local function stale_book(book, version, check, expected)
  if check == '' or (redis.call('GET', version) or '') == expected then return nil end
  local current = availability_book(book, version)
  return {'stale', current[1], current[2]}
end

-- A final delivery report on one alert a text carried, in its incident's texts hash
-- (record_text_report.lua, and finish_sms_job.lua for a report that came before the text's
-- record): 'delivered' keeps its first time and clears a problem; a problem word never goes over
-- a delivered one.
local function text_report(texts, alert_id, responder, word, at_ms)
  local who = ' ' .. alert_id .. ' ' .. responder
  if word == 'delivered' then
    redis.call('HSETNX', texts, 'delivered' .. who, at_ms)
    redis.call('HDEL', texts, 'problem' .. who)
  elseif redis.call('HEXISTS', texts, 'delivered' .. who) == 0 then
    redis.call('HSET', texts, 'problem' .. who, word)
  end
end
