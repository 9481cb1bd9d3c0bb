#include "app/media/evidence_texts.hpp"

#include "core/clock.hpp"
#include "puente/v1/json.hpp"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

namespace puente::app {

namespace {

std::string evidence_time(const google::protobuf::Timestamp& at) {
  return google::protobuf::util::TimeUtil::ToString(at);
}

// A JSON string literal of `text` (the timeline's few free-text fields).
std::string evidence_quoted(const std::string& text) {
  v1::ErrorBody carrier;
  carrier.set_message(text);
  auto json = wire::to_json(carrier);  // {"message":"..."}
  auto start = json.find(':') + 1;
  return json.substr(start, json.rfind('}') - start);
}

struct TimelineEvent {
  std::int64_t ms;
  std::string json;
};

}  // namespace

std::string evidence_json_array(const std::vector<const google::protobuf::Message*>& messages) {
  std::string out = "[";
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (i) out += ",\n";
    out += wire::to_json(*messages[i]);
  }
  return out + "]\n";
}

std::string evidence_timeline_json(const v1::Incident& incident) {
  std::vector<TimelineEvent> events;
  for (const auto& r : incident.reports())
    events.push_back(
        {core::to_ms(r.received_at()), R"({"at":")" + evidence_time(r.received_at()) +
                                           R"(","what":"report","id":")" + r.id() + R"(","by":)" +
                                           evidence_quoted(r.reporter_id()) + R"(,"kind":")" +
                                           v1::ReportKind_Name(r.kind()) + R"(","description":)" +
                                           evidence_quoted(r.description()) + "}"});
  for (const auto& a : incident.alerts())
    events.push_back({core::to_ms(a.sent_at()),
                      R"({"at":")" + evidence_time(a.sent_at()) + R"(","what":"alert","id":")" +
                          a.id() + R"(","type":")" + v1::AlertType_Name(a.type()) +
                          R"(","neighborhood":")" + a.neighborhood() + R"(","text":)" +
                          evidence_quoted(a.text()) + "}"});
  for (const auto& k : incident.acks())
    events.push_back({core::to_ms(k.at()), R"({"at":")" + evidence_time(k.at()) +
                                               R"(","what":"ack","alertId":")" + k.alert_id() +
                                               R"(","by":)" + evidence_quoted(k.responder_id()) +
                                               R"(,"state":")" + v1::AckState_Name(k.state()) +
                                               R"(","note":)" + evidence_quoted(k.note()) + "}"});
  std::stable_sort(events.begin(), events.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) { return a.ms < b.ms; });
  std::string out = R"({"incidentId":")" + incident.id() + R"(","events":[)" + "\n";
  for (std::size_t i = 0; i < events.size(); ++i) out += (i ? ",\n" : "") + events[i].json;
  return out + "\n]}\n";
}

std::string evidence_summary(const v1::Incident& incident, const std::vector<v1::Media>& media,
                             const std::string& exported_by, const std::string& exported_at) {
  std::string s;
  s += "Incident " + incident.id() + "\n";
  s += "Neighborhood: " + incident.neighborhood_name() + " (" + incident.neighborhood() + ")\n";
  s += "Status: " + v1::IncidentStatus_Name(incident.status()) + "\n";
  s += "Opened: " + evidence_time(incident.created_at()) + "\n";
  if (incident.has_confirmed_at())
    s += "Confirmed: " + evidence_time(incident.confirmed_at()) + "\n";
  s += "Last change: " + evidence_time(incident.updated_at()) + "\n";
  s += "Exported: " + exported_at + " by " + exported_by + "\n\n";
  s += "Reports (" + std::to_string(incident.reports_size()) + ")\n";
  for (const auto& r : incident.reports())
    s += "  " + evidence_time(r.received_at()) + "  " + v1::ReportKind_Name(r.kind()) + " by " +
         r.reporter_id() + ": " + r.description() + " [" + r.location().description() + "]\n";
  s += "\nAlerts (" + std::to_string(incident.alerts_size()) + ")\n";
  for (const auto& a : incident.alerts())
    s += "  " + evidence_time(a.sent_at()) + "  " + v1::AlertType_Name(a.type()) + " to " +
         a.neighborhood() + ": " + a.text() + "\n";
  s += "\nAnswers (" + std::to_string(incident.acks_size()) + ")\n";
  for (const auto& k : incident.acks())
    s += "  " + evidence_time(k.at()) + "  " + k.responder_id() + ": " +
         v1::AckState_Name(k.state()) + (k.note().empty() ? "" : " (" + k.note() + ")") + "\n";
  s += "\nMedia (" + std::to_string(media.size()) + "; the originals as received, in media/)\n";
  for (const auto& m : media)
    s += "  " + evidence_time(m.received_at()) + "  " + m.id() + " " +
         v1::MediaKind_Name(m.kind()) + " " + m.content_type() + ", " + std::to_string(m.size()) +
         " bytes, from " + m.uploader_id() + ", SHA-256 " + m.sha256() + "\n";
  s += "\nEvery time is UTC. Who got which alert and when is in deliveries.json; the audit log's\n"
       "entries about this incident, with the log's chain head at export, are in audit.json.\n";
  return s;
}

std::string evidence_how_to_verify(const std::string& incident_id) {
  return "HOW TO CHECK THIS EVIDENCE BUNDLE (incident " + incident_id +
         ")\n"
         "\n"
         "This ZIP file was exported by a Puente network. MANIFEST.txt lists every other file in\n"
         "it with its SHA-256 fingerprint. MANIFEST.sig is the network's digital signature\n"
         "(Ed25519) of MANIFEST.txt. If any file was changed, added or removed after the export,\n"
         "or the manifest was changed, the check below fails and says which file.\n"
         "\n"
         "1. Get the network's public key from the network itself, not from this ZIP: ask the\n"
         "   network's administrator for network.pub (puente evidence key -o network.pub), and\n"
         "   compare it with the network.pub inside this ZIP. A forger could put their own key\n"
         "   in the ZIP; they cannot change the one the network gave you.\n"
         "\n"
         "2. With the puente program:\n"
         "     puente evidence verify this-file.zip --key network.pub\n"
         "   It prints \"verified\" and the number of files, or names each file that changed\n"
         "   or is missing, and exits with a non-zero status.\n"
         "\n"
         "3. Without it, with standard tools (unzip, sha256sum and OpenSSL 3):\n"
         "     unzip this-file.zip -d bundle && cd bundle\n"
         "     openssl pkeyutl -verify -pubin -inkey /path/to/network.pub -rawin \\\n"
         "       -in MANIFEST.txt -sigfile MANIFEST.sig\n"
         "   must print \"Signature Verified Successfully\", and\n"
         "     sha256sum -c MANIFEST.txt\n"
         "   must print OK for every file.\n"
         "\n"
         "The files in media/ are the originals exactly as the observer's phone sent them; their\n"
         "fingerprints were written to the network's audit log the moment they arrived\n"
         "(\"media.received\" entries in audit.json), before anyone could open them. The audit\n"
         "log is a hash chain: each entry holds the fingerprint of the one before, and\n"
         "audit.json ends with the chain's head at the time of export.\n";
}

}  // namespace puente::app
