// Dispatch policy: defaults, the [policy] table of the node config, per-neighborhood overrides,
// and a message naming the option for every bad value.

#include "core/dispatch_policy.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <stdexcept>
#include <string>

namespace puente::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;
using namespace std::chrono_literals;

bool known(std::string_view slug) {
  static const std::set<std::string, std::less<>> slugs = {"boyle-heights", "downtown",
                                                           "el-sereno"};
  return slugs.count(slug) > 0;
}

DispatchPolicies parse(const std::string& toml) { return DispatchPolicies::from_toml(toml, known); }

TEST(DispatchPolicy, DefaultsWithoutAPolicyTable) {
  const auto policies = parse("[node]\nid = \"node-1\"\n[redis]\naddress = \"127.0.0.1:6379\"\n");
  const DispatchPolicy& p = policies.network();
  EXPECT_TRUE(p.verify_before_dispatch);
  EXPECT_EQ(p.quorum.count, 2);
  EXPECT_EQ(p.quorum.role, Role::legal_observer);
  EXPECT_EQ(p.quorum.state, v1::ON_SCENE);
  EXPECT_THAT(p.escalation, ElementsAre(EscalationStep{600s, EscalationAudience::adjacent},
                                        EscalationStep{1200s, EscalationAudience::region},
                                        EscalationStep{1800s, EscalationAudience::dispatchers}));
  EXPECT_EQ(p.dedup_meters, 300);
  EXPECT_EQ(p.dedup_window, 30min);
  EXPECT_EQ(p.dedup_rule().meters, 300);
  EXPECT_EQ(p.dedup_rule().window, 30min);
  EXPECT_TRUE(policies.overrides().empty());
  EXPECT_EQ(&policies.for_neighborhood("downtown"), &policies.network());
}

TEST(DispatchPolicy, ParsesEveryOptionInSeconds) {
  const auto policies = parse(R"(
[policy]
verify_before_dispatch = false
dedup_meters = 150.5
dedup_window_seconds = 20

[policy.quorum]
count = 3
role = "any"
state = "EN_ROUTE"

[[policy.escalation]]
deadline_seconds = 5
audience = "adjacent"

[[policy.escalation]]
deadline_seconds = 9
audience = "dispatchers"
)");
  const DispatchPolicy& p = policies.network();
  EXPECT_FALSE(p.verify_before_dispatch);
  EXPECT_EQ(p.dedup_meters, 150.5);
  EXPECT_EQ(p.dedup_window, 20s);
  EXPECT_EQ(p.quorum.count, 3);
  EXPECT_EQ(p.quorum.role, std::nullopt);
  EXPECT_EQ(p.quorum.state, v1::EN_ROUTE);
  EXPECT_THAT(p.escalation, ElementsAre(EscalationStep{5s, EscalationAudience::adjacent},
                                        EscalationStep{9s, EscalationAudience::dispatchers}));
}

TEST(DispatchPolicy, IntegerMetresAndAnEmptyEscalation) {
  const auto p = parse("[policy]\ndedup_meters = 50\nescalation = []\n").network();
  EXPECT_EQ(p.dedup_meters, 50);
  EXPECT_TRUE(p.escalation.empty());
}

TEST(DispatchPolicy, NeighborhoodOverridesInheritTheRest) {
  const auto policies = parse(R"(
[policy]
dedup_meters = 200
[policy.quorum]
count = 2
role = "legal_observer"

[policy.neighborhoods.downtown]
quorum = { count = 4 }
verify_before_dispatch = false

[[policy.neighborhoods.boyle-heights.escalation]]
deadline_seconds = 300
audience = "region"
)");
  const DispatchPolicy& downtown = policies.for_neighborhood("downtown");
  EXPECT_EQ(downtown.quorum.count, 4);
  EXPECT_EQ(downtown.quorum.role, Role::legal_observer);  // merged key by key
  EXPECT_FALSE(downtown.verify_before_dispatch);
  EXPECT_EQ(downtown.dedup_meters, 200);  // from [policy]
  EXPECT_EQ(downtown.escalation, default_escalation());

  const DispatchPolicy& boyle = policies.for_neighborhood("boyle-heights");
  EXPECT_THAT(boyle.escalation, ElementsAre(EscalationStep{300s, EscalationAudience::region}));
  EXPECT_TRUE(boyle.verify_before_dispatch);
  EXPECT_EQ(boyle.quorum.count, 2);

  EXPECT_EQ(&policies.for_neighborhood("el-sereno"), &policies.network());
  EXPECT_EQ(policies.overrides().size(), 2u);
}

