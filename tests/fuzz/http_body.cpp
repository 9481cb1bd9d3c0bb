// Every HTTP body a route decodes, as the node decodes it (app/http/request_body.hpp): the
// input's first line names the message ("Report", "PushSubscription", ...), the rest is the
// body, sent once as JSON and once as application/x-protobuf. Any message of puente.proto may be
// named, so a route added later is fuzzed with no change here; a name that is none of them picks
// one by its length.
//
// Beyond "no crash": a refusal goes out as an error body that parses again and names its code; a
// decoded message encodes again as the node would answer (in the encoding of the question) and
// decodes to the same message.

#include "fuzz_target.hpp"

#include "app/http/request_body.hpp"
#include "puente/v1/json.hpp"
#include "puente/v1/puente.pb.h"

#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include <memory>

namespace puente::fuzz {
namespace {

namespace protobuf = google::protobuf;

const protobuf::Descriptor* message_named(std::string_view name) {
  const auto* file = v1::Report::descriptor()->file();
  for (int i = 0; i < file->message_type_count(); ++i)
    if (file->message_type(i)->name() == name) return file->message_type(i);
  return file->message_type(static_cast<int>(name.size() % file->message_type_count()));
}

bool same_message(const protobuf::Message& a, const protobuf::Message& b) {
  // A double may be "NaN" in proto3 JSON; it stays NaN, which equals nothing.
  protobuf::util::DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  protobuf::util::MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  return differencer.Compare(a, b);
}

void check_refusal(const app::Refusal& refusal) {
  fuzz_check(!refusal.message().empty(), "a refusal says why");
  const auto response = net::error_response(static_cast<net::http::status>(refusal.status()),
                                            refusal.code(), refusal.message());
  v1::ServerMessage body;
  fuzz_check(wire::from_json(response.body(), body).empty(), "an error body does not parse");
  fuzz_check(body.error().code() == refusal.code(), "an error body lost its code");
}

void decode_as(const protobuf::Descriptor* type, std::string_view content_type,
               std::string_view body) {
  const auto* prototype = protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  std::unique_ptr<protobuf::Message> message(prototype->New());
  net::Request request{net::http::verb::post, "/v1/fuzz", 11};
  request.set(net::http::field::content_type, content_type);
  request.body() = body;
  if (auto refusal = app::api::decode(request, *message)) return check_refusal(*refusal);

  std::unique_ptr<protobuf::Message> again(prototype->New());
  if (content_type == app::api::kProtobufType)
    fuzz_check(again->ParseFromString(message->SerializeAsString()),
               "a decoded message's binary does not parse");
  else
    fuzz_check(wire::from_json(wire::to_json(*message), *again).empty(),
               "a decoded message's JSON does not parse");
  fuzz_check(same_message(*message, *again), "a decoded message changes when encoded again");
}

}  // namespace
}  // namespace puente::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente::fuzz;
  quiet_protobuf();
  const auto input = as_text(data, size);
  const auto line_end = input.find('\n');
  const auto name = input.substr(0, line_end);
  const auto body =
      line_end == std::string_view::npos ? std::string_view{} : input.substr(line_end + 1);
  const auto* type = message_named(name);
  decode_as(type, "application/json", body);
  decode_as(type, puente::app::api::kProtobufType, body);
  return 0;
}
