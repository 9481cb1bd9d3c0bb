#pragma once
// An alert as its live channel carries it and the incident's list keeps it: "<offset> <stored
// Alert bytes>" (lua/helpers.lua, publish_all; stored_alert.hpp says what the bytes leave out).
//
// The live feed reads one such message per alert a node hears of, and parsing it whole cost
// about 40k instructions an alert, most of them its hundred recipients' ids: each a std::string
// the protobuf parser allocates and checks as UTF-8, then moved out of the alert for the hub and
// the emptied ones freed with the frame (issue 22). parse_live_alert takes the recipients from
// the bytes' top-level fields as they are (puente/v1/wire_fields.hpp) and parses the rest.
//
// What it gives is what parse_tagged_alert gives, the recipients apart: the other fields are
// parsed in their order (parsing bytes with some fields taken out is parsing the rest), so the
// last of a repeated field wins, messages merge and unknown fields stay as the parser would have
// them; a recipient field that is not length-delimited is no recipient to the parser either,
// and stays an unknown field. Unlike the parser it does not check the ids as UTF-8: they are
// only compared with responders' ids.
//
// The ids stay in the message: the read keeps its own copy of it and views the ids there, and
// the hub's frame keeps that copy (app/live/frames.hpp). As strings, ids of ~20 bytes were a
// heap allocation each, made and freed per alert (~12k instructions an alert, issue 22).

#include "puente/v1/puente.pb.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace puente::store {

// An Alert from "<offset> <protobuf>"; false if it does not parse.
bool parse_tagged_alert(std::string_view payload, v1::Alert& alert);

struct LiveAlert {
  v1::Alert alert;  // as parse_tagged_alert gives it, without recipients
  // The message as read; `recipients` view into it, so it moves with them (a pointer: the
  // views stay valid however the LiveAlert is moved).
  std::unique_ptr<const std::string> bytes;
  std::vector<std::string_view> recipients;  // the alert's recipients, in their order
};

// The same read for the hub; false if parse_tagged_alert would refuse `payload` (or a recipient
// id's bytes break the message, which the walk finds first).
bool parse_live_alert(std::string_view payload, LiveAlert& out);

}  // namespace puente::store
