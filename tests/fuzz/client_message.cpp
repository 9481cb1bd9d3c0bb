// Client messages as a node decodes them: WebSocket frames (a ClientMessage as JSON text or as
// protobuf binary, app/live/responder_socket.cpp) and HTTP bodies (Report, Ack, IncidentAction,
// Availability, app/http/request_body.hpp), each followed by the checks that run before
// anything is stored. The input is tried as every one of them, in both encodings.
//
// Beyond "no crash": whatever the node answers must decode again. A refusal's message echoes
// the parser's words, and a receipt echoes the client's fields, so the JSON and the binary the
// node would send back are parsed again here.

#include "fuzz_target.hpp"

#include "core/access.hpp"
#include "core/alert_templates.hpp"
#include "core/geo_index.hpp"
#include "core/input_rules.hpp"
#include "core/roster.hpp"
#include "core/stream_offset.hpp"
#include "puente/v1/json.hpp"
#include "puente/v1/json_duplicates.hpp"
#include "puente/v1/puente.pb.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <fstream>
#include <iterator>
#include <map>

namespace puente::fuzz {
namespace {

// One square neighborhood around Boyle Heights and one observer covering it, token "t".
const core::GeoIndex& geography() {
  static const auto geo = core::GeoIndex::from_geojson(R"({"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"slug":"boyle-heights","name":"Boyle Heights"},
     "geometry":{"type":"Polygon","coordinates":[[[-118.23,34.02],[-118.19,34.02],[-118.19,34.06],
                                                  [-118.23,34.06],[-118.23,34.02]]]}}]})");
  return geo;
}

const core::Roster& roster() {
  static const auto roster = core::Roster::from_toml(
      "[[responder]]\nid = \"obs\"\nroles = [\"legal_observer\"]\nneighborhoods = "
      "[\"boyle-heights\"]\n"
      "token_sha256 = \"" +
      core::sha256_hex("t") + "\"\n");
  return roster;
}

// What the node would send back, in the encoding of the question, must parse again.
template <typename Message>
void check_answer(const Message& answer, bool binary) {
  Message again;
  if (binary) {
    fuzz_check(again.ParseFromString(answer.SerializeAsString()),
               "an answer's binary does not parse");
  } else {
    fuzz_check(wire::from_json(wire::to_json(answer), again).empty(),
               "an answer's JSON does not parse");
  }
}

void refused(const std::string& why, bool binary) {
  v1::ServerMessage error;
  error.mutable_error()->set_code("bad_message");
  error.mutable_error()->set_message(why);
  check_answer(error, binary);
}

// The repository's alert texts: a report's own words end up in them.
const core::Templates& templates() {
  static const auto templates = [] {
    std::map<std::string, std::string> files;
    for (const char* tag : {"en", "es"}) {
      std::ifstream in(std::string(PUENTE_SOURCE_DIR "/config/templates/") + tag + ".toml");
      files[tag].assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return core::Templates::from_files(files);
  }();
  return templates;
}

// As the intake and the alert writer take an accepted report, up to where Redis would come in.
void check_report(const v1::Report& report) {
  if (core::check_report(report)) return;
  fuzz_check(v1::ReportKind_IsValid(report.kind()),
             "a report of a kind the wire does not define is accepted");
  if (core::has_location(report))
    geography().locate(report.location().lat(), report.location().lon());
  else
    geography().find(report.neighborhood());
  const core::AlertFields fields{
      report.kind(), "Boyle Heights", core::coarse_place(report.location().description()), {}};
  const auto language = templates().choose_language({report.language()});
  for (auto which : core::kAllAlertTemplates) templates().render(which, language, fields);
}

void check_ack(const v1::Ack& ack) {
  if (core::check_ack(ack)) return;
  fuzz_check(v1::AckState_IsValid(ack.state()),
             "an ack of a state the wire does not define is accepted");
}

// As ResponderSocket::on_message and check_hello take it, up to where Redis would come in.
void check_client_message(const v1::ClientMessage& message) {
  switch (message.body_case()) {
    case v1::ClientMessage::kHello: {
      const auto& hello = message.hello();
      const core::Responder* who = roster().authenticate(hello.token());
      for (const auto& s : hello.subscriptions()) {
        geography().find(s.neighborhood());
        if (who) core::may_subscribe(*who, s.neighborhood());
        if (auto offset = core::StreamOffset::parse(s.since_offset()))
          fuzz_check(core::StreamOffset::parse(offset->str()) == offset,
                     "an offset does not round-trip");
      }
      break;
    }
    case v1::ClientMessage::kAck: check_ack(message.ack()); break;
    case v1::ClientMessage::kReport: check_report(message.report()); break;
    default: break;
  }
}

// Decodes `bytes` into a fresh Message both ways; for each success, runs `check` on it and
// checks the echo; for each failure, checks the refusal.
template <typename Message, typename Check>
void decode_both_ways(std::string_view bytes, Check check) {
  Message binary;
  if (binary.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    check(binary);
    check_answer(binary, true);
  }
  Message json;
  const auto why = wire::from_json(bytes, json);
  if (why.empty()) {
    check(json);
    check_answer(json, false);
  } else {
    refused(why, false);
  }
  // The node reads JSON itself where it can (wire/json_reader.hpp): it must read what
  // protobuf's parser reads, and refuse what it refuses.
  Message theirs;
  const bool they_read = google::protobuf::util::JsonStringToMessage(
                             google::protobuf::StringPiece(bytes.data(), bytes.size()), &theirs)
                             .ok();
  // Where protobuf takes the last of a repeated key, the node refuses the request.
  const bool repeats_a_key = wire::first_duplicate_key(bytes).has_value();
  fuzz_check(repeats_a_key ? !why.empty() : they_read == why.empty(),
             "from_json and protobuf's parser disagree on whether JSON is good");
  if (they_read && why.empty())
    fuzz_check(google::protobuf::util::MessageDifferencer::Equals(json, theirs),
               "from_json reads JSON into another message than protobuf's parser");
}

}  // namespace
}  // namespace puente::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  using namespace puente::fuzz;
  quiet_protobuf();
  const auto bytes = as_text(data, size);
  decode_both_ways<v1::ClientMessage>(bytes, check_client_message);
  decode_both_ways<v1::Report>(bytes, check_report);
  decode_both_ways<v1::Ack>(bytes, check_ack);
  decode_both_ways<v1::IncidentAction>(bytes, [](const v1::IncidentAction&) {});
  decode_both_ways<v1::Availability>(bytes, [](const v1::Availability&) {});
  return 0;
}
