// Access: every action for every role, in and out of the responder's area, on scene or not.

#include "core/access.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace puente::core {
namespace {

constexpr std::array kActions = {
    Action::submit_report, Action::list_incidents, Action::view_incident,  Action::confirm,
    Action::false_alarm,   Action::resolve,        Action::post_update,    Action::ack,
    Action::watch_board,   Action::read_geography, Action::administer,     Action::mark_evidence,
    Action::attach_media,  Action::read_media,     Action::search_address,
};

const char* name(Action action) {
  switch (action) {
    case Action::read_metrics: return "read_metrics";
    case Action::use_api: return "use_api";
    case Action::submit_report: return "submit_report";
    case Action::list_incidents: return "list_incidents";
    case Action::view_incident: return "view_incident";
    case Action::confirm: return "confirm";
    case Action::false_alarm: return "false_alarm";
    case Action::resolve: return "resolve";
    case Action::post_update: return "post_update";
    case Action::ack: return "ack";
    case Action::watch_board: return "watch_board";
    case Action::read_geography: return "read_geography";
    case Action::administer: return "administer";
    case Action::mark_evidence: return "mark_evidence";
    case Action::attach_media: return "attach_media";
    case Action::read_media: return "read_media";
    case Action::search_address: return "search_address";
  }
  return "?";
}

// The incidents each action is tried against, in the column order of the table below.
const std::array<IncidentContext, 4> kContexts = {{
    {"boyle-heights", false, false, {}},  // in the responder's area
    {"boyle-heights", true, false, {}},   // in the area, and this responder acked ON_SCENE
    {"venice", true, false, {}},          // outside the area (on scene or not)
    {"", false, false, {}},               // no incident (a report, the board, the map)
}};

Responder responder(std::vector<Role> roles, std::vector<std::string> neighborhoods = {}) {
  Responder r;
  r.id = "test";
  r.roles = std::move(roles);
  r.neighborhoods = std::move(neighborhoods);
  return r;
}

struct RoleRow {
  const char* label;
  Responder who;
  // One string per action, in kActions order; one character per context, in kContexts order:
  // 'Y' allowed, '.' refused.
  std::array<const char*, kActions.size()> expected;
};

const std::vector<std::string> kArea = {"boyle-heights", "lincoln-heights"};

// `list` is the route itself: what a field responder then sees in the list is filtered with
// `view` (see DispatchService::list).
// clang-format off
const std::vector<RoleRow> kTable = {
  //                                                        submit  list    view    confirm false   resolve update  ack     board   geo     tokens  evidence attach  read media address
  {"operator",        responder({Role::operator_}),        {"YYYY", "....", "....", "....", "....", "....", "....", "....", "....", "YYYY", "....", "....", "....", "....", "YYYY"}},
  {"operator+area",   responder({Role::operator_}, kArea), {"YYYY", "....", "....", "....", "....", "....", "....", "....", "....", "YYYY", "....", "....", "....", "....", "YYYY"}},
  {"dispatcher",      responder({Role::dispatcher}),       {"YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "....", "YYYY", "YYYY", "YYYY", "YYYY"}},
  {"admin",           responder({Role::admin}),            {"YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY", "YYYY"}},
  {"legal_observer",  responder({Role::legal_observer}, kArea),
                                                           {"YYYY", "YYYY", "YY..", ".Y..", "....", "....", ".Y..", "YY..", "....", "YYYY", "....", "....", "YY..", "....", "...."}},
  {"volunteer",       responder({Role::volunteer}, kArea), {"....", "YYYY", "YY..", "....", "....", "....", "....", "YY..", "....", "YYYY", "....", "....", "YY..", "....", "...."}},
  {"attorney",        responder({Role::attorney}, kArea),  {"....", "YYYY", "YY..", "....", "....", "....", "....", "YY..", "....", "YYYY", "....", "....", "YY..", "YY..", "...."}},
  {"counselor",       responder({Role::counselor}, kArea), {"....", "YYYY", "YY..", "....", "....", "....", "....", "YY..", "....", "YYYY", "....", "....", "YY..", "....", "...."}},
  {"observer, no area", responder({Role::legal_observer}), {"YYYY", "YYYY", "....", "....", "....", "....", "....", "....", "....", "YYYY", "....", "....", "....", "....", "...."}},
  {"operator+volunteer", responder({Role::operator_, Role::volunteer}, kArea),
                                                           {"YYYY", "YYYY", "YY..", "....", "....", "....", "....", "YY..", "....", "YYYY", "....", "....", "YY..", "....", "YYYY"}},
  {"no roles",        responder({}, kArea),                {"....", "....", "....", "....", "....", "....", "....", "....", "....", "YYYY", "....", "....", "....", "....", "...."}},
};
// clang-format on

TEST(Access, EveryActionForEveryRole) {
  for (const auto& row : kTable) {
    for (std::size_t a = 0; a < kActions.size(); ++a) {
      const std::string expected = row.expected[a];
      ASSERT_EQ(expected.size(), kContexts.size()) << row.label << " " << name(kActions[a]);
      for (std::size_t c = 0; c < kContexts.size(); ++c) {
        const auto& ctx = kContexts[c];
        EXPECT_EQ(may(row.who, kActions[a], ctx), expected[c] == 'Y')
            << row.label << " " << name(kActions[a]) << " in \"" << ctx.neighborhood << "\""
            << (ctx.responder_on_scene ? " on scene" : "");
      }
    }
  }
}

// The store checks an ack by the responder's reach (store/lua/record_ack.lua): for every role
// and every incident of the table, it says what may(ack) says.
TEST(Access, AckReachSaysWhatMayAckSaysForEveryNeighborhood) {
  for (const auto& row : kTable) {
    const auto reach = ack_reach(row.who);
    for (const auto& ctx : kContexts) {
      const bool reached =
          reach.anywhere || std::find(reach.neighborhoods.begin(), reach.neighborhoods.end(),
                                      ctx.neighborhood) != reach.neighborhoods.end();
      EXPECT_EQ(reached, may(row.who, Action::ack, ctx))
          << row.label << " in \"" << ctx.neighborhood << "\"";
    }
  }
}

TEST(Access, ObserverOnSceneOutsideTheirAreaCannotConfirm) {
  const auto observer = responder({Role::legal_observer}, kArea);
  EXPECT_TRUE(may(observer, Action::confirm, {"lincoln-heights", true, false, {}}));
  EXPECT_FALSE(may(observer, Action::confirm, {"lincoln-heights", false, false, {}}));
  EXPECT_FALSE(may(observer, Action::confirm, {"downtown", true, false, {}}));
}

TEST(Access, TheReporterCannotConfirmTheirOwnReport) {
  const auto reporter = responder({Role::legal_observer}, kArea);
  IncidentContext own{"boyle-heights", true, false, {}};
  own.responder_reported = true;
  EXPECT_FALSE(may(reporter, Action::confirm, own));
  EXPECT_EQ(
      refusal_reason(reporter, Action::confirm, own),
      "you reported this incident: another observer on scene or a dispatcher must confirm it");
  // A second observer on scene may; so may a dispatcher, reporter or not.
  EXPECT_TRUE(may(reporter, Action::confirm, {"boyle-heights", true, false, {}}));
  EXPECT_TRUE(may(responder({Role::dispatcher}), Action::confirm, own));
  EXPECT_TRUE(may(responder({Role::admin}), Action::confirm, own));
  // Reporting it does not keep them from saying more about it where they cover.
  EXPECT_TRUE(may(reporter, Action::post_update, own));
}

TEST(Access, AMoveOutOfTheObserversAreaNeedsADispatcher) {
  const auto observer = responder({Role::legal_observer}, kArea);
  IncidentContext to_westlake{"boyle-heights", true, false, {}};
  to_westlake.moving_to = "westlake";
  EXPECT_FALSE(may(observer, Action::post_update, to_westlake));
  EXPECT_EQ(
      refusal_reason(observer, Action::post_update, to_westlake),
      "only a dispatcher may move an incident into westlake, a neighborhood you do not cover");
  EXPECT_TRUE(may(responder({Role::dispatcher}), Action::post_update, to_westlake));

  IncidentContext next_door{"boyle-heights", true, false, {}};
  next_door.moving_to = "lincoln-heights";  // theirs too
  EXPECT_TRUE(may(observer, Action::post_update, next_door));
  next_door.responder_on_scene = false;
  EXPECT_FALSE(may(observer, Action::post_update, next_door));
  // Refused for their role or area alone: no particular reason to give.
  EXPECT_EQ(refusal_reason(observer, Action::post_update, next_door), std::nullopt);
  EXPECT_EQ(refusal_reason(responder({Role::volunteer}, kArea), Action::post_update, to_westlake),
            std::nullopt);
}

TEST(Access, DefaultContextIsNoIncident) {
  EXPECT_FALSE(may(responder({Role::volunteer}, kArea), Action::ack));
  EXPECT_TRUE(may(responder({Role::dispatcher}), Action::ack));
  EXPECT_TRUE(may(responder({Role::operator_}), Action::submit_report));
}

TEST(Access, SubscriptionsFollowTheRoster) {
  const auto observer = responder({Role::legal_observer}, kArea);
  EXPECT_TRUE(may_subscribe(observer, "boyle-heights"));
  EXPECT_TRUE(may_subscribe(observer, "lincoln-heights"));
  EXPECT_FALSE(may_subscribe(observer, "venice"));
  EXPECT_FALSE(may_subscribe(observer, ""));

  EXPECT_TRUE(may_subscribe(responder({Role::dispatcher}), "venice"));
  EXPECT_TRUE(may_subscribe(responder({Role::admin}), "venice"));
  EXPECT_FALSE(may_subscribe(responder({Role::operator_}), "venice"));
}

TEST(Access, TheScraperReadsMetricsAndDoesNothingElse) {
  const auto scraper = responder({Role::metrics});
  EXPECT_TRUE(may(scraper, Action::read_metrics));
  EXPECT_FALSE(may(scraper, Action::use_api));
  for (auto action : kActions)
    for (const auto& ctx : kContexts)
      EXPECT_FALSE(may(scraper, action, ctx))
          << name(action) << " in \"" << ctx.neighborhood << "\"";
  EXPECT_FALSE(may_subscribe(scraper, "boyle-heights"));
  EXPECT_FALSE(answers_alerts(scraper));

  // Of everyone else, only an admin reads the counters (they tell when raids are reported);
  // all may use the rest of the API as their roles allow.
  for (const auto& row : kTable) {
    EXPECT_EQ(may(row.who, Action::read_metrics), row.who.has_role(Role::admin)) << row.label;
    EXPECT_TRUE(may(row.who, Action::use_api)) << row.label;
  }
}

}  // namespace
}  // namespace puente::core
