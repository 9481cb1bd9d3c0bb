// An alert's bytes with its recipients written by hand (store/alert_bytes.hpp) are protobuf's:
// the same bytes as SerializeAsString and stored_alert for an alert with every field set (so a
// field added to Alert later is covered without a change here), with few recipients or many,
// with unknown fields; with several languages, whose map protobuf writes in no promised order,
// the same alert once parsed.
#include "store/alert_bytes.hpp"

#include "store/stored_alert.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>

namespace puente::store {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::util::MessageDifferencer;

// Sets `f` of `m` to a value other than its default, one told apart by `n`.
void set_field(Message& m, const FieldDescriptor* f, int n) {
  const auto& r = *m.GetReflection();
  const auto text = "v" + std::to_string(f->number()) + "-" + std::to_string(n);
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return f->is_repeated() ? r.AddInt32(&m, f, n + 1) : r.SetInt32(&m, f, n + 1);
    case FieldDescriptor::CPPTYPE_INT64:
      return f->is_repeated() ? r.AddInt64(&m, f, n + 1) : r.SetInt64(&m, f, n + 1);
    case FieldDescriptor::CPPTYPE_UINT32:
      return f->is_repeated() ? r.AddUInt32(&m, f, n + 1) : r.SetUInt32(&m, f, n + 1);
    case FieldDescriptor::CPPTYPE_UINT64:
      return f->is_repeated() ? r.AddUInt64(&m, f, n + 1) : r.SetUInt64(&m, f, n + 1);
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return f->is_repeated() ? r.AddDouble(&m, f, n + 0.5) : r.SetDouble(&m, f, n + 0.5);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return f->is_repeated() ? r.AddFloat(&m, f, n + 0.5f) : r.SetFloat(&m, f, n + 0.5f);
    case FieldDescriptor::CPPTYPE_BOOL:
      return f->is_repeated() ? r.AddBool(&m, f, true) : r.SetBool(&m, f, true);
    case FieldDescriptor::CPPTYPE_ENUM:
      return f->is_repeated() ? r.AddEnumValue(&m, f, 1) : r.SetEnumValue(&m, f, 1);
    case FieldDescriptor::CPPTYPE_STRING:
      return f->is_repeated() ? r.AddString(&m, f, text) : r.SetString(&m, f, text);
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      Message* inner = f->is_repeated() ? r.AddMessage(&m, f) : r.MutableMessage(&m, f);
      for (int i = 0; i < inner->GetDescriptor()->field_count(); ++i)
        set_field(*inner, inner->GetDescriptor()->field(i), n);
      return;
    }
  }
}

// Every field of Alert set (two of each repeated one), `recipients` ids, and `text` one of
// `texts` (the entry the stored form leaves out), `languages` entries in all.
v1::Alert full_alert(int recipients, int languages) {
  v1::Alert alert;
  const auto* descriptor = alert.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* f = descriptor->field(i);
    if (f->number() == v1::Alert::kRecipientsFieldNumber ||
        f->number() == v1::Alert::kTextsFieldNumber)
      continue;
    set_field(alert, f, 0);
    if (f->is_repeated()) set_field(alert, f, 1);
  }
  alert.clear_text_language();  // set by stored_alert alone
  alert.set_text("Redada en Boyle Heights");
  (*alert.mutable_texts())["es"] = alert.text();
  const char* others[] = {"en", "zh", "ko", "vi"};
  for (int i = 1; i < languages; ++i)
    (*alert.mutable_texts())[others[i - 1]] = "text " + std::to_string(i);
  for (int i = 0; i < recipients; ++i)
    alert.add_recipients("r-" + std::to_string(1000000000000000 + i));
  return alert;
}

TEST(AlertBytes, EveryFieldSetManyRecipientsTheSameBytesAsProtobuf) {
  const auto alert = full_alert(100, 1);
  for (int i = 0; i < alert.GetDescriptor()->field_count(); ++i) {
    const auto* f = alert.GetDescriptor()->field(i);
    if (f->number() == v1::Alert::kTextLanguageFieldNumber) continue;
    ASSERT_TRUE(f->is_repeated() ? alert.GetReflection()->FieldSize(alert, f) > 0
                                 : alert.GetReflection()->HasField(alert, f))
        << f->name();
  }
  const auto bytes = alert_bytes(alert);
  EXPECT_EQ(bytes.whole, alert.SerializeAsString());
  EXPECT_EQ(bytes.stored, stored_alert(alert));
}

TEST(AlertBytes, FewRecipientsOrNoneTheSameBytesAsProtobuf) {
  for (int recipients : {0, 1, 7, 8, 9}) {
    const auto alert = full_alert(recipients, 1);
    const auto bytes = alert_bytes(alert);
    EXPECT_EQ(bytes.whole, alert.SerializeAsString()) << recipients;
    EXPECT_EQ(bytes.stored, stored_alert(alert)) << recipients;
  }
}

TEST(AlertBytes, OnlyIdsAndRecipientsTheSameBytesAsProtobuf) {
  // Nothing numbered above the recipients: they go last.
  v1::Alert alert;
  alert.set_id("al-1");
  for (int i = 0; i < 20; ++i) alert.add_recipients("r-" + std::to_string(i));
  const auto bytes = alert_bytes(alert);
  EXPECT_EQ(bytes.whole, alert.SerializeAsString());
  EXPECT_EQ(bytes.stored, stored_alert(alert));
}

TEST(AlertBytes, UnknownFieldsKeptAfterTheKnownOnes) {
  auto made = full_alert(30, 1).SerializeAsString();
  made += std::string("\xa2\x06\x03xyz", 6);  // field 100, "xyz"
  v1::Alert alert;
  ASSERT_TRUE(alert.ParseFromString(made));
  ASSERT_FALSE(alert.GetReflection()->GetUnknownFields(alert).empty());
  const auto bytes = alert_bytes(alert);
  EXPECT_EQ(bytes.whole, alert.SerializeAsString());
  EXPECT_EQ(bytes.stored, stored_alert(alert));
}

TEST(AlertBytes, SeveralLanguagesTheSameAlertOnceParsed) {
  const auto alert = full_alert(100, 4);
  const auto bytes = alert_bytes(alert);
  v1::Alert whole;
  ASSERT_TRUE(whole.ParseFromString(bytes.whole));
  EXPECT_TRUE(MessageDifferencer::Equals(whole, alert));
  EXPECT_EQ(bytes.whole.size(), alert.ByteSizeLong());
  v1::Alert stored;
  ASSERT_TRUE(stored.ParseFromString(bytes.stored));
  EXPECT_EQ(stored.texts_size(), 3);  // the entry `text` repeats is left out
  EXPECT_EQ(stored.text_language(), "es");
  restore_stored_alert(stored);
  EXPECT_TRUE(MessageDifferencer::Equals(stored, alert));
}

}  // namespace
}  // namespace puente::store
