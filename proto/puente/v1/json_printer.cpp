#include "puente/v1/json_printer.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <vector>

namespace puente::wire {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// google.protobuf.Timestamp's valid range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59Z.
constexpr std::int64_t earliest_timestamp = -62135596800;
constexpr std::int64_t latest_timestamp = 253402300799;

class JsonPrinter {
 public:
  explicit JsonPrinter(std::string& out) : out_(out) {}

  bool message(const Message& m) {
    const auto* descriptor = m.GetDescriptor();
    if (descriptor == google::protobuf::Timestamp::descriptor()) return timestamp(m);
    if (descriptor->file()->package() == "google.protobuf")
      return false;  // another well-known type

    const Reflection* reflection = m.GetReflection();
    std::vector<const FieldDescriptor*> fields;  // the fields set, by number, as protobuf prints
    reflection->ListFields(m, &fields);
    out_ += '{';
    bool first = true;
    for (const auto* field : fields) {
      if (!first) out_ += ',';
      first = false;
      // A name protobuf made from the field's is letters and digits: nothing to escape.
      field->has_json_name() ? text(field->json_name()) : quoted(field->json_name());
      out_ += ':';
      if (!(field->is_map()        ? map(m, *reflection, field)
            : field->is_repeated() ? list(m, *reflection, field)
                                   : value(m, *reflection, field, -1)))
        return false;
    }
    out_ += '}';
    return true;
  }

 private:
  bool list(const Message& m, const Reflection& reflection, const FieldDescriptor* field) {
    out_ += '[';
    for (int i = 0, n = reflection.FieldSize(m, field); i < n; ++i) {
      if (i > 0) out_ += ',';
      if (!value(m, reflection, field, i)) return false;
    }
    out_ += ']';
    return true;
  }

  bool map(const Message& m, const Reflection& reflection, const FieldDescriptor* field) {
    const auto* key_field = field->message_type()->map_key();
    const auto* value_field = field->message_type()->map_value();
    std::vector<std::pair<std::string, const Message*>> by_key;  // the key as printed, the entry
    for (int i = 0, n = reflection.FieldSize(m, field); i < n; ++i) {
      const Message& entry = reflection.GetRepeatedMessage(m, field, i);
      std::string key;
      if (!JsonPrinter(key).value(entry, *entry.GetReflection(), key_field, -1)) return false;
      if (key.empty() || key.front() != '"') key = '"' + key + '"';  // JSON keys are strings
      by_key.emplace_back(std::move(key), &entry);
    }
    std::sort(by_key.begin(), by_key.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    out_ += '{';
    for (std::size_t i = 0; i < by_key.size(); ++i) {
      if (i > 0) out_ += ',';
      out_ += by_key[i].first;
      out_ += ':';
      if (!value(*by_key[i].second, *by_key[i].second->GetReflection(), value_field, -1))
        return false;
    }
    out_ += '}';
    return true;
  }

  // One value of `field`: the singular one (index -1) or element `index` of a repeated one.
  bool value(const Message& m, const Reflection& r, const FieldDescriptor* field, int index) {
    const bool one = index < 0;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        out_ += std::to_string(one ? r.GetInt32(m, field) : r.GetRepeatedInt32(m, field, index));
        return true;
      case FieldDescriptor::CPPTYPE_UINT32:
        out_ += std::to_string(one ? r.GetUInt32(m, field) : r.GetRepeatedUInt32(m, field, index));
        return true;
      case FieldDescriptor::CPPTYPE_INT64:  // 64-bit integers are strings: JavaScript's numbers
                                            // stop at 2^53
        quoted(std::to_string(one ? r.GetInt64(m, field) : r.GetRepeatedInt64(m, field, index)));
        return true;
      case FieldDescriptor::CPPTYPE_UINT64:
        quoted(std::to_string(one ? r.GetUInt64(m, field) : r.GetRepeatedUInt64(m, field, index)));
        return true;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        number(one ? r.GetDouble(m, field) : r.GetRepeatedDouble(m, field, index), 15, 17);
        return true;
      case FieldDescriptor::CPPTYPE_FLOAT:
        number(one ? r.GetFloat(m, field) : r.GetRepeatedFloat(m, field, index), 6, 9);
        return true;
      case FieldDescriptor::CPPTYPE_BOOL:
        out_ += (one ? r.GetBool(m, field) : r.GetRepeatedBool(m, field, index)) ? "true" : "false";
        return true;
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int number = one ? r.GetEnumValue(m, field) : r.GetRepeatedEnumValue(m, field, index);
        if (const auto* known = field->enum_type()->FindValueByNumber(number))
          text(known->name());
        else
          out_ += std::to_string(number);  // a value this build does not know
        return true;
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& s = one ? r.GetStringReference(m, field, &scratch)
                                   : r.GetRepeatedStringReference(m, field, index, &scratch);
        if (field->type() == FieldDescriptor::TYPE_BYTES)
          quoted(base64(s));
        else
          text(s);
        return true;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return message(one ? r.GetMessage(m, field) : r.GetRepeatedMessage(m, field, index));
    }
    return false;
  }

