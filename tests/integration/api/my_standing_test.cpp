// Issue 20, what the observer page shows at its top and on its cards: GET /v1/me/availability
// says where a responder stands now (on shift, standby, on call, available until when), and an
// alert on a responder's socket carries its text in every language its recipients read
// (`texts`), so a page read in another language than the roster's shows it in that one, live or
// replayed.
#include "test_network.hpp"

#include "puente/v1/json.hpp"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

class MyStanding : public ::testing::Test {
 protected:
  TestNetwork net;
  std::unique_ptr<PuentedNode> a = net.start_node("a");

  v1::Availability standing(const std::string& who) {
    auto response = a->call(http::verb::get, "/v1/me/availability", net.token(who));
    EXPECT_EQ(response.status, 200u) << response.body;
    v1::Availability answer;
    EXPECT_EQ(wire::from_json(response.body, answer), "") << response.body;
    return answer;
  }

  // A raid in Boyle Heights, reported and confirmed, with `observer` following the
  // neighborhood: its id, and the VERIFY and the DISPATCH the socket got (unset if none came).
  struct ConfirmedRaid {
    std::string id;
    std::optional<v1::Alert> verify, dispatch;
  };
  ConfirmedRaid confirmed_raid(client::WsClient& observer) {
    ConfirmedRaid raid;
    raid.id = open_incident(*a, net.token("op"), boyle_heights);
    raid.verify = next_alert(observer);
    auto confirmed =
        a->call(http::verb::post, "/v1/incidents/" + raid.id + "/confirm", net.token("disp"), "{}");
    EXPECT_EQ(confirmed.status, 200u) << confirmed.body;
    raid.dispatch = next_alert(observer);
    return raid;
  }
};

TEST_F(MyStanding, OnShiftOffShiftStandbyAndAvailableUntil) {
  auto on = standing("obs-bh");  // no shifts: always on shift
  EXPECT_TRUE(on.on_shift());
  EXPECT_TRUE(on.on_call());
  EXPECT_FALSE(on.available());
  EXPECT_EQ(on.responder_id(), "obs-bh");

  auto off = standing("obs-off");
  EXPECT_FALSE(off.on_shift());
  EXPECT_FALSE(off.on_call());

  auto reserve = standing("obs-standby");  // on shift, but held back for escalations
  EXPECT_TRUE(reserve.standby());
  EXPECT_FALSE(reserve.on_call());

  // "I'm available for 2 h": on call until then, said by the POST and the GET alike.
  auto set = a->call(http::verb::post, "/v1/me/availability", net.token("obs-off"),
                     R"({"available":true,"minutes":120})");
  ASSERT_EQ(set.status, 200u) << set.body;
  v1::Availability told;
  ASSERT_EQ(wire::from_json(set.body, told), "");
  EXPECT_TRUE(told.on_call());
  auto now = standing("obs-off");
  EXPECT_TRUE(now.available());
  EXPECT_TRUE(now.on_call());
  EXPECT_FALSE(now.on_shift());
  EXPECT_EQ(now.until().seconds(), told.until().seconds());
  auto in = now.until().seconds() - std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();
  EXPECT_GT(in, 115 * 60);
  EXPECT_LE(in, 120 * 60);

  ASSERT_EQ(a->call(http::verb::post, "/v1/me/availability", net.token("obs-off"),
                    R"({"available":false})")
                .status,
            200u);
  EXPECT_FALSE(standing("obs-off").on_call());
  EXPECT_FALSE(standing("obs-off").has_until());
}

TEST_F(MyStanding, AnAlertOnTheSocketCarriesItsTextInEveryLanguageOfItsRecipients) {
  // obs-bh reads Spanish; the attorney of Boyle Heights English: a DISPATCH goes to both.
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto [id, verify, dispatch] = confirmed_raid(*observer);
  ASSERT_TRUE(verify && dispatch);
  ASSERT_EQ(dispatch->type(), v1::DISPATCH);
  ASSERT_TRUE(dispatch->texts().count("es")) << "no texts on the socket";
  EXPECT_EQ(dispatch->texts().at("es"), dispatch->text());
  ASSERT_TRUE(dispatch->texts().count("en")) << "no English text on the socket";
  EXPECT_TRUE(dispatch->texts().at("en").starts_with("CONFIRMED:")) << dispatch->texts().at("en");
  EXPECT_EQ(dispatch->recipients_size(), 0);

  // Over HTTP too, for the alerts the observer may see.
  auto read = a->call(http::verb::get, "/v1/incidents/" + id, net.token("obs-bh"));
  v1::Incident incident;
  ASSERT_EQ(wire::from_json(read.body, incident), "") << read.body;
  bool english = false;
  for (const auto& alert : incident.alerts()) english |= alert.texts().count("en") > 0;
  EXPECT_TRUE(english) << read.body;
}

// Redis keeps an alert's text once (issue 22: `text` is left out of `texts`); a socket that
// comes back and is replayed the alert from there gets it as the live one had it.
TEST_F(MyStanding, AReplayedAlertCarriesTheSameTextsAsTheLiveOne) {
  auto observer = a->socket(net.token("obs-bh"), {"boyle-heights"});
  auto [id, verify, live] = confirmed_raid(*observer);
  ASSERT_TRUE(verify && live);
  ASSERT_EQ(live->type(), v1::DISPATCH);
  ASSERT_GE(live->texts_size(), 2) << "Spanish and the network's English";

  auto back = a->socket(net.token("obs-bh"), {"boyle-heights"}, false,
                        {{"boyle-heights", verify->offset()}});
  auto replayed = next_alert(*back);
  ASSERT_TRUE(replayed);
  EXPECT_EQ(replayed->id(), live->id());
  EXPECT_EQ(replayed->text(), live->text());
  using Texts = std::map<std::string, std::string>;
  const auto texts = [](const v1::Alert& alert) {
    return Texts(alert.texts().begin(), alert.texts().end());
  };
  EXPECT_EQ(texts(*replayed), texts(*live));
}

}  // namespace
}  // namespace puente::test
