// Roster: TOML parsing, validation messages, token authentication.

#include "core/roster.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>

namespace puente::core {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// Tokens are made up for the tests; the roster stores only their hashes.
const std::string kMariaToken = "maria-token-0001";
const std::string kDeshawnToken = "deshawn-token-0002";

std::string responder_toml(const std::string& id, const std::string& roles,
                           const std::string& token_hash, const std::string& extra = {}) {
  return "[[responder]]\nid = \"" + id + "\"\nroles = " + roles + "\ntoken_sha256 = \"" +
         token_hash + "\"\n" + extra + "\n";
}

std::string example_roster() {
  return "[[responder]]\n"
         "id = \"obs-maria\"\n"
         "name = \"Maria G.\"\n"
         "roles = [\"legal_observer\"]\n"
         "neighborhoods = [\"boyle-heights\", \"lincoln-heights\"]\n"
         "languages = [\"es\", \"en\"]\n"
         "token_sha256 = \"" +
         sha256_hex(kMariaToken) +
         "\"\n"
         "\n"
         "[[responder]]\n"
         "id = \"disp-deshawn\"\n"
         "name = \"Deshawn K.\"\n"
         "roles = [\"dispatcher\", \"admin\"]\n"
         "token_sha256 = \"" +
         sha256_hex(kDeshawnToken) + "\"\n";
}

TEST(Roster, AResponderWithoutARosterTokenSignsInWithIssuedTokensOnly) {
  const auto roster = Roster::from_toml(
      "[[responder]]\nid = \"obs-a\"\nroles = [\"legal_observer\"]\n"
      "[[responder]]\nid = \"obs-b\"\nroles = [\"legal_observer\"]\n");
  EXPECT_TRUE(roster.find("obs-a")->token_sha256.empty());
  EXPECT_EQ(roster.authenticate(""), nullptr);
  EXPECT_EQ(roster.authenticate("anything"), nullptr);
}

TEST(Sha256Hex, KnownVectors) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Roles, RoundTripByName) {
  for (Role role : {Role::operator_, Role::dispatcher, Role::legal_observer, Role::volunteer,
                    Role::attorney, Role::counselor, Role::admin, Role::metrics})
    EXPECT_EQ(parse_role(to_string(role)), role) << to_string(role);
  EXPECT_EQ(to_string(Role::operator_), "operator");
  EXPECT_EQ(parse_role("operator_"), std::nullopt);
  EXPECT_EQ(parse_role("Dispatcher"), std::nullopt);
  EXPECT_EQ(parse_role(""), std::nullopt);
}

TEST(Roster, ParsesTheExampleFormat) {
  const auto roster = Roster::from_toml(example_roster());
  ASSERT_EQ(roster.responders().size(), 2u);

  const Responder* maria = roster.find("obs-maria");
  ASSERT_NE(maria, nullptr);
  EXPECT_EQ(maria->name, "Maria G.");
  EXPECT_THAT(maria->roles, ElementsAre(Role::legal_observer));
  EXPECT_THAT(maria->neighborhoods, ElementsAre("boyle-heights", "lincoln-heights"));
  EXPECT_THAT(maria->languages, ElementsAre("es", "en"));
  EXPECT_EQ(maria->token_sha256, sha256_hex(kMariaToken));
  EXPECT_TRUE(maria->has_role(Role::legal_observer));
  EXPECT_FALSE(maria->has_role(Role::dispatcher));
  EXPECT_TRUE(maria->covers("boyle-heights"));
  EXPECT_FALSE(maria->covers("downtown"));

  const Responder* deshawn = roster.find("disp-deshawn");
  ASSERT_NE(deshawn, nullptr);
  EXPECT_THAT(deshawn->roles, ElementsAre(Role::dispatcher, Role::admin));
  EXPECT_TRUE(deshawn->neighborhoods.empty());
  EXPECT_EQ(roster.find("nobody"), nullptr);
}

