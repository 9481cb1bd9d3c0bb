// Responders' phones matched by keyed hash: a reply's sender finds its responder through the
// hash, never by the number itself leaving memory.

#include "core/responder_phones.hpp"

#include <gtest/gtest.h>

#include <string>

namespace puente::core {
namespace {

Roster two_with_phones() {
  return Roster::from_toml(
      "[[responder]]\nid = \"obs-a\"\nroles = [\"legal_observer\"]\n"
      "phone = \"+13235550123\"\nchannels = [\"sms\"]\n"
      "[[responder]]\nid = \"obs-b\"\nroles = [\"legal_observer\"]\n"
      "phone = \"+525512345678\"\n"
      "[[responder]]\nid = \"vol-c\"\nroles = [\"volunteer\"]\n");
}

TEST(ResponderPhones, ARepliesSenderIsFoundByTheHashOfItsNumber) {
  const auto roster = two_with_phones();
  const ResponderPhones phones(roster, CallerKey(std::string(32, 'k')));
  EXPECT_EQ(phones.size(), 2u);
  const std::string hash_a = phones.hash("+13235550123");
  EXPECT_EQ(hash_a.size(), 64u);
  EXPECT_EQ(hash_a.find("3235550123"), std::string::npos);
  EXPECT_EQ(phones.by_hash(hash_a), roster.find("obs-a"));
  EXPECT_EQ(phones.hash_of(*roster.find("obs-a")), hash_a);
  EXPECT_TRUE(phones.hash_of(*roster.find("vol-c")).empty());
  // As gateways write a sender: with or without '+'.
  EXPECT_EQ(phones.by_number("+13235550123"), roster.find("obs-a"));
  EXPECT_EQ(phones.by_number("13235550123"), roster.find("obs-a"));
  EXPECT_EQ(phones.by_number("+525512345678"), roster.find("obs-b"));
  EXPECT_EQ(phones.by_number("+13235550199"), nullptr);
  EXPECT_EQ(phones.by_number("not a number"), nullptr);
  EXPECT_EQ(phones.by_hash("00"), nullptr);
}

TEST(ResponderPhones, TheHashIsKeyedAndApartFromCallersHashes) {
  const auto roster = two_with_phones();
  const CallerKey key(std::string(32, 'k'));
  const ResponderPhones phones(roster, key);
  const ResponderPhones other_key(roster, CallerKey(std::string(32, 'x')));
  EXPECT_NE(phones.hash("+13235550123"), other_key.hash("+13235550123"));
  // Not the caller_hash of the same number: Redis cannot join a responder to their reports.
  EXPECT_NE(phones.hash("+13235550123"), key.hash("+13235550123"));
}

}  // namespace
}  // namespace puente::core
