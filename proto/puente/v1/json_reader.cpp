#include "puente/v1/json_reader.hpp"

#include "puente/v1/utf8.hpp"

#include <google/protobuf/descriptor.h>

#include <charconv>
#include <cstdint>
#include <limits>
#include <string>

namespace puente::wire {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Deeper nesting is left to protobuf (whose own limit is 100); requests nest three deep.
constexpr int deepest = 32;

// Protobuf's parser takes a field by its JSON name, else by its proto name.
const FieldDescriptor* field_named(const Descriptor& d, std::string_view name) {
  for (int i = 0; i < d.field_count(); ++i)
    if (d.field(i)->json_name() == name) return d.field(i);
  for (int i = 0; i < d.field_count(); ++i)
    if (d.field(i)->name() == name) return d.field(i);
  return nullptr;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

// Each method reads one JSON production at pos_ and says whether it could; any false ends the
// read (the caller falls back to protobuf).
class JsonReader {
 public:
  explicit JsonReader(std::string_view in) : in_(in) {}

  bool document(Message& m) {
    space();
    if (!object(m, 0)) return false;
    space();
    return pos_ == in_.size();
  }

 private:
  bool object(Message& m, int depth) {
    const Descriptor& d = *m.GetDescriptor();
    // Well-known types (timestamps above all) have JSON forms of their own; more than 64 fields
    // would not fit the mask of the fields seen.
    if (depth > deepest || d.file()->package() == "google.protobuf" || d.field_count() > 64 ||
        !take('{'))
      return false;
    const Reflection& r = *m.GetReflection();
    std::uint64_t seen = 0;  // by field index: a key twice is protobuf's to judge
    space();
    if (take('}')) return true;
    for (std::string name;;) {
      name.clear();
      if (!string(name)) return false;
      space();
      if (!take(':')) return false;
      space();
      const FieldDescriptor* f = field_named(d, name);
      if (!f || f->is_map()) return false;
      const std::uint64_t bit = std::uint64_t{1} << f->index();
      if (seen & bit) return false;
      seen |= bit;
      if (const auto* oneof = f->real_containing_oneof(); oneof && r.HasOneof(m, oneof))
        return false;
      if (!(f->is_repeated() ? list(m, r, *f, depth) : value(m, r, *f, depth, false))) return false;
      space();
      if (take('}')) return true;
      if (!take(',')) return false;
      space();
    }
  }

  bool list(Message& m, const Reflection& r, const FieldDescriptor& f, int depth) {
    if (!take('[')) return false;
    space();
    if (take(']')) return true;
    for (;;) {
      if (!value(m, r, f, depth, true)) return false;
      space();
      if (take(']')) return true;
      if (!take(',')) return false;
      space();
    }
  }

  // One value of `f`: set, or (`add`) appended to the repeated field.
  bool value(Message& m, const Reflection& r, const FieldDescriptor& f, int depth, bool add) {
    // Keeps `x` through Reflection's setter or adder for its type.
    const auto keep = [&](auto x, auto set, auto append) {
      (r.*(add ? append : set))(&m, &f, std::move(x));
      return true;
    };
    switch (f.cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return object(add ? *r.AddMessage(&m, &f) : *r.MutableMessage(&m, &f), depth + 1);
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string s;
        if (f.type() == FieldDescriptor::TYPE_BYTES || !string(s))
          return false;  // bytes are base64
        return keep(std::move(s), &Reflection::SetString, &Reflection::AddString);
      }
      case FieldDescriptor::CPPTYPE_ENUM: {
        std::string s;
        if (!string(s)) return false;  // a number for an enum is protobuf's
        const auto* v = f.enum_type()->FindValueByName(s);
        return v && keep(v, &Reflection::SetEnum, &Reflection::AddEnum);
      }
      case FieldDescriptor::CPPTYPE_BOOL: {
        const bool yes = word("true");
        return (yes || word("false")) && keep(yes, &Reflection::SetBool, &Reflection::AddBool);
      }
      case FieldDescriptor::CPPTYPE_DOUBLE: {
        double x = 0;
        return real(x) && keep(x, &Reflection::SetDouble, &Reflection::AddDouble);
      }
      case FieldDescriptor::CPPTYPE_INT32: {
        std::int32_t x = 0;
        return integer(x) && keep(x, &Reflection::SetInt32, &Reflection::AddInt32);
      }
      case FieldDescriptor::CPPTYPE_INT64: {  // 64-bit integers come quoted too (they print so)
        std::int64_t x = 0;
        return integer(x, true) && keep(x, &Reflection::SetInt64, &Reflection::AddInt64);
      }
      case FieldDescriptor::CPPTYPE_UINT32: {
        std::uint32_t x = 0;
        return integer(x) && keep(x, &Reflection::SetUInt32, &Reflection::AddUInt32);
      }
      case FieldDescriptor::CPPTYPE_UINT64: {
        std::uint64_t x = 0;
        return integer(x, true) && keep(x, &Reflection::SetUInt64, &Reflection::AddUInt64);
      }
      case FieldDescriptor::CPPTYPE_FLOAT:  // puente.proto has none: protobuf's double-to-float
                                            // rules
        return false;
    }
    return false;
  }

  // A JSON number (RFC 8259, 6) as its text.
  bool number(std::string_view& text) {
    const std::size_t start = pos_;
    take('-');
    if (!take('0')) {
      if (!digits()) return false;
    }
    if (take('.') && !digits()) return false;
    if (take('e') || take('E')) {
      if (!take('+')) take('-');
      if (!digits()) return false;
    }
    text = in_.substr(start, pos_ - start);
    return true;
  }

  // Plain integers only ("7", "-12", and "\"7\"" where `quoted_too`): protobuf also takes "7.0"
  // and "1e3", and judges them.
  template <class Int>
  bool integer(Int& out, bool quoted_too = false) {
    std::string quoted;
    std::string_view text;
    if (quoted_too && pos_ < in_.size() && in_[pos_] == '"') {
      if (!string(quoted)) return false;
      text = quoted;
      JsonReader inside(text);  // the same grammar as a bare number, and nothing after it
      std::string_view number_text;
      if (!inside.number(number_text) || number_text.size() != text.size()) return false;
    } else if (!number(text)) {
      return false;
    }
    if (text.find_first_of(".eE") != std::string_view::npos || text == "-0") return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  }

  // Correctly rounded, as protobuf's strtod; out of range (1e400) is protobuf's to refuse. "-0"
  // protobuf reads as the integer 0, so as +0.0: left to it.
  bool real(double& out) {
    std::string_view text;
    if (!number(text) || text == "-0") return false;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
  }

  // A JSON string, its escapes resolved. Bytes that are not UTF-8, a lone surrogate or a raw
  // control character decline.
  bool string(std::string& out) {
    if (!take('"')) return false;
    while (pos_ < in_.size()) {
      const auto c = static_cast<unsigned char>(in_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (!escape(out)) return false;
      } else if (c < 0x80) {
        out += static_cast<char>(c);
        ++pos_;
      } else {
        const std::size_t n = utf8_sequence_length(in_, pos_);
        if (n == 0) return false;
        out.append(in_.substr(pos_, n));
        pos_ += n;
      }
    }
    return false;
  }

  bool escape(std::string& out) {
    ++pos_;  // the backslash
    if (pos_ >= in_.size()) return false;
    const char e = in_[pos_++];
    switch (e) {
      case '"': out += '"'; return true;
      case '\\': out += '\\'; return true;
      case '/': out += '/'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'u': break;
      default: return false;
    }
    std::uint32_t unit = 0;
    if (!hex4(unit) || (unit >= 0xDC00 && unit <= 0xDFFF)) return false;
    if (unit >= 0xD800 && unit <= 0xDBFF) {  // a high surrogate: its low one must follow
      std::uint32_t low = 0;
      if (!take('\\') || !take('u') || !hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(out, unit);
    return true;
  }

  bool hex4(std::uint32_t& out) {
    if (in_.size() - pos_ < 4) return false;
    const auto [end, ec] = std::from_chars(in_.data() + pos_, in_.data() + pos_ + 4, out, 16);
    if (ec != std::errc() || end != in_.data() + pos_ + 4) return false;
    pos_ += 4;
    return true;
  }

  bool digits() {
    const std::size_t start = pos_;
    while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  bool word(std::string_view w) {
    if (in_.substr(pos_, w.size()) != w) return false;
    pos_ += w.size();
    return true;
  }

  bool take(char c) {
    if (pos_ >= in_.size() || in_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  void space() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r'))
      ++pos_;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

}  // namespace

bool read_json(std::string_view json, Message& message) {
  return JsonReader(json).document(message);
}

}  // namespace puente::wire