TEST(Roster, IndexOfPlacesItsOwnRespondersOnlyNotCopies) {
  const auto roster = Roster::from_toml(example_roster());
  for (std::size_t i = 0; i < roster.responders().size(); ++i)
    EXPECT_EQ(roster.index_of(roster.responders()[i]), i);
  const Responder copy = *roster.find("obs-maria");
  EXPECT_EQ(roster.index_of(copy), std::nullopt);
  EXPECT_EQ(Roster::from_toml("").index_of(copy), std::nullopt);
}

TEST(Roster, AuthenticatesByTokenHash) {
  const auto roster = Roster::from_toml(example_roster());
  const Responder* maria = roster.authenticate(kMariaToken);
  ASSERT_NE(maria, nullptr);
  EXPECT_EQ(maria->id, "obs-maria");
  ASSERT_NE(roster.authenticate(kDeshawnToken), nullptr);
  EXPECT_EQ(roster.authenticate(kDeshawnToken)->id, "disp-deshawn");

  EXPECT_EQ(roster.authenticate("wrong-token"), nullptr);
  EXPECT_EQ(roster.authenticate(kMariaToken + " "), nullptr);
  EXPECT_EQ(roster.authenticate(""), nullptr);
  // The hash itself is not a token.
  EXPECT_EQ(roster.authenticate(sha256_hex(kMariaToken)), nullptr);
}

TEST(Roster, IndexesWhoCoversEachNeighborhood) {
  const auto roster = Roster::from_toml(example_roster());
  EXPECT_THAT(roster.covering("boyle-heights"), ElementsAre(0u));
  EXPECT_THAT(roster.covering("lincoln-heights"), ElementsAre(0u));
  EXPECT_TRUE(roster.covering("downtown").empty());  // the dispatcher lists none
}

TEST(Roster, AcceptsUppercaseHexAndStoresLowercase) {
  std::string upper = sha256_hex(kMariaToken);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](char c) {
    return c >= 'a' && c <= 'f' ? static_cast<char>(c - 'a' + 'A') : c;
  });
  const auto roster = Roster::from_toml(responder_toml("obs-a", R"(["volunteer"])", upper));
  EXPECT_EQ(roster.find("obs-a")->token_sha256, sha256_hex(kMariaToken));
  EXPECT_NE(roster.authenticate(kMariaToken), nullptr);
}

TEST(Roster, NameDefaultsToIdAndRepeatsCollapse) {
  const auto roster = Roster::from_toml(responder_toml(
      "vol-1", R"(["volunteer", "volunteer"])", sha256_hex("t"), R"(neighborhoods = ["a", "a"])"));
  const Responder* r = roster.find("vol-1");
  EXPECT_EQ(r->name, "vol-1");
  EXPECT_THAT(r->roles, ElementsAre(Role::volunteer));
  EXPECT_THAT(r->neighborhoods, ElementsAre("a"));
}

TEST(Roster, EmptyDocumentIsAnEmptyRoster) {
  EXPECT_TRUE(Roster::from_toml("").responders().empty());
}

void expect_rejected(const std::string& toml, const std::string& who, const std::string& what) {
  EXPECT_THAT([&] { Roster::from_toml(toml); },
              ThrowsMessage<std::runtime_error>(AllOf(HasSubstr(who), HasSubstr(what))))
      << toml;
}

