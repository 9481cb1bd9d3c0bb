#pragma once
// An alert's bytes, whole (the board's event carries it so) and as Redis keeps it
// (stored_alert.hpp), made with its recipients' ids written by hand. Protobuf checks every
// string field it serializes for valid UTF-8; an alert's hundred recipients made that check
// alone about 14,000 instructions of every report, and serializing them and cutting the stored
// form out of the result (a walk over every field) another 20,000 (issue 22). The ids are the
// roster's own, but the bytes here are whatever protobuf would make of them: the same bytes as
// SerializeAsString and stored_alert (alert_bytes_test.cpp), whose map of texts, like
// protobuf's own, comes in no promised order.

#include "puente/v1/puente.pb.h"

#include <string>

namespace puente::store {

struct AlertBytes {
  std::string whole;   // alert.SerializeAsString()
  std::string stored;  // stored_alert(alert)
};

AlertBytes alert_bytes(const v1::Alert& alert);

}  // namespace puente::store
