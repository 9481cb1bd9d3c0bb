// The one table from a refusal's kind to its HTTP status and stable code. A switch without a
// default: a kind added to refusal.hpp and forgotten here is a compiler warning (-Wswitch).
#include "app/refusal.hpp"

#include <cassert>

namespace puente::app {

namespace {

struct StatusAndCode {
  unsigned status;
  std::string_view code;
};

StatusAndCode status_and_code(RefusalKind kind) {
  switch (kind) {
    case RefusalKind::bad_input: return {400, ""};  // the code is core's (Refusal::bad_input)
    case RefusalKind::bad_json: return {400, "bad_json"};
    case RefusalKind::bad_protobuf: return {400, "bad_protobuf"};
    case RefusalKind::bad_message: return {400, "bad_message"};
    case RefusalKind::repeated_hello: return {400, "repeated_hello"};
    case RefusalKind::unknown_neighborhood: return {400, "unknown_neighborhood"};
    case RefusalKind::unknown_responder: return {400, "unknown_responder"};
    case RefusalKind::bad_location: return {400, "bad_location"};
    case RefusalKind::bad_offset: return {400, "bad_offset"};
    case RefusalKind::bad_status: return {400, "bad_status"};
    case RefusalKind::bad_range: return {400, "bad_range"};
    case RefusalKind::bad_minutes: return {400, "bad_minutes"};
    case RefusalKind::bad_expiry: return {400, "bad_expiry"};
    case RefusalKind::bad_phone: return {400, "bad_phone"};
    case RefusalKind::too_long: return {400, "too_long"};
    case RefusalKind::note_too_long: return {400, "note_too_long"};
    case RefusalKind::unexpected_field: return {400, "unexpected_field"};
    case RefusalKind::caller_phone_not_accepted: return {400, "caller_phone_not_accepted"};
    case RefusalKind::unreadable_entry: return {400, "unreadable_entry"};
    case RefusalKind::bad_upload: return {400, "bad_upload"};
    case RefusalKind::missing_token: return {401, "missing_token"};
    case RefusalKind::bad_token: return {401, "bad_token"};
    case RefusalKind::hello_first: return {401, "hello_first"};
    case RefusalKind::bad_capability: return {401, "bad_capability"};
    case RefusalKind::forbidden: return {403, "forbidden"};
    case RefusalKind::sender_left_roster: return {403, "sender_left_roster"};
    case RefusalKind::capability_not_for_this_alert: return {403, "capability_not_for_this_alert"};
    case RefusalKind::not_found: return {404, "not_found"};
    case RefusalKind::unknown_alert: return {404, "unknown_alert"};
    case RefusalKind::point_outside_coverage: return {404, "outside_coverage"};
    case RefusalKind::push_not_configured: return {404, "push_not_configured"};
    case RefusalKind::unknown_push_subscription: return {404, "unknown_push_subscription"};
    case RefusalKind::invalid_transition: return {409, "invalid_transition"};
    case RefusalKind::idempotency_conflict: return {409, "idempotency_conflict"};
    case RefusalKind::incident_busy: return {409, "incident_busy"};
    case RefusalKind::too_many_phones: return {409, "too_many_phones"};
    case RefusalKind::upload_offset_mismatch: return {409, "upload_offset_mismatch"};
    case RefusalKind::media_too_large: return {413, "media_too_large"};
    case RefusalKind::media_type_mismatch: return {415, "media_type_mismatch"};
    case RefusalKind::outside_coverage: return {422, "outside_coverage"};
    case RefusalKind::rate_limited: return {429, "rate_limited"};
    case RefusalKind::journal_rate_limited: return {429, "journal_rate_limited"};
    case RefusalKind::media_quota_exceeded: return {429, "media_quota_exceeded"};
    case RefusalKind::store_unavailable: return {503, "store_unavailable"};
    case RefusalKind::journal_full: return {503, "journal_full"};
    case RefusalKind::bad_search: return {400, "bad_search"};
    case RefusalKind::geocoder_not_configured: return {404, "geocoder_not_configured"};
    case RefusalKind::geocoder_bad_answer: return {502, "geocoder_bad_answer"};
    case RefusalKind::geocoder_unavailable: return {503, "geocoder_unavailable"};
  }
  assert(!"a RefusalKind missing from status_and_code");
  return {500, "internal"};
}

}  // namespace

unsigned Refusal::status() const { return status_and_code(kind_).status; }

std::string_view Refusal::code() const {
  return kind_ == RefusalKind::bad_input ? std::string_view(input_code_)
                                         : status_and_code(kind_).code;
}

}  // namespace puente::app
