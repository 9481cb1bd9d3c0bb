#pragma once
// Why a service said no: a kind, from which the HTTP status and the stable code follow (one
// table, refusal.cpp), and words for a person. The same refusal goes out as an HTTP error body
// or a WebSocket {"error": ...} message. Code that must tell refusals apart (is the store
// unreachable? then journal it) compares kinds, never the code's text.

#include "core/input_rules.hpp"
#include "core/token_registry.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace puente::app {

enum class RefusalKind {
  // 400: the request is wrong; changing it may help.
  bad_input,  // core's field checks (core/input_rules.hpp): the code is core's, e.g. "bad_kind"
  bad_json,
  bad_protobuf,
  bad_message,  // a socket frame that is no ClientMessage
  repeated_hello,
  unknown_neighborhood,
  unknown_responder,
  bad_location,
  bad_offset,
  bad_status,
  bad_range,
  bad_minutes,
  bad_expiry,
  bad_phone,
  too_long,
  note_too_long,
  unexpected_field,
  caller_phone_not_accepted,
  unreadable_entry,  // a journal entry that does not parse (logged at its replay only)
  bad_upload,        // media: a declaration or chunk that cannot be taken (docs/evidence.md)
  // 401: no one signed in.
  missing_token,
  bad_token,
  hello_first,
  bad_capability,  // an ack capability forged, expired or from another key
  // 403: signed in, not allowed.
  forbidden,
  sender_left_roster,
  capability_not_for_this_alert,
  // 404
  not_found,
  unknown_alert,
  point_outside_coverage,  // a lookup of a point no neighborhood holds
  push_not_configured,     // Web Push is off ([push] vapid_key_file unset)
  unknown_push_subscription,
  // 409: the state of things says no.
  invalid_transition,
  idempotency_conflict,
  incident_busy,
  too_many_phones,         // [push] max_phones_per_responder
  upload_offset_mismatch,  // a media chunk sent for another offset than the upload's
  // 413, 415: media (docs/evidence.md)
  media_too_large,      // over [media] max_file_bytes, or a chunk over chunk_bytes
  media_type_mismatch,  // the bytes are not what the upload said they are
  // 422
  outside_coverage,
  // 429
  rate_limited,
  journal_rate_limited,
  media_quota_exceeded,  // [media] quota_bytes_per_day for this responder
  // 503: nothing was changed; retry.
  store_unavailable,
  journal_full,
  // Address search (POST /v1/geocode, issue 20), added at the end:
  bad_search,               // 400: no text, or over 200 bytes
  geocoder_not_configured,  // 404: [geography] geocoder_url unset
  geocoder_bad_answer,      // 502: the geocoder answered, but not with places
  geocoder_unavailable,     // 503: the geocoder was not reached in time, or is busy
};

class Refusal {
 public:
  Refusal(RefusalKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}

  static Refusal bad_input(const core::InputError& e) {
    Refusal r(RefusalKind::bad_input, e.message);
    r.input_code_ = e.code;
    return r;
  }
  static Refusal forbidden(std::string message) {
    return {RefusalKind::forbidden, std::move(message)};
  }
  static Refusal not_found(std::string message) {
    return {RefusalKind::not_found, std::move(message)};
  }
  static Refusal unavailable() {
    return {RefusalKind::store_unavailable,
            "the alert store is unreachable; nothing was changed, retry"};
  }

  RefusalKind kind() const { return kind_; }
  unsigned status() const;
  std::string_view code() const;  // stable, for programs
  const std::string& message() const { return message_; }
  // rate_limited: when to come back, in whole seconds (HTTP says it in Retry-After).
  std::optional<long long> retry_after_seconds() const { return retry_after_seconds_; }
  Refusal& retry_after(long long seconds) {
    retry_after_seconds_ = seconds;
    return *this;
  }

 private:
  RefusalKind kind_;
  std::string message_;
  std::string input_code_;  // bad_input: core's code for what is wrong
  std::optional<long long> retry_after_seconds_;
};

using MaybeRefusal = std::optional<Refusal>;

// True when `refusal` says the store could not be reached (nothing was written).
inline bool store_unreachable(const MaybeRefusal& refusal) {
  return refusal && refusal->kind() == RefusalKind::store_unavailable;
}

// How a service answers: a refusal, or the result.
template <typename T>
using Done = std::function<void(MaybeRefusal, T)>;

// Why a bearer token signed no one in (401), in words the client can act on. A revoked, an
// expired and an unknown token get one and the same answer, over HTTP and a socket: telling
// them apart would tell a guesser that a token once existed (issue 15). Why it failed is kept
// for the operators, in the audit log (audit_trail.hpp).
inline Refusal sign_in_refusal(core::SignInFailure failure) {
  if (failure == core::SignInFailure::missing)
    return {RefusalKind::missing_token, "send Authorization: Bearer <token>"};
  return {RefusalKind::bad_token, "the token is not valid; ask an admin for a new one"};
}

}  // namespace puente::app
