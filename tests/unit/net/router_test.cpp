#include "net/router.hpp"

#include <gtest/gtest.h>

namespace puente::net {
namespace {

struct Seen {
  std::string route;
  RouteParams params;
  Response response;
};

class RouterTest : public ::testing::Test {
 protected:
  Router router;
  Seen seen;

  void SetUp() override {
    for (auto [verb, pattern] : {std::pair{http::verb::get, "/v1/incidents"},
                                 std::pair{http::verb::get, "/v1/incidents/{id}"},
                                 std::pair{http::verb::post, "/v1/incidents/{id}/{step}"}}) {
      router.add(
          verb, pattern,
          [this, pattern = std::string(pattern)](Request&&, RouteParams params, Respond respond) {
            seen.route = pattern;
            seen.params = std::move(params);
            respond(json_response(http::status::ok, "{}"));
          });
    }
  }

  unsigned dispatch(http::verb verb, std::string target) {
    Request request{verb, target, 11};
    router.dispatch(std::move(request), [this](Response r) { seen.response = std::move(r); });
    return seen.response.result_int();
  }
};

TEST_F(RouterTest, MatchesPlaceholdersAndDecodesTheQuery) {
  EXPECT_EQ(dispatch(http::verb::post, "/v1/incidents/inc-42/confirm"), 200u);
  EXPECT_EQ(seen.route, "/v1/incidents/{id}/{step}");
  EXPECT_EQ(seen.params.path["id"], "inc-42");
  EXPECT_EQ(seen.params.path["step"], "confirm");

  EXPECT_EQ(dispatch(http::verb::get, "/v1/incidents?status=REPORTED&neighborhood=boyle%2Dheights"),
            200u);
  EXPECT_EQ(seen.route, "/v1/incidents");
  EXPECT_EQ(seen.params.query["status"], "REPORTED");
  EXPECT_EQ(seen.params.query["neighborhood"], "boyle-heights");
}

TEST_F(RouterTest, NamesTheRouteThatMatchedAsMethodAndPattern) {
  EXPECT_EQ(dispatch(http::verb::post, "/v1/incidents/inc-42/confirm"), 200u);
  EXPECT_EQ(seen.params.route, "POST /v1/incidents/{id}/{step}");
  EXPECT_TRUE(router.has("GET /v1/incidents/{id}"));
  EXPECT_FALSE(router.has("POST /v1/incidents/{id}"));
  EXPECT_FALSE(router.has("GET /v1/incidents/inc-42"));
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodIs405WithJsonBodies) {
  EXPECT_EQ(dispatch(http::verb::get, "/v1/nothing"), 404u);
  EXPECT_NE(seen.response.body().find(R"("code":"not_found")"), std::string::npos);
  EXPECT_EQ(dispatch(http::verb::delete_, "/v1/incidents/inc-1"), 405u);
  EXPECT_NE(seen.response.body().find(R"("code":"method_not_allowed")"), std::string::npos);
  EXPECT_EQ(seen.response[http::field::content_type], "application/json");
}

TEST_F(RouterTest, GetsNoPatternMatchesGoToTheFallbackWithTheDecodedPath) {
  router.fallback([this](Request&&, RouteParams params, Respond respond) {
    seen.route = "fallback";
    seen.params = std::move(params);
    respond(json_response(http::status::ok, "{}"));
  });
  EXPECT_EQ(dispatch(http::verb::get, "/js/board%2Ejs?v=1"), 200u);
  EXPECT_EQ(seen.route, "fallback");
  EXPECT_EQ(seen.params.target_path, "/js/board.js");
  // Routes still win, other methods still get 404, and a known path still 405.
  EXPECT_EQ(dispatch(http::verb::get, "/v1/incidents/inc-1"), 200u);
  EXPECT_EQ(seen.route, "/v1/incidents/{id}");
  EXPECT_EQ(dispatch(http::verb::post, "/js/board.js"), 404u);
  EXPECT_EQ(dispatch(http::verb::delete_, "/v1/incidents"), 405u);
}

// Issue 15: "//v1/reports" and "/v1/%72eports" reached the reports route while a rate limit
// compared the raw target with "/v1/reports". Encoded letters are the same path; the rest has
// no single spelling and is refused.
TEST_F(RouterTest, APathHasOneSpellingEncodedLettersMatchOddSegmentsAre400) {
  EXPECT_EQ(dispatch(http::verb::get, "/v1/%69ncidents/inc-1"), 200u);
  EXPECT_EQ(seen.params.route, "GET /v1/incidents/{id}");
  for (const char* odd :
       {"//v1/incidents", "/v1//incidents", "/v1/incidents/", "/v1/./incidents",
        "/v1/x/../incidents", "/v1/incidents/inc-1%2Fconfirm", "/v1/incidents/%2E%2E"}) {
    seen.route.clear();
    EXPECT_EQ(dispatch(http::verb::get, odd), 400u) << odd;
    EXPECT_TRUE(seen.route.empty()) << odd;
    EXPECT_NE(seen.response.body().find(R"("code":"bad_target")"), std::string::npos) << odd;
  }
}

TEST_F(RouterTest, ATargetThatIsNotAPathIs400) {
  EXPECT_EQ(dispatch(http::verb::get, "http://example.com/v1/incidents"), 400u);
}

}  // namespace
}  // namespace puente::net
