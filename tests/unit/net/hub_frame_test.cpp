// HubFrame's forms: each encoded once, by its first reader on whichever thread, and only when
// read; languages read their own text; a responder's place among the sorted recipients, found by
// the hash of its id; each place's earliest write kept until the delivery log takes it, the
// frame handed to the log once per take, and no write lost to a take that races with it.
#include "net/hub_frame.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
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
  EXPECT_EQ(frame.recipients, (std::vector<std::string_view>{"a", "b", "c"}));
  EXPECT_EQ(frame.place_of(RecipientKey("c")), 2u);
}

// A live alert's ids are views into its message, which the frame keeps: they are sorted and
// found as ids given as strings are, after the caller's copy of the message is gone.
TEST(HubFrame, KeepsTheBytesItsRecipientsViewAndFindsThemThere) {
  CountingFrame frame;
  {
    auto bytes = std::make_unique<const std::string>("obs-c obs-a bench-obs-00042");
    const std::string_view all(*bytes);
    frame.set_recipients(std::move(bytes),
                         {all.substr(0, 5), all.substr(6, 5), all.substr(12, 15)});
  }
  EXPECT_EQ(frame.recipients, (std::vector<std::string_view>{"bench-obs-00042", "obs-a", "obs-c"}));
  EXPECT_EQ(frame.place_of(RecipientKey("obs-a")), 1u);
  EXPECT_EQ(frame.place_of(RecipientKey(std::string("bench-obs-00042"))), 0u);
  EXPECT_FALSE(frame.place_of(RecipientKey("obs-b")));
  // Ids given as strings afterwards replace them.
  frame.set_recipients(std::vector<std::string>{"obs-z"});
  EXPECT_EQ(frame.recipients, (std::vector<std::string_view>{"obs-z"}));
}

// Ids shorter than a word, of a word, and longer, some alike but for their first or last bytes
// (the hash reads 8 bytes at a time, the last 8 overlapping the word before).
TEST(HubFrame, FindsRecipientsOfEveryIdLengthAndNoOneAlike) {
  CountingFrame frame;
  std::vector<std::string> ids{"a",
                               "ab",
                               "abcdefg",
                               "abcdefgh",
                               "abcdefghi",
                               "xbcdefghi",
                               "abcdefghijklmnop",
                               "abcdefghijklmnopq",
                               "bbcdefghijklmnopq"};
  frame.set_recipients(ids);
  for (const auto& id : ids) {
    auto found = frame.place_of(RecipientKey(id));
    ASSERT_TRUE(found) << id;
    EXPECT_EQ(frame.recipients[*found], id);
  }
  for (const char* stranger : {"b", "abcdefgi", "abcdefghj", "ybcdefghi", "abcdefghijklmnoq", "A"})
    EXPECT_FALSE(frame.place_of(RecipientKey(stranger))) << stranger;
}

using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

// What a take gave: place -> time.
std::map<std::uint32_t, Clock::time_point> taken_from(const HubFrame& frame) {
  std::map<std::uint32_t, Clock::time_point> taken;
  frame.take_written([&](std::uint32_t place, Clock::time_point at) {
    EXPECT_TRUE(taken.empty() || taken.rbegin()->first < place) << "in place order, once each";
    taken[place] = at;
  });
  return taken;
}

TEST(HubFrame, KeepsEachPlacesEarliestWriteAndIsHandedOverOncePerTake) {
  CountingFrame frame;
  frame.set_recipients({"obs-a", "obs-b", "obs-c"});
  const auto t = Clock::now();
  EXPECT_TRUE(frame.written_to(2, t + 5ms)) << "the first write hands the frame over";
  EXPECT_FALSE(frame.written_to(0, t + 3ms)) << "handed over already";
  EXPECT_FALSE(frame.written_to(2, t + 1ms));  // the responder's second socket, earlier
  EXPECT_FALSE(frame.written_to(2, t + 9ms));  // and a third, later
  EXPECT_EQ(taken_from(frame),
            (std::map<std::uint32_t, Clock::time_point>{{0, t + 3ms}, {2, t + 1ms}}));
  EXPECT_TRUE(taken_from(frame).empty()) << "a take empties the places it read";
  EXPECT_TRUE(frame.written_to(1, t + 7ms)) << "the first write after a take hands it over again";
  EXPECT_EQ(taken_from(frame), (std::map<std::uint32_t, Clock::time_point>{{1, t + 7ms}}));
}

// I/O threads write while the log takes, as the log does it: it takes a frame only when a write
// handed it over, and once more at the end if one did. Every place written comes out once.
TEST(HubFrame, NoWriteIsLostOrTakenTwiceWhileWritersRaceTheTake) {
  constexpr std::size_t writers = 4, places_each = 2000;
  CountingFrame frame;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < writers * places_each; ++i) ids.push_back(std::to_string(100000 + i));
  frame.set_recipients(ids);

  std::mutex log_mutex;
  std::size_t handed = 0;  // hand-overs not yet taken, as DeliveryLog::frames_ holds them
  std::vector<int> taken(ids.size(), 0);
  const auto take_if_handed = [&] {
    {
      std::lock_guard lock(log_mutex);
      if (handed == 0) return;
      handed = 0;
    }
    frame.take_written([&](std::uint32_t place, Clock::time_point) { ++taken[place]; });
  };

  std::atomic<bool> writing{true};
  std::thread log([&] {
    while (writing) take_if_handed();
  });
  std::vector<std::thread> threads;
  for (std::size_t w = 0; w < writers; ++w)
    threads.emplace_back([&, w] {
      for (std::size_t i = 0; i < places_each; ++i)
        if (frame.written_to(i * writers + w, Clock::now())) {
          std::lock_guard lock(log_mutex);
          ++handed;
        }
    });
  for (auto& thread : threads) thread.join();
  writing = false;
  log.join();
  take_if_handed();  // the log's last flush

  for (std::size_t place = 0; place < taken.size(); ++place)
    ASSERT_EQ(taken[place], 1) << "place " << place;
}

}  // namespace
}  // namespace puente::net
