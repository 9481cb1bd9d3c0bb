#pragma once
// Messages filled with random values through reflection (fixed seeds), for the tests that hold
// Puente's JSON printer and reader to protobuf's own on every message type of puente.proto.

#include "puente/v1/puente.pb.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/timestamp.pb.h>

#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace puente::wire::test {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Fills a message with random values through reflection.
class RandomFill {
 public:
  explicit RandomFill(unsigned seed) : random_(seed) {}
  bool any_map_of_two_or_more = false;
  bool any_bad_timestamp = false;  // set one past year 9999 (it may have been cleared since)

  void message(Message& m, int depth) {
    const auto* d = m.GetDescriptor();
    if (d->full_name() == "google.protobuf.Timestamp") return timestamp(m);
    for (int i = 0; i < d->field_count(); ++i) {
      const auto* f = d->field(i);
      if (pick(3) == 0) continue;  // left at its default
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth > 3) continue;
      if (f->is_repeated()) {
        int n = static_cast<int>(pick(4));
        if (f->is_map() && n >= 2) any_map_of_two_or_more = true;
        for (int k = 0; k < n; ++k) add(m, f, depth);
      } else {
        set(m, f, depth);
      }
    }
  }

 private:
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  std::string text() {
    static const std::vector<std::string> pool{
        "",
        "a",
        "car wash on César Chávez",
        "日本語",
        "emoji \xf0\x9f\x98\x80",
        "quote \" and \\ backslash",
        "tab\tnew\nline\r",
        std::string("nul\0byte", 8),
        "<script>&'=",
        "\x7f del",
        "line\xe2\x80\xa8sep\xe2\x80\xa9",
        "\x01\x02\x1f",
        "plain ascii text that is a little longer than the others",
        "ellipsis\xe2\x80\xa6 quote\xe2\x80\x99 bullet\xe2\x80\xa2 <b>"};
    return pool[pick(pool.size())];
  }
  double real() {
    static const std::vector<double> pool{0.0,
                                          -0.0,
                                          34.0335,
                                          -118.211,
                                          0.1 + 0.2,
                                          1.0 / 3,
                                          1e21,
                                          1e-7,
                                          123456789012345678.0,
                                          std::numeric_limits<double>::max(),
                                          std::numeric_limits<double>::denorm_min(),
                                          std::numeric_limits<double>::infinity(),
                                          -std::numeric_limits<double>::infinity(),
                                          std::numeric_limits<double>::quiet_NaN()};
    return pool[pick(pool.size())];
  }
  std::int64_t integer() {
    static const std::vector<std::int64_t> pool{0,
                                                1,
                                                -1,
                                                42,
                                                2147483647,
                                                -2147483647 - 1,
                                                std::numeric_limits<std::int64_t>::max(),
                                                std::numeric_limits<std::int64_t>::min(),
                                                9007199254740993};
    return pool[pick(pool.size())];
  }
  int enum_number(const FieldDescriptor* f) {
    if (pick(8) == 0) return 97;  // a number the enum does not name
    return f->enum_type()
        ->value(static_cast<int>(pick(static_cast<std::size_t>(f->enum_type()->value_count()))))
        ->number();
  }

  void timestamp(Message& m) {
    auto& t = static_cast<google::protobuf::Timestamp&>(m);
    static const std::vector<std::int64_t> seconds{0, 1795946476, -62135596800, 253402300799,
                                                   951782400};
    static const std::vector<std::int32_t> nanos{0, 123000000, 123456000, 123456789, 1, 999999999};
    t.set_seconds(seconds[pick(seconds.size())]);
    t.set_nanos(nanos[pick(nanos.size())]);
    if (pick(20) == 0) {
      t.set_seconds(253402300800);  // past year 9999: protobuf refuses to print it
      any_bad_timestamp = true;
    }
  }

  void set(Message& m, const FieldDescriptor* f, int depth) { put(m, f, depth, false); }
  void add(Message& m, const FieldDescriptor* f, int depth) { put(m, f, depth, true); }

  // A random value for `f`: set, or (`add`) appended to the repeated field.
  void put(Message& m, const FieldDescriptor* f, int depth, bool add) {
    using google::protobuf::Reflection;
    const Reflection* r = m.GetReflection();
    const auto keep = [&](auto x, auto set, auto append) {
      (r->*(add ? append : set))(&m, f, std::move(x));
    };
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return keep(static_cast<std::int32_t>(integer()), &Reflection::SetInt32,
                    &Reflection::AddInt32);
      case FieldDescriptor::CPPTYPE_UINT32:
        return keep(static_cast<std::uint32_t>(integer()), &Reflection::SetUInt32,
                    &Reflection::AddUInt32);
      case FieldDescriptor::CPPTYPE_INT64:
        return keep(integer(), &Reflection::SetInt64, &Reflection::AddInt64);
      case FieldDescriptor::CPPTYPE_UINT64:
        return keep(static_cast<std::uint64_t>(integer()), &Reflection::SetUInt64,
                    &Reflection::AddUInt64);
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return keep(real(), &Reflection::SetDouble, &Reflection::AddDouble);
      case FieldDescriptor::CPPTYPE_FLOAT:
        return keep(static_cast<float>(real()), &Reflection::SetFloat, &Reflection::AddFloat);
      case FieldDescriptor::CPPTYPE_BOOL:
        return keep(pick(2) == 1, &Reflection::SetBool, &Reflection::AddBool);
      case FieldDescriptor::CPPTYPE_ENUM:
        return keep(enum_number(f), &Reflection::SetEnumValue, &Reflection::AddEnumValue);
      case FieldDescriptor::CPPTYPE_STRING:
        return keep(text(), &Reflection::SetString, &Reflection::AddString);
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return message(add ? *r->AddMessage(&m, f) : *r->MutableMessage(&m, f), depth + 1);
    }
  }

  std::mt19937 random_;
};

// Every message type of puente.proto, nested ones included (map entries are not types).
inline std::vector<const google::protobuf::Descriptor*> every_message_type() {
  std::vector<const google::protobuf::Descriptor*> all;
  const auto* file = v1::Report::descriptor()->file();
  std::function<void(const google::protobuf::Descriptor*)> visit =
      [&](const google::protobuf::Descriptor* d) {
        if (d->options().map_entry()) return;
        all.push_back(d);
        for (int i = 0; i < d->nested_type_count(); ++i) visit(d->nested_type(i));
      };
  for (int i = 0; i < file->message_type_count(); ++i) visit(file->message_type(i));
  return all;
}

}  // namespace puente::wire::test
