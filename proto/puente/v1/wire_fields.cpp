#include "puente/v1/wire_fields.hpp"

#include <cstdint>

namespace puente::wire {

namespace {

// A base-128 varint from the front of `in` (at most ten bytes), consumed.
bool read_varint(std::string_view& in, std::uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    value |= std::uint64_t{byte & 0x7fU} << shift;
    if ((byte & 0x80U) == 0) return true;
  }
  return false;
}

void append_varint(std::string& out, std::uint64_t value) {
  char bytes[longest_varint];
  out.append(bytes, write_varint(bytes, value));
}

}  // namespace

bool WireFields::next(WireField& field) {
  if (rest_.empty() || !ok_) return false;
  auto in = rest_;
  std::uint64_t tag = 0;
  ok_ = read_varint(in, tag) && (tag >> 3) > 0 && (tag >> 3) <= 0x1fffffff;
  if (!ok_) return false;
  field.number = static_cast<int>(tag >> 3);
  field.wire_type = static_cast<int>(tag & 7);
  field.payload_bytes = {};
  std::uint64_t length = 0;
  switch (field.wire_type) {
    case 0: ok_ = read_varint(in, length); break;
    case 1:
      ok_ = in.size() >= 8;
      length = 8;
      break;
    case 5:
      ok_ = in.size() >= 4;
      length = 4;
      break;
    case 2:
      ok_ = read_varint(in, length) && length <= in.size();
      if (ok_) field.payload_bytes = in.substr(0, length);
      break;
    default: ok_ = false;  // groups (3, 4) are not used by proto3; 6 and 7 do not exist
  }
  if (!ok_) return false;
  if (field.wire_type != 0) in.remove_prefix(length);
  field.bytes = rest_.substr(0, rest_.size() - in.size());
  rest_ = in;
  return true;
}

void append_length_delimited(std::string& out, int number, std::string_view payload) {
  append_varint(out, (static_cast<std::uint64_t>(number) << 3) | 2);
  append_varint(out, payload.size());
  out.append(payload);
}

}  // namespace puente::wire
