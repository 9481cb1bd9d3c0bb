#pragma once
// How an alert is kept in Redis (the incident's alert list, which the neighborhood's history,
// the live channel and every read name; keys.hpp): its protobuf without what it holds twice.
// `text` is always one of `texts` (the network's default language, or English for the on-scene
// alerts), and was stored twice, about 150 B of every alert (issue 22); the entry is left out
// and Alert.text_language says which. Every reader of a stored alert puts it back, so the read
// API, the sockets, replays, the board, Web Push and SMS see the alert as it was made. An alert
// stored before has no text_language and reads as it is.

#include "puente/v1/puente.pb.h"

#include <string>
#include <string_view>

namespace puente::store {

// `alert`'s bytes as Redis keeps them. Leaves the fields the store's scripts read where they
// were (id first, recipients: lua/record_ack.lua, lua/load_alert.lua). `alert` is as made or as
// restored: text_language is set here alone.
std::string stored_alert(const v1::Alert& alert);
// The same from `serialized`, alert.SerializeAsString() made by the caller, who needs those bytes
// too (the board's event carries the alert whole): the entry is cut out of the bytes, where a
// copy of the alert without it cost its hundred recipients' ids once more.
std::string stored_alert(const v1::Alert& alert, std::string_view serialized);

// Puts back what stored_alert left out of `alert`, just parsed from Redis.
void restore_stored_alert(v1::Alert& alert);

}  // namespace puente::store
