#pragma once
// The top-level fields of a serialized protobuf message, walked without parsing it: the store
// cuts one field out of an alert's bytes and adds one to an event's, where parsing, copying and
// serializing again cost each of an alert's hundred recipients' ids (issue 22). Serialized
// messages may be concatenated: parsing the result merges them, so a field appended at the end
// reads as if the message had been serialized with it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace puente::wire {

struct WireField {
  int number = 0;
  int wire_type = 0;       // 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit
  std::string_view bytes;  // the whole field as it appears: tag, length, payload
  std::string_view payload_bytes;

  bool length_delimited() const { return wire_type == 2; }
  // A length-delimited field's payload (a string, bytes, a message, a map entry).
  std::string_view payload() const { return payload_bytes; }
};

class WireFields {
 public:
  explicit WireFields(std::string_view message) : rest_(message) {}
  // The next field into `field`; false at the end, or at bytes that are not a message's (a
  // truncated field, a group, an unknown wire type): then ok() is false.
  bool next(WireField& field);
  bool ok() const { return ok_; }

 private:
  std::string_view rest_;
  bool ok_ = true;
};

// Calls `visit(const WireField&)` for each top-level field of `message`, in order. False if the
// bytes are not a message's (the fields before the fault were visited).
template <class Visit>
bool for_each_field(std::string_view message, Visit&& visit) {
  WireFields fields(message);
  WireField field;
  while (fields.next(field)) visit(field);
  return fields.ok();
}

// Appends field `number` holding `payload` (a string, bytes or a serialized message).
void append_length_delimited(std::string& out, int number, std::string_view payload);

// The most bytes a varint takes (a 64-bit value, 7 bits a byte).
constexpr std::size_t longest_varint = 10;

// Writes `value` as a base-128 varint at `out`, which has room for longest_varint bytes; returns
// the end of what it wrote. Through a pointer into a buffer sized first, for many fields at
// once: appending each to a string cost about a hundred instructions a field (issue 22).
inline char* write_varint(char* out, std::uint64_t value) {
  for (; value >= 0x80; value >>= 7) *out++ = static_cast<char>((value & 0x7f) | 0x80);
  *out++ = static_cast<char>(value);
  return out;
}

}  // namespace puente::wire