  // RFC 3339 in UTC, with 0, 3, 6 or 9 digits of fraction: as protobuf's TimeUtil prints.
  bool timestamp(const Message& m) {
    std::int64_t seconds = 0;
    std::int32_t nanos = 0;
    if (const auto* t = dynamic_cast<const google::protobuf::Timestamp*>(&m)) {
      seconds = t->seconds();
      nanos = t->nanos();
    } else {  // a dynamic message of the type
      const auto* descriptor = m.GetDescriptor();
      seconds = m.GetReflection()->GetInt64(m, descriptor->FindFieldByName("seconds"));
      nanos = m.GetReflection()->GetInt32(m, descriptor->FindFieldByName("nanos"));
    }
    if (seconds < earliest_timestamp || seconds > latest_timestamp || nanos < 0 ||
        nanos > 999999999)
      return false;
    std::tm utc{};
    const std::time_t t = static_cast<std::time_t>(seconds);
    if (!gmtime_r(&t, &utc)) return false;
    out_ += '"';
    digits(utc.tm_year + 1900, 4);
    out_ += '-';
    digits(utc.tm_mon + 1, 2);
    out_ += '-';
    digits(utc.tm_mday, 2);
    out_ += 'T';
    digits(utc.tm_hour, 2);
    out_ += ':';
    digits(utc.tm_min, 2);
    out_ += ':';
    digits(utc.tm_sec, 2);
    if (nanos != 0) {
      out_ += '.';
      if (nanos % 1000000 == 0)
        digits(nanos / 1000000, 3);
      else if (nanos % 1000 == 0)
        digits(nanos / 1000, 6);
      else
        digits(nanos, 9);
    }
    out_ += "Z\"";
    return true;
  }

  // `n` (>= 0) in exactly `width` digits, zeros in front.
  void digits(int n, int width) {
    char buffer[9];
    for (int i = width - 1; i >= 0; --i, n /= 10) buffer[i] = static_cast<char>('0' + n % 10);
    out_.append(buffer, static_cast<std::size_t>(width));
  }

  // The shortest of `short_digits` and `long_digits` significant digits that reads back as the
  // same number (protobuf's SimpleDtoa and SimpleFtoa, which print with printf's %.*g: to_chars
  // with a precision prints the same); NaN and the infinities as strings.
  template <class Real>
  void number(Real v, int short_digits, int long_digits) {
    if (std::isnan(v)) return quoted("NaN");
    if (std::isinf(v)) return quoted(v > 0 ? "Infinity" : "-Infinity");
    char buffer[40];
    const double wide = static_cast<double>(v);
    auto printed = std::to_chars(buffer, buffer + sizeof buffer, wide, std::chars_format::general,
                                 short_digits);
    Real back{};
    std::from_chars(buffer, printed.ptr, back);
    if (back != v)
      printed = std::to_chars(buffer, buffer + sizeof buffer, wide, std::chars_format::general,
                              long_digits);
    out_.append(buffer, printed.ptr);
  }

  void quoted(const std::string& already_safe) {
    out_ += '"';
    out_ += already_safe;
    out_ += '"';
  }

  // A JSON string, escaped as protobuf escapes: the control characters, '"' and '\', and also
  // '<', '>', DEL, U+2028 and U+2029, so the text is safe inside HTML and JavaScript too.
  void text(const std::string& s) {
    static constexpr char hex[] = "0123456789abcdef";
    out_ += '"';
    std::size_t plain = 0;  // where the run of bytes copied as they are starts
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != 0x7F && c != 0xE2)
        continue;
      const char* escaped = nullptr;
      switch (c) {
        case '"': escaped = "\\\""; break;
        case '\\': escaped = "\\\\"; break;
        case '\b': escaped = "\\b"; break;
        case '\f': escaped = "\\f"; break;
        case '\n': escaped = "\\n"; break;
        case '\r': escaped = "\\r"; break;
        case '\t': escaped = "\\t"; break;
        default: break;
      }
      const bool separator = c == 0xE2 && i + 2 < s.size() &&
                             static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                             (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
                              static_cast<unsigned char>(s[i + 2]) == 0xA9);
      if (c == 0xE2 && !separator) continue;  // another character of that lead byte
      out_.append(s, plain, i - plain);
      if (escaped) {
        out_ += escaped;
      } else if (separator) {
        out_ += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
        i += 2;
      } else {
        out_ += "\\u00";
        out_ += hex[c >> 4];
        out_ += hex[c & 0xF];
      }
      plain = i + 1;
    }
    out_.append(s, plain, s.size() - plain);
    out_ += '"';
  }

  static std::string base64(const std::string& bytes) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
      const unsigned n = static_cast<unsigned char>(bytes[i]) << 16 |
                         static_cast<unsigned char>(bytes[i + 1]) << 8 |
                         static_cast<unsigned char>(bytes[i + 2]);
      for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
    }
    if (const std::size_t rest = bytes.size() - i; rest > 0) {
      unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
      if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
      out += alphabet[(n >> 18) & 63];
      out += alphabet[(n >> 12) & 63];
      out += rest == 2 ? alphabet[(n >> 6) & 63] : '=';
      out += '=';
    }
    return out;
  }

  std::string& out_;
};

}  // namespace

std::optional<std::string> print_json(const google::protobuf::Message& message) {
  std::string out;
  out.reserve(1024);
  if (!JsonPrinter(out).message(message)) return std::nullopt;
  return out;
}

}  // namespace puente::wire
