// The walk over a message for print_json (json_printer.hpp): each type's fields from its layout
// (json_layout.hpp), each value through one Reflection call (a repeated string or message field
// through its RepeatedPtrField, not one call per element), the leaves by json_scalars.hpp.
#include "puente/v1/json_printer.hpp"

#include "puente/v1/json_layout.hpp"
#include "puente/v1/json_scalars.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <type_traits>
#include <vector>

namespace puente::wire {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// A buffer kept per thread between prints, so that a print grows no string on the way: its
// answer is copied out once at its size. One bigger than this (a long list) is let go after.
constexpr std::size_t buffer_kept_bytes = 256 * 1024;

// The whole-field accessors (GetRepeatedField, GetRepeatedPtrField) are marked deprecated in
// favour of RepeatedFieldRef, which reads each element through a virtual call. They are still
// protobuf 3.21's own way to hand out the field, and the fast one.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
template <class T>
const google::protobuf::RepeatedField<T>& repeated_scalars(const Message& m, const Reflection& r,
                                                           const FieldDescriptor* field) {
  return r.GetRepeatedField<T>(m, field);
}
template <class T>
const google::protobuf::RepeatedPtrField<T>& repeated_pointers(const Message& m,
                                                               const Reflection& r,
                                                               const FieldDescriptor* field) {
  return r.GetRepeatedPtrField<T>(m, field);
}
#pragma GCC diagnostic pop

class JsonPrinter {
 public:
  explicit JsonPrinter(std::string& out) : out_(out) {}

  // False if the message holds something left to protobuf's printer (json_printer.hpp).
  bool message(const Message& m, const MessageLayout& layout) {
    switch (layout.form) {
      case MessageLayout::Form::timestamp: return timestamp(m);
      case MessageLayout::Form::declined: return false;
      case MessageLayout::Form::fields: break;
    }
    const Reflection& r = *m.GetReflection();
    out_ += '{';
    bool first = true;
    for (const auto& f : layout.fields) {
      if (!(f.map        ? map(m, r, f, first)
            : f.repeated ? list(m, r, f, first)
                         : single(m, r, f, first)))
        return false;
    }
    out_ += '}';
    return true;
  }

 private:
  // `f`'s key, after a comma unless it is the object's first.
  void key(const FieldLayout& f, bool& first) {
    if (!first) out_ += ',';
    first = false;
    out_ += f.key;
  }

  // A singular field, with its key, unless it is absent: unset if it tracks presence, else at
  // its default (zero, false, empty; -0.0 is not, as Reflection::ListFields has it).
  bool single(const Message& m, const Reflection& r, const FieldLayout& f, bool& first) {
    if (f.presence && !r.HasField(m, f.field)) return true;
    return value(m, r, f, [&](bool set) {
      if (!set && !f.presence) return false;
      key(f, first);
      return true;
    });
  }

  // The value of a singular `f` of `m`. `print(set)` is asked first, with whether the value
  // differs from the default, and says whether to print it.
  template <class Ask>
  bool value(const Message& m, const Reflection& r, const FieldLayout& f, Ask print) {
    const FieldDescriptor* d = f.field;
    switch (f.kind) {
      case FieldKind::int32: return integer(r.GetInt32(m, d), print);
      case FieldKind::uint32: return integer(r.GetUInt32(m, d), print);
      case FieldKind::int64: return quoted_integer(r.GetInt64(m, d), print);
      case FieldKind::uint64: return quoted_integer(r.GetUInt64(m, d), print);
      case FieldKind::double_: {
        const double v = r.GetDouble(m, d);
        if (print(bits_of(v) != 0)) append_json_double(out_, v);
        return true;
      }
      case FieldKind::float_: {
        const float v = r.GetFloat(m, d);
        if (print(bits_of(v) != 0)) append_json_float(out_, v);
        return true;
      }
      case FieldKind::bool_:
        if (const bool v = r.GetBool(m, d); print(v)) out_ += v ? "true" : "false";
        return true;
      case FieldKind::enum_:
        if (const int v = r.GetEnumValue(m, d); print(v != 0)) enum_value(f, v);
        return true;
      case FieldKind::string:
      case FieldKind::bytes: {
        const std::string& s = r.GetStringReference(m, d, &scratch_);
        if (print(!s.empty())) text(f, s);
        return true;
      }
      case FieldKind::message: print(true); return message(r.GetMessage(m, d), *f.message);
    }
    return false;
  }

  // A repeated field, with its key, unless it is empty.
  bool list(const Message& m, const Reflection& r, const FieldLayout& f, bool& first) {
    const FieldDescriptor* d = f.field;
    switch (f.kind) {
      case FieldKind::int32:
        return items(repeated_scalars<std::int32_t>(m, r, d), f, first,
                     [&](std::int32_t v) { return integer(v, always); });
      case FieldKind::uint32:
        return items(repeated_scalars<std::uint32_t>(m, r, d), f, first,
                     [&](std::uint32_t v) { return integer(v, always); });
      case FieldKind::int64:
        return items(repeated_scalars<std::int64_t>(m, r, d), f, first,
                     [&](std::int64_t v) { return quoted_integer(v, always); });
      case FieldKind::uint64:
        return items(repeated_scalars<std::uint64_t>(m, r, d), f, first,
                     [&](std::uint64_t v) { return quoted_integer(v, always); });
      case FieldKind::double_:
        return items(repeated_scalars<double>(m, r, d), f, first, [&](double v) {
          append_json_double(out_, v);
          return true;
        });
      case FieldKind::float_:
        return items(repeated_scalars<float>(m, r, d), f, first, [&](float v) {
          append_json_float(out_, v);
          return true;
        });
      case FieldKind::bool_:
        return items(repeated_scalars<bool>(m, r, d), f, first, [&](bool v) {
          out_ += v ? "true" : "false";
          return true;
        });
      case FieldKind::enum_: {  // a RepeatedField<int> that GetRepeatedField will not hand out
        const int n = r.FieldSize(m, d);
        if (n == 0) return true;
        key(f, first);
        out_ += '[';
        for (int i = 0; i < n; ++i) {
          if (i > 0) out_ += ',';
          enum_value(f, r.GetRepeatedEnumValue(m, d, i));
        }
        out_ += ']';
        return true;
      }
      case FieldKind::string:
      case FieldKind::bytes:
        return items(repeated_pointers<std::string>(m, r, d), f, first, [&](const std::string& s) {
          text(f, s);
          return true;
        });
      case FieldKind::message:
        return items(repeated_pointers<Message>(m, r, d), f, first,
                     [&](const Message& item) { return message(item, *f.message); });
    }
    return false;
  }