TEST(DispatchPolicy, TheLongestDedupWindowIsTheNetworksOrAnOverridesWhicheverIsLonger) {
  EXPECT_EQ(parse("[policy]\ndedup_window_seconds = 600\n").longest_dedup_window(), 600s);
  const auto policies = parse(R"(
[policy]
dedup_window_seconds = 600
[policy.neighborhoods.downtown]
dedup_window_seconds = 3600
[policy.neighborhoods.el-sereno]
dedup_window_seconds = 60
)");
  EXPECT_EQ(policies.longest_dedup_window(), 3600s);
}

TEST(DispatchPolicy, AudienceNamesRoundTrip) {
  for (auto a :
       {EscalationAudience::adjacent, EscalationAudience::region, EscalationAudience::dispatchers})
    EXPECT_EQ(parse_escalation_audience(to_string(a)), a);
  EXPECT_EQ(parse_escalation_audience("standby"), std::nullopt);
}

void expect_policy_rejected(const std::string& toml, const std::string& message) {
  EXPECT_THAT([&] { parse(toml); }, ThrowsMessage<std::runtime_error>(HasSubstr(message))) << toml;
}

TEST(DispatchPolicy, EveryBadValueNamesItsOption) {
  expect_policy_rejected("[policy.quorum]\ncount = 0\n", "policy.quorum.count must be >= 1");
  expect_policy_rejected("[policy.quorum]\ncount = 5000\n", "policy.quorum.count must be <= 1000");
  expect_policy_rejected("[policy.quorum]\ncount = \"two\"\n",
                         "policy.quorum.count must be an integer");
  expect_policy_rejected("[policy.quorum]\nrole = \"sheriff\"\n",
                         "policy.quorum.role \"sheriff\" is not a role");
  expect_policy_rejected("[policy.quorum]\nrole = 3\n", "policy.quorum.role must be a role name");
  expect_policy_rejected("[policy.quorum]\nstate = \"DECLINED\"\n", "policy.quorum.state must be");
  expect_policy_rejected("[policy.quorum]\nstate = \"on_scene\"\n", "policy.quorum.state must be");
  expect_policy_rejected("[policy.quorum]\nsize = 2\n", "policy.quorum.size is not an option");
  expect_policy_rejected("[policy]\nquorum = 2\n", "policy.quorum must be a table");
  expect_policy_rejected("[policy]\nverify_before_dispatch = \"yes\"\n",
                         "policy.verify_before_dispatch must be true or false");
  expect_policy_rejected("[policy]\ndedup_meters = 0\n", "policy.dedup_meters must be > 0");
  expect_policy_rejected("[policy]\ndedup_meters = -5.0\n", "policy.dedup_meters must be > 0");
  expect_policy_rejected("[policy]\ndedup_meters = 20000\n",
                         "policy.dedup_meters must be <= 10000");
  expect_policy_rejected("[policy]\ndedup_meters = nan\n", "policy.dedup_meters must be a number");
  expect_policy_rejected("[policy]\ndedup_meters = true\n", "policy.dedup_meters must be a number");
  expect_policy_rejected("[policy]\ndedup_window_seconds = 0\n",
                         "policy.dedup_window_seconds must be >= 1");
  expect_policy_rejected("[policy]\ndedup_window_seconds = 90000\n",
                         "policy.dedup_window_seconds must be <= 86400");
  expect_policy_rejected("[policy]\ndedup_window_seconds = 1.5\n",
                         "policy.dedup_window_seconds must be an integer");
  expect_policy_rejected("[policy]\nqourum = 2\n", "policy.qourum is not an option");
  expect_policy_rejected("policy = 3\n", "policy must be a table");
}

