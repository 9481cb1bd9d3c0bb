// The signed text of an issued-token record (token_record.hpp).
#include "core/token_record.hpp"

#include "core/clock.hpp"

namespace puente::core {

namespace {

void token_record_field(std::string& text, const std::string& value) {
  text += std::to_string(value.size());
  text += ':';
  text += value;
}

std::string token_record_time(bool set, const google::protobuf::Timestamp& at) {
  return set ? std::to_string(to_ms(at)) : std::string();
}

}  // namespace

std::string token_record_statement(const v1::IssuedToken& record) {
  std::string text = "puente token record 1\n";
  token_record_field(text, record.id());
  token_record_field(text, record.responder_id());
  token_record_field(text, record.token_sha256());
  token_record_field(text, token_record_time(record.has_created_at(), record.created_at()));
  token_record_field(text, token_record_time(record.has_expires_at(), record.expires_at()));
  token_record_field(text, token_record_time(record.has_revoked_at(), record.revoked_at()));
  token_record_field(text, record.device() ? "1" : "0");
  token_record_field(text, record.issued_by());
  token_record_field(text, record.note());
  return text;
}

}  // namespace puente::core
