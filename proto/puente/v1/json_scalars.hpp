#pragma once
// The JSON printer's leaves: one string, number, timestamp or run of bytes appended to the text
// being printed, each byte for byte as protobuf's JSON printer (3.21) writes it. Kept apart from
// the walk over a message so that each can be held to its protobuf (or printf) counterpart on
// many values in tests/unit/wire/json_scalars_test.cpp.

#include <cstdint>
#include <string>
#include <string_view>

namespace puente::wire {

// `text` as a JSON string, quotes included, escaped as protobuf escapes: the control
// characters, '"' and '\', and also '<', '>', DEL, U+2028 and U+2029, so that the text is safe
// inside HTML and JavaScript too.
void append_json_string(std::string& out, std::string_view text);

// `bytes` as a JSON string of base64 (RFC 4648, with padding), quotes included.
void append_json_base64(std::string& out, std::string_view bytes);

// A double as protobuf prints it (SimpleDtoa: printf's %.15g if that reads back as the same
// number, else %.17g); NaN and the infinities as the strings "NaN", "Infinity", "-Infinity".
void append_json_double(std::string& out, double value);

// A float as protobuf prints it (SimpleFtoa: %.6g if that reads back as the same float, else
// %.9g), NaN and the infinities as for a double.
void append_json_float(std::string& out, float value);

// A google.protobuf.Timestamp as RFC 3339 in UTC, quotes included, with 0, 3, 6 or 9 digits of
// fraction, as protobuf's TimeUtil prints it. False (and nothing appended) outside the type's
// range, 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, where protobuf refuses.
bool append_json_timestamp(std::string& out, std::int64_t seconds, std::int32_t nanos);

}  // namespace puente::wire
