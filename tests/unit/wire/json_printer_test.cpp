// Puente's JSON printer against protobuf's own, on every message type of puente.proto filled
// with random values (fixed seeds): the same text, except that map entries may come in another
// order, in which case the same JSON value.
#include "puente/v1/json_printer.hpp"
#include "puente/v1/puente.pb.h"
#include "random_message.hpp"

#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>
#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace puente::wire {
namespace {

using google::protobuf::Message;
using test::every_message_type;
using test::RandomFill;

TEST(JsonPrinter, PrintsEveryMessageTypeAsProtobufDoes) {
  // Protobuf logs a warning each time it gives up on a timestamp; the test expects those.
  google::protobuf::LogSilencer quiet;
  std::size_t compared = 0, declined = 0;
  for (const auto* type : every_message_type()) {
    const Message* prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
    ASSERT_NE(prototype, nullptr) << type->full_name();
    for (unsigned seed = 1; seed <= 60; ++seed) {
      std::unique_ptr<Message> m(prototype->New());
      RandomFill fill(seed * 7919 + static_cast<unsigned>(compared));
      fill.message(*m, 0);

      std::string theirs;
      const bool they_printed = google::protobuf::util::MessageToJsonString(*m, &theirs, {}).ok();
      const auto ours = print_json(*m);
      if (!they_printed) {  // a timestamp past year 9999 (a later oneof member may have dropped it)
        EXPECT_TRUE(fill.any_bad_timestamp) << m->DebugString();
        EXPECT_FALSE(ours) << "what protobuf refuses to print must be left to protobuf";
        ++declined;
        continue;
      }
      ASSERT_TRUE(ours) << type->full_name() << " declined:\n" << m->DebugString();
      if (!fill.any_map_of_two_or_more) {
        EXPECT_EQ(*ours, theirs) << type->full_name() << ", seed " << seed;
      } else {
        EXPECT_EQ(boost::json::parse(*ours), boost::json::parse(theirs))
            << type->full_name() << ", seed " << seed;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 1000u);
  EXPECT_GT(declined, 0u);
}

// A message built by DynamicMessageFactory (its timestamps dynamic too) keeps its fields apart
// from a generated one's: the printer must read it through reflection all the same.
TEST(JsonPrinter, PrintsDynamicMessagesAsGeneratedOnes) {
  google::protobuf::DynamicMessageFactory factory;
  std::size_t compared = 0;
  for (const auto* type : every_message_type()) {
    const Message* generated_prototype =
        google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
    for (unsigned seed = 1; seed <= 10; ++seed) {
      std::unique_ptr<Message> filled(generated_prototype->New());
      RandomFill(seed).message(*filled, 0);
      // Both read from the same bytes, so that a key the fill gave a map twice is there once.
      const std::string bytes = filled->SerializeAsString();
      std::unique_ptr<Message> generated(generated_prototype->New());
      std::unique_ptr<Message> dynamic(factory.GetPrototype(type)->New());
      ASSERT_TRUE(generated->ParseFromString(bytes) && dynamic->ParseFromString(bytes));
      const auto ours = print_json(*generated);
      if (!ours) continue;  // a timestamp past year 9999
      EXPECT_EQ(print_json(*dynamic).value_or("declined"), *ours) << type->full_name();
      ++compared;
    }
  }
  EXPECT_GT(compared, 300u);
}

TEST(JsonPrinter, MapEntriesComeSortedByKey) {
  v1::Alert alert;
  (*alert.mutable_texts())["zh"] = "c";
  (*alert.mutable_texts())["en"] = "a";
  (*alert.mutable_texts())["es"] = "b";
  EXPECT_EQ(print_json(alert).value_or(""), R"({"texts":{"en":"a","es":"b","zh":"c"}})");
}

}  // namespace
}  // namespace puente::wire
