#pragma once
// The words and JSON of an evidence bundle (evidence_bundle.hpp): the readable summary, the
// timeline, the instructions for checking it. Functions of the incident alone.

#include "puente/v1/puente.pb.h"

#include <string>
#include <vector>

namespace puente::app {

// Every report, alert and ack as {"at", "what", "by", ...} objects in time order, as JSON.
std::string evidence_timeline_json(const v1::Incident& incident);
// A JSON array of `messages` in the proto3 JSON mapping.
std::string evidence_json_array(const std::vector<const google::protobuf::Message*>& messages);
// The incident as a person reads it: where, when, what was reported, alerted, answered; the
// media with their hashes.
std::string evidence_summary(const v1::Incident& incident, const std::vector<v1::Media>& media,
                             const std::string& exported_by, const std::string& exported_at);
// HOW-TO-VERIFY.txt.
std::string evidence_how_to_verify(const std::string& incident_id);

}  // namespace puente::app
