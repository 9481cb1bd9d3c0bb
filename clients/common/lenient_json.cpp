#include "lenient_json.hpp"

#include <google/protobuf/util/json_util.h>

namespace puente::client {

std::string from_json_lenient(std::string_view json, google::protobuf::Message& message) {
  google::protobuf::util::JsonParseOptions options;
  // Also covers enum values added after this client was built: they read as the default.
  options.ignore_unknown_fields = true;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message, options);
  if (status.ok()) return {};
  std::string why(status.message());
  return why.empty() ? "malformed JSON" : why;
}

}  // namespace puente::client
