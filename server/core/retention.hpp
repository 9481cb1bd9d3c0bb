#pragma once
// How long the network keeps what it learns, as plain functions of time (issue 7, "Privacy").
//
// An incident, with its reports, alerts, acks and delivery records, is purged once its last
// activity is older than the retention (default 72 hours). Its last activity is the last time
// anything was written to it: opened, a report attached, a status change or update, an
// escalation step, an ack. That holds for open incidents too: one that is still being updated
// stays, one nobody has touched for the whole retention goes like a closed one. An incident a
// dispatcher marks as evidence is never purged, and its reports lose the caller's contact.
// The report and ack logs and the neighborhoods' alert histories are trimmed by age to the
// same cutoff, and idempotency keys live no longer than the retention.

#include "puente/v1/puente.pb.h"

#include <chrono>
#include <string>

namespace puente::core {

inline constexpr std::chrono::hours default_retention{72};

// Anything whose last activity is at or before the cutoff is purged.
std::chrono::system_clock::time_point purge_cutoff(std::chrono::system_clock::time_point now,
                                                   std::chrono::seconds retention);

// The first stream id kept when a stream is trimmed to `cutoff` (XTRIM MINID): Redis makes the
// ids of XADD '*' from its clock in ms, "<ms>-<sequence>", so every entry added after the cutoff
// has an id at or above "<cutoff ms>-0".
std::string stream_min_id(std::chrono::system_clock::time_point cutoff);

// How long an idempotency key (a retried report or ack) is remembered: a day, or the retention
// if that is shorter, since the key's value names the incident it made.
std::chrono::seconds idempotency_ttl(std::chrono::seconds retention);

// How long an alert stays in its neighborhood's history: its own limit, but never past the
// retention.
std::chrono::seconds history_age_limit(std::chrono::seconds history_max_age,
                                       std::chrono::seconds retention);

// The report as an evidence incident keeps it: no caller contact (the caller's phone, which is
// never stored anyway, and its keyed hash). True if anything was removed.
bool strip_caller_contact(v1::Report& report);

}  // namespace puente::core
