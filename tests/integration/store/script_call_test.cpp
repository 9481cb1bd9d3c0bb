// The contract between a Lua script of server/store/lua and the C++ that fills its slots
// (issue 16): a slot left unset is refused by name before anything reaches Redis, the slots
// arrive where the script's names say, and a sending script refuses alerts that do not match
// their count instead of reading a slot as an alert.
#include "store/script_call.hpp"

#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <future>
#include <stdexcept>

namespace puente::store {
namespace {

class ScriptCallTest : public test::StoreTest {
 protected:
  template <class Script>
  redis::Reply run(ScriptCall<Script> call) {
    std::promise<redis::Reply> got;
    std::move(call).run(*link.connection(), [&](auto ec, redis::Reply reply) {
      EXPECT_FALSE(ec) << ec.message();
      got.set_value(std::move(reply));
    });
    return got.get_future().get();
  }
};

TEST_F(ScriptCallTest, ASlotLeftUnsetIsRefusedByNameAndNothingIsWritten) {
  ScriptCall<lua::SaveToken> call;
  call.key(lua::SaveToken::Key::tokens, "test:tokens")
      .arg(lua::SaveToken::Arg::id, "tok-1")
      .arg(lua::SaveToken::Arg::record, "pb");
  try {
    run(std::move(call));
    FAIL() << "an unset slot was sent";
  } catch (const std::logic_error& e) {
    EXPECT_STREQ(e.what(), "save_token: ARGV slot 'changes' not set");
  }
  EXPECT_EQ(link.integer({"EXISTS", "test:tokens"}), 0);
}

TEST_F(ScriptCallTest, EachValueArrivesInTheSlotItNames) {
  ScriptCall<lua::SetAvailability> call;
  // Filled out of order: the names, not the order of the calls, place them.
  call.arg(lua::SetAvailability::Arg::new_version, "av-2")
      .key(lua::SetAvailability::Key::book_version, "test:available:version")
      .arg(lua::SetAvailability::Arg::until_ms, "1700000000000")
      .key(lua::SetAvailability::Key::book, "test:available")
      .arg(lua::SetAvailability::Arg::responder, "obs-maria");
  EXPECT_EQ(run(std::move(call)).str, "ok");
  EXPECT_EQ(link.command({"HGET", "test:available", "obs-maria"}).str, "1700000000000");
  EXPECT_EQ(link.command({"GET", "test:available:version"}).str, "av-2");
}

TEST_F(ScriptCallTest, ASendingScriptRefusesAlertsThatDoNotMatchTheirCount) {
  using Key = lua::EscalateIncident::Key;
  using Arg = lua::EscalateIncident::Arg;
  link.command({"HSET", "test:incident:inc-1", "status", "1", "step", "0"});
  ScriptCall<lua::EscalateIncident> call;
  for (auto [slot, key] : {std::pair{Key::incident, "test:incident:inc-1"},
                           {Key::incident_alerts, "test:alerts"},
                           {Key::alerted, "test:alerted"},
                           {Key::timers, "test:timers"},
                           {Key::activity, "test:activity"},
                           {Key::book, "test:book"},
                           {Key::book_version, "test:book:version"},
                           {Key::rungs, "test:rungs"}})
    call.key(slot, key);
  for (auto [slot, value] : {std::pair{Arg::from_step, "0"},
                             {Arg::to_step, "1"},
                             {Arg::now_ms, "1"},
                             {Arg::board, "test:board"},
                             {Arg::event, "ev"},
                             {Arg::history_max, "100"},
                             {Arg::next_ms, ""},
                             {Arg::id, "inc-1"},
                             {Arg::check_book, ""},
                             {Arg::expected_book, ""},
                             {Arg::rung_due_ms, ""}})
    call.arg(slot, value);
  call.arg(Arg::alert_count, "2");  // but one alert follows: its history, then the rest
  call.tail_key("test:history:bh");
  for (const char* part : {"test:live:bh", "alert-pb", "boyle-heights", "al-1"})
    call.tail_arg(part);
  auto reply = run(std::move(call));
  EXPECT_TRUE(reply.is_error());
  EXPECT_NE(reply.str.find("2 alerts announced, 4 arguments and 1 histories after them"),
            std::string::npos)
      << reply.str;
  EXPECT_EQ(link.integer({"EXISTS", "test:history:bh"}), 0);
}

}  // namespace
}  // namespace puente::store