TEST(Roster, ValidationErrorsNameTheResponderAndField) {
  const std::string h1 = sha256_hex("one");
  const std::string h2 = sha256_hex("two");
  const std::string observer = R"(["legal_observer"])";

  expect_rejected(responder_toml("obs-a", "[]", h1), "\"obs-a\"", "\"roles\" is empty");
  expect_rejected("[[responder]]\nid = \"obs-a\"\ntoken_sha256 = \"" + h1 + "\"\n", "\"obs-a\"",
                  "missing field \"roles\"");
  expect_rejected(responder_toml("obs-a", R"(["sheriff"])", h1), "\"obs-a\"",
                  "unknown role \"sheriff\"");
  expect_rejected(responder_toml("obs-a", R"("legal_observer")", h1), "\"obs-a\"",
                  "\"roles\" must be an array");
  expect_rejected(responder_toml("obs-a", R"(["legal_observer", 3])", h1), "\"obs-a\"",
                  "\"roles\" must hold only non-empty strings");
  expect_rejected(responder_toml("obs-a", observer, h1.substr(1)), "\"obs-a\"",
                  "\"token_sha256\" must be 64 hex digits");
  expect_rejected(responder_toml("obs-a", observer, h1.substr(1) + "g"), "\"obs-a\"",
                  "\"token_sha256\" must be 64 hex digits");
  expect_rejected(responder_toml("obs-a", observer, h1) + responder_toml("obs-a", observer, h2),
                  "\"obs-a\"", "\"id\" is a duplicate");
  expect_rejected(responder_toml("obs-a", observer, h1) + responder_toml("obs-b", observer, h1),
                  "\"obs-b\"", "duplicates the one of responder \"obs-a\"");
  expect_rejected(responder_toml("obs-a", observer, h1, "neighbourhoods = [\"venice\"]"),
                  "\"obs-a\"", "unknown field \"neighbourhoods\"");
  expect_rejected(responder_toml("obs-a", observer, h1, "name = 7"), "\"obs-a\"",
                  "\"name\" must be a non-empty string");
  expect_rejected(responder_toml("obs-a", observer, h1, "neighborhoods = \"venice\""), "\"obs-a\"",
                  "\"neighborhoods\" must be an array");
}

TEST(Roster, ErrorsWithoutAnIdPointAtTheEntry) {
  expect_rejected(responder_toml("obs-a", R"(["volunteer"])", sha256_hex("a")) +
                      "[[responder]]\nroles = [\"volunteer\"]\n",
                  "responder #2 (line", "missing field \"id\"");
  expect_rejected("[[responder]]\nid = \"\"\n", "responder #1", "\"id\" must be a non-empty");
}

TEST(Roster, DocumentLevelErrors) {
  expect_rejected("[[responder]\nid = 1", "invalid TOML at line 1", "");
  expect_rejected("[responder]\nid = \"a\"\n", "roster", "array of tables");
  expect_rejected("[[responders]]\nid = \"a\"\n", "roster", "unknown top-level key \"responders\"");
}

TEST(Roster, TheMetricsRoleStandsAlone) {
  const auto roster =
      Roster::from_toml(responder_toml("prometheus", R"(["metrics"])", sha256_hex("m")));
  EXPECT_TRUE(roster.find("prometheus")->has_role(Role::metrics));
  // A scraper's token lives on a monitoring host: it must not also report, answer or listen.
  const std::string alone = "the role \"metrics\" stands alone";
  expect_rejected(responder_toml("prometheus", R"(["metrics", "admin"])", sha256_hex("m")),
                  "\"prometheus\"", alone);
  expect_rejected(responder_toml("prometheus", R"(["volunteer", "metrics"])", sha256_hex("m")),
                  "\"prometheus\"", alone);
  expect_rejected(responder_toml("prometheus", R"(["metrics"])", sha256_hex("m"),
                                 R"(neighborhoods = ["boyle-heights"])"),
                  "\"prometheus\"", alone);
  expect_rejected(responder_toml("prometheus", R"(["metrics"])", sha256_hex("m"), "standby = true"),
                  "\"prometheus\"", alone);
}

TEST(Roster, UnknownNeighborhoodsNamesResponderAndSlug) {
  const auto roster = Roster::from_toml(example_roster());
  const std::set<std::string> known = {"boyle-heights", "downtown"};
  const auto unknown =
      roster.unknown_neighborhoods([&](const std::string& slug) { return known.count(slug) > 0; });
  EXPECT_THAT(unknown, ElementsAre("obs-maria: lincoln-heights"));

  EXPECT_TRUE(roster.unknown_neighborhoods([](const std::string&) { return true; }).empty());
}

}  // namespace
}  // namespace puente::core