TEST(DispatchPolicy, EscalationStepErrorsNameTheStep) {
  const auto step = [](const std::string& body) { return "[[policy.escalation]]\n" + body + "\n"; };
  expect_policy_rejected(step("audience = \"adjacent\""),
                         "policy.escalation[0].deadline_seconds is missing");
  expect_policy_rejected(step("deadline_seconds = 60"), "policy.escalation[0].audience is missing");
  expect_policy_rejected(step("deadline_seconds = 0\naudience = \"adjacent\""),
                         "policy.escalation[0].deadline_seconds must be >= 1");
  expect_policy_rejected(
      step("deadline_seconds = 60\naudience = \"everyone\""),
      "policy.escalation[0].audience must be \"adjacent\", \"region\" or \"dispatchers\"");
  expect_policy_rejected(step("deadline_seconds = 60\naudience = \"adjacent\"\nafter = 3"),
                         "policy.escalation[0].after is not an option");
  expect_policy_rejected(
      step("deadline_seconds = 600\naudience = \"adjacent\"") +
          step("deadline_seconds = 600\naudience = \"region\""),
      "policy.escalation[1].deadline_seconds must be greater than the step before it "
      "(600)");
  expect_policy_rejected("[policy]\nescalation = { deadline_seconds = 60 }\n",
                         "policy.escalation must be an array of tables");
  expect_policy_rejected("[policy]\nescalation = [600]\n", "policy.escalation[0] must be a table");
}

TEST(DispatchPolicy, NeighborhoodOverrideErrors) {
  expect_policy_rejected("[policy.neighborhoods.atlantis]\nquorum = { count = 3 }\n",
                         "policy.neighborhoods.atlantis: unknown neighborhood");
  expect_policy_rejected("[policy.neighborhoods.downtown]\nquorum = { count = 0 }\n",
                         "policy.neighborhoods.downtown.quorum.count must be >= 1");
  expect_policy_rejected("[policy.neighborhoods.downtown.neighborhoods.el-sereno]\n",
                         "policy.neighborhoods.downtown.neighborhoods is not an option");
  expect_policy_rejected("[policy]\nneighborhoods = 3\n", "policy.neighborhoods must be a table");
  expect_policy_rejected("[policy.neighborhoods]\ndowntown = 3\n",
                         "policy.neighborhoods.downtown must be a table");
}

TEST(DispatchPolicy, InvalidTomlSaysWhere) {
  expect_policy_rejected("[policy\n", "invalid TOML at line 1");
}

}  // namespace
}  // namespace puente::core

namespace puente::core {
namespace {

// Issue 19 item 4: the cap of new unverified incidents per neighborhood and window.
TEST(DispatchPolicy, UnverifiedCapIsOffByDefaultAndOverriddenPerNeighborhood) {
  const auto none = parse("");
  EXPECT_EQ(none.network().unverified_cap, 0);
  EXPECT_EQ(none.network().unverified_window, 3600s);
  const auto policies = parse(R"(
[policy]
unverified_cap = 5
unverified_window_seconds = 600
[policy.neighborhoods.downtown]
unverified_cap = 2
)");
  EXPECT_EQ(policies.network().unverified_cap, 5);
  EXPECT_EQ(policies.network().unverified_window, 600s);
  EXPECT_EQ(policies.for_neighborhood("downtown").unverified_cap, 2);
  EXPECT_EQ(policies.for_neighborhood("downtown").unverified_window, 600s);
  EXPECT_EQ(policies.for_neighborhood("boyle-heights").unverified_cap, 5);
}

TEST(DispatchPolicy, UnverifiedCapOutOfRangeIsNamed) {
  EXPECT_THAT([] { parse("[policy]\nunverified_cap = -1\n"); },
              ThrowsMessage<std::runtime_error>(HasSubstr("policy.unverified_cap")));
  EXPECT_THAT([] { parse("[policy]\nunverified_window_seconds = 0\n"); },
              ThrowsMessage<std::runtime_error>(HasSubstr("policy.unverified_window_seconds")));
}

}  // namespace
}  // namespace puente::core
