// HubFrame's forms: each encoded once, by its first reader on whichever thread, and only when
// read; languages read their own text; a responder's place among the sorted recipients, found by
// the hash of its id.
#include "net/hub_frame.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace puente::net {
namespace {

// Counts its encodings; a form reads "<text>/<json|binary>".
struct CountingFrame : HubFrame {
  explicit CountingFrame(std::size_t texts = 1) : HubFrame(texts) {}
  mutable std::atomic<int> encodings{0};
  using HubFrame::read_in;
  std::string encode(std::size_t text, bool binary) const override {
    ++encodings;
    return std::to_string(text) + (binary ? "/binary" : "/json");
  }
};

TEST(HubFrame, EncodesAFormOnlyWhenFirstReadAndOnce) {
  CountingFrame frame(2);
  EXPECT_EQ(frame.encodings, 0) << "nothing is encoded before a socket reads it";
  const auto& json = frame.bytes(0, false);
  EXPECT_EQ(*json, "0/json");
  EXPECT_EQ(frame.encodings, 1);
  EXPECT_EQ(frame.bytes(0, false).get(), json.get()) << "the same buffer for every reader";
  EXPECT_EQ(frame.encodings, 1);
  EXPECT_EQ(*frame.bytes(1, true), "1/binary");
  EXPECT_EQ(frame.encodings, 2) << "the other two forms are never read, never encoded";
}

TEST(HubFrame, ReadersOnManyThreadsShareOneEncoding) {
  CountingFrame frame;
  std::vector<const std::string*> seen(8);
  std::vector<std::thread> readers;
  for (std::size_t i = 0; i < seen.size(); ++i)
    readers.emplace_back([&frame, &seen, i] {
      for (int n = 0; n < 1000; ++n) seen[i] = frame.bytes(0, true).get();
    });
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(frame.encodings, 1);
  for (const auto* bytes : seen) EXPECT_EQ(bytes, seen.front());
}

TEST(HubFrame, ALanguageReadsItsOwnTextAndAnyOtherTheDefault) {
  CountingFrame frame(3);
  frame.read_in("es", 1);
  frame.read_in("zh", 2);
  EXPECT_EQ(frame.text_for("es"), 1u);
  EXPECT_EQ(frame.text_for("zh"), 2u);
  EXPECT_EQ(frame.text_for("en"), 0u);
  EXPECT_EQ(frame.text_for(""), 0u);
}

TEST(HubFrame, FindsEachRecipientAtItsPlaceInSortedOrderAndNoOneElse) {
  CountingFrame frame;
  EXPECT_FALSE(frame.place_of(RecipientKey("obs-1"))) << "no recipients: for no one";
  std::vector<std::string> ids;
  for (int i = 299; i >= 0; --i) ids.push_back("obs-" + std::to_string(i));  // not sorted
  frame.set_recipients(ids);
  ASSERT_TRUE(std::is_sorted(frame.recipients.begin(), frame.recipients.end()));
  for (std::size_t place = 0; place < frame.recipients.size(); ++place) {
    auto found = frame.place_of(RecipientKey(frame.recipients[place]));
    ASSERT_TRUE(found) << frame.recipients[place];
    EXPECT_EQ(*found, place);
  }
  for (const char* stranger : {"obs-300", "obs-", "", "vol-1", "obs-1 "})
    EXPECT_FALSE(frame.place_of(RecipientKey(stranger))) << stranger;
  // Sorted ids stay as they are.
  frame.set_recipients({"a", "b", "c"});
  EXPECT_EQ(frame.recipients, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(frame.place_of(RecipientKey("c")), 2u);
}

}  // namespace
}  // namespace puente::net
