// Layouts of message types for the JSON printer (json_layout.hpp): built once per type, kept in
// one registry for the program's life, found through a per-thread cache so that printing takes
// no lock.
#include "puente/v1/json_layout.hpp"

#include "puente/v1/json_scalars.hpp"

#include <google/protobuf/timestamp.pb.h>

#include <algorithm>
#include <mutex>
#include <unordered_map>

namespace puente::wire {

namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// Enum values numbered below this get a slot in a field's table of names (puente.proto's enums
// number theirs from 0 up, a handful each); others are looked up in the descriptor.
constexpr int enum_names_kept = 64;

FieldKind kind_of(const FieldDescriptor& field) {
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return FieldKind::int32;
    case FieldDescriptor::CPPTYPE_UINT32: return FieldKind::uint32;
    case FieldDescriptor::CPPTYPE_INT64: return FieldKind::int64;
    case FieldDescriptor::CPPTYPE_UINT64: return FieldKind::uint64;
    case FieldDescriptor::CPPTYPE_DOUBLE: return FieldKind::double_;
    case FieldDescriptor::CPPTYPE_FLOAT: return FieldKind::float_;
    case FieldDescriptor::CPPTYPE_BOOL: return FieldKind::bool_;
    case FieldDescriptor::CPPTYPE_ENUM: return FieldKind::enum_;
    case FieldDescriptor::CPPTYPE_STRING:
      return field.type() == FieldDescriptor::TYPE_BYTES ? FieldKind::bytes : FieldKind::string;
    case FieldDescriptor::CPPTYPE_MESSAGE: return FieldKind::message;
  }
  return FieldKind::message;  // cannot happen: the switch names every C++ type
}

// Every layout built so far, by type. Guarded by `mutex`; a layout, once in, never changes.
class LayoutRegistry {
 public:
  const MessageLayout& find(const Descriptor* type) {
    std::lock_guard lock(mutex_);
    return build(type);
  }

 private:
  // The layout of `type`, building it (and those of the types its fields hold) if new. A type
  // enters the registry before its fields are filled in, so that a type holding itself ends.
  MessageLayout& build(const Descriptor* type) {
    auto& slot = layouts_[type];
    if (slot) return *slot;
    slot = std::make_unique<MessageLayout>();
    MessageLayout& layout = *slot;
    if (type == google::protobuf::Timestamp::descriptor()) {
      layout.form = MessageLayout::Form::timestamp;
      return layout;
    }
    if (type->file()->package() == "google.protobuf") {
      layout.form = MessageLayout::Form::declined;  // another well-known type
      return layout;
    }
    std::vector<const FieldDescriptor*> fields;
    for (int i = 0; i < type->field_count(); ++i) fields.push_back(type->field(i));
    std::sort(fields.begin(), fields.end(),
              [](const auto* a, const auto* b) { return a->number() < b->number(); });
    layout.fields.reserve(fields.size());
    for (const auto* field : fields) layout.fields.push_back(field_layout(*field));
    return layout;
  }

  FieldLayout field_layout(const FieldDescriptor& field) {
    FieldLayout f;
    f.field = &field;
    f.kind = kind_of(field);
    f.repeated = field.is_repeated() && !field.is_map();
    f.map = field.is_map();
    f.presence = !field.is_repeated() && field.has_presence();
    append_json_string(f.key, field.json_name());
    f.key += ':';
    if (f.kind == FieldKind::message) f.message = &build(field.message_type());
    if (f.kind == FieldKind::enum_) {
      const auto* type = field.enum_type();
      for (int i = 0; i < type->value_count(); ++i) {
        const auto* value = type->value(i);
        if (value->number() < 0 || value->number() >= enum_names_kept) continue;
        if (f.enum_names.size() <= static_cast<std::size_t>(value->number()))
          f.enum_names.resize(static_cast<std::size_t>(value->number()) + 1);
        // The first name of a number, as FindValueByNumber gives it (an alias comes later).
        auto& name = f.enum_names[static_cast<std::size_t>(value->number())];
        if (name.empty()) append_json_string(name, value->name());
      }
    }
    return f;
  }

  std::mutex mutex_;
  std::unordered_map<const Descriptor*, std::unique_ptr<MessageLayout>> layouts_;
};

}  // namespace

const MessageLayout& layout_of(const Descriptor* type) {
  // Never destroyed: a thread may print while the program exits.
  static auto* const registry = new LayoutRegistry;
  thread_local std::unordered_map<const Descriptor*, const MessageLayout*> seen;
  auto [at, fresh] = seen.try_emplace(type, nullptr);
  if (fresh) at->second = &registry->find(type);
  return *at->second;
}

}  // namespace puente::wire