  // `f`'s key and its elements, `print` writing each, unless there are none.
  template <class Items, class Print>
  bool items(const Items& all, const FieldLayout& f, bool& first, Print print) {
    if (all.empty()) return true;
    key(f, first);
    out_ += '[';
    bool first_item = true;
    for (const auto& item : all) {
      if (!first_item) out_ += ',';
      first_item = false;
      if (!print(item)) return false;
    }
    out_ += ']';
    return true;
  }

  // A map as an object whose entries come sorted by key as printed (protobuf's come in hash
  // order). Maps are rare (an alert's texts by language), so this keeps to the plain way.
  bool map(const Message& m, const Reflection& r, const FieldLayout& f, bool& first) {
    const auto& entries = repeated_pointers<Message>(m, r, f.field);
    if (entries.empty()) return true;
    const FieldLayout& key_field = f.message->fields[0];
    const FieldLayout& value_field = f.message->fields[1];
    std::vector<std::pair<std::string, const Message*>> by_key;  // the key as printed, the entry
    by_key.reserve(static_cast<std::size_t>(entries.size()));
    for (const Message& entry : entries) {
      std::string printed;
      JsonPrinter(printed).value(entry, *entry.GetReflection(), key_field, always);
      if (printed.empty() || printed.front() != '"')
        printed = '"' + printed + '"';  // JSON keys are strings
      by_key.emplace_back(std::move(printed), &entry);
    }
    std::sort(by_key.begin(), by_key.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    key(f, first);
    out_ += '{';
    for (std::size_t i = 0; i < by_key.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += by_key[i].first;
      out_ += ':';
      const Message& entry = *by_key[i].second;
      if (!value(entry, *entry.GetReflection(), value_field, always)) return false;
    }
    out_ += '}';
    return true;
  }

  // For value(): print whatever the value is (an element, a map's key or value).
  static bool always(bool) { return true; }

  template <class Integer, class Ask>
  bool integer(Integer v, Ask print) {
    if (!print(v != 0)) return true;
    char buffer[24];
    out_.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, v).ptr);
    return true;
  }

  // 64-bit integers are strings: JavaScript's numbers stop at 2^53.
  template <class Integer, class Ask>
  bool quoted_integer(Integer v, Ask print) {
    if (!print(v != 0)) return true;
    char buffer[24];
    buffer[0] = '"';
    char* end = std::to_chars(buffer + 1, buffer + sizeof buffer - 1, v).ptr;
    *end++ = '"';
    out_.append(buffer, end);
    return true;
  }

  // The return type is spelled out: clang does not deduce it for a use earlier in the class.
  template <class Real>
  static std::conditional_t<sizeof(Real) == 8, std::uint64_t, std::uint32_t> bits_of(Real v) {
    std::conditional_t<sizeof(Real) == 8, std::uint64_t, std::uint32_t> bits;
    std::memcpy(&bits, &v, sizeof bits);
    return bits;
  }

  void enum_value(const FieldLayout& f, int number) {
    if (number >= 0 && static_cast<std::size_t>(number) < f.enum_names.size() &&
        !f.enum_names[static_cast<std::size_t>(number)].empty()) {
      out_ += f.enum_names[static_cast<std::size_t>(number)];
    } else if (const auto* known = f.field->enum_type()->FindValueByNumber(number)) {
      append_json_string(out_, known->name());
    } else {
      integer(number, always);  // a value this build does not know
    }
  }

  void text(const FieldLayout& f, const std::string& s) {
    if (f.kind == FieldKind::bytes)
      append_json_base64(out_, s);
    else
      append_json_string(out_, s);
  }

  bool timestamp(const Message& m) {
    static const Reflection* const generated =
        google::protobuf::Timestamp::default_instance().GetReflection();
    if (m.GetReflection() == generated) {
      const auto& t = static_cast<const google::protobuf::Timestamp&>(m);
      return append_json_timestamp(out_, t.seconds(), t.nanos());
    }
    // A dynamic message of the type.
    const auto* descriptor = m.GetDescriptor();
    return append_json_timestamp(
        out_, m.GetReflection()->GetInt64(m, descriptor->FindFieldByName("seconds")),
        m.GetReflection()->GetInt32(m, descriptor->FindFieldByName("nanos")));
  }

  std::string& out_;
  std::string scratch_;  // GetStringReference's, which a generated message never uses
};

}  // namespace

std::optional<std::string> print_json(const google::protobuf::Message& message) {
  thread_local std::string buffer;
  buffer.clear();
  const bool printed = JsonPrinter(buffer).message(message, layout_of(message.GetDescriptor()));
  std::optional<std::string> out;
  if (printed) out.emplace(buffer);
  if (buffer.capacity() > buffer_kept_bytes) std::string().swap(buffer);
  return out;
}

}  // namespace puente::wire
