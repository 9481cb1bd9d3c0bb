#pragma once
// What a report or an ack must look like before anything is stored. A refusal names the field
// at fault, in words an operator's client can show as they are.

#include "puente/v1/puente.pb.h"

#include <optional>
#include <string>

namespace puente::core {

struct InputError {
  std::string code;     // "missing_location", "bad_kind", ... (stable, for programs)
  std::string message;  // for a person
};

// Limits, in bytes: a report is read aloud over a phone; nothing longer is real.
inline constexpr std::size_t max_description_bytes = 2000;
inline constexpr std::size_t max_place_bytes = 300;
inline constexpr std::size_t max_language_bytes = 35;  // longest sane BCP 47 tag
inline constexpr std::size_t max_idempotency_key_bytes = 128;
inline constexpr std::size_t max_note_bytes = 500;

// A report needs a kind, and a location (lat/lon) or a neighborhood slug. The point (0, 0)
// counts as missing: it is what an unset location decodes to.
std::optional<InputError> check_report(const v1::Report& report);

std::optional<InputError> check_ack(const v1::Ack& ack);

bool has_location(const v1::Report& report);

}  // namespace puente::core