namespace puente::core {
namespace {

// Issue 18: a phone and the channels a responder wants, checked at start.
TEST(Roster, PhoneIsE164AndChannelsDefaultToPush) {
  const std::string observer = R"(["legal_observer"])";
  const auto roster = Roster::from_toml(
      responder_toml("obs-a", observer, sha256_hex("a"),
                     "phone = \"+1 (323) 555-0123\"\nchannels = [\"push\", \"sms\"]") +
      responder_toml("obs-b", observer, sha256_hex("b")));
  const auto* a = roster.find("obs-a");
  EXPECT_EQ(a->phone, "+13235550123");
  EXPECT_TRUE(a->wants(ContactChannel::sms));
  EXPECT_TRUE(a->wants(ContactChannel::push));
  const auto* b = roster.find("obs-b");
  EXPECT_TRUE(b->phone.empty());
  EXPECT_THAT(b->channels, ElementsAre(ContactChannel::push));
  EXPECT_FALSE(b->wants(ContactChannel::sms));
  EXPECT_EQ(parse_contact_channel("sms"), ContactChannel::sms);
  EXPECT_FALSE(parse_contact_channel("fax"));
  EXPECT_EQ(to_string(ContactChannel::push), "push");
}

TEST(Roster, PhoneAndChannelErrorsNeverQuoteTheNumber) {
  const std::string observer = R"(["legal_observer"])";
  const auto rejected_without_number = [&](const std::string& toml, const std::string& number,
                                           const std::string& what) {
    try {
      Roster::from_toml(toml);
      ADD_FAILURE() << "accepted: " << toml;
    } catch (const std::runtime_error& e) {
      EXPECT_THAT(e.what(), HasSubstr(what));
      EXPECT_THAT(e.what(), ::testing::Not(HasSubstr(number))) << e.what();
    }
  };
  // No '+': a number without its country code is not E.164, whatever the network's country.
  rejected_without_number(
      responder_toml("obs-a", observer, sha256_hex("a"), "phone = \"3235550123\""), "3235550123",
      "\"phone\" is not an E.164 number");
  rejected_without_number(responder_toml("obs-a", observer, sha256_hex("a"), "phone = \"+1555\""),
                          "1555", "\"phone\" is not an E.164 number");
  rejected_without_number(
      responder_toml("obs-a", observer, sha256_hex("a"), "phone = \"+1 323 555 0123 ext 4\""),
      "555 0123", "\"phone\" is not an E.164 number");
  rejected_without_number(
      responder_toml("obs-a", observer, sha256_hex("a"), "phone = \"+13235550123\"") +
          responder_toml("obs-b", observer, sha256_hex("b"), "phone = \"+1 323-555-0123\""),
      "5550123", "\"phone\" is also responder \"obs-a\"'s");
  expect_rejected(responder_toml("obs-a", observer, sha256_hex("a"), "phone = 13235550123"),
                  "\"obs-a\"", "\"phone\" must be a non-empty string");
  expect_rejected(responder_toml("obs-a", observer, sha256_hex("a"), "channels = [\"sms\"]"),
                  "\"obs-a\"", "lists \"sms\" but the responder has no \"phone\"");
  expect_rejected(responder_toml("obs-a", observer, sha256_hex("a"), "channels = [\"pager\"]"),
                  "\"obs-a\"", "unknown channel \"pager\" (push, sms)");
  expect_rejected(responder_toml("obs-a", observer, sha256_hex("a"), "channels = \"sms\""),
                  "\"obs-a\"", "\"channels\" must be an array");
  expect_rejected(
      responder_toml("scraper", R"(["metrics"])", sha256_hex("m"), "phone = \"+13235550123\""),
      "\"scraper\"", "stands alone");
}

}  // namespace
}  // namespace puente::core
