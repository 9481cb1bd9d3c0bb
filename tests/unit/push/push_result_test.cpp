// What each answer of a push service means for the caller (RFC 8030 §5, §8), and Retry-After
// in both its forms.
#include "channels/push/push_result.hpp"

#include <gtest/gtest.h>

namespace puente::push {
namespace {

using namespace std::chrono_literals;

// Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example date), as the clock of these tests.
const auto kAnsweredAt = std::chrono::sys_days(std::chrono::year(1994) / 11 / 6) + 8h + 49min + 37s;

TEST(PushResult, EachStatusMapsToWhatTheCallerDoesNext) {
  const std::pair<int, PushOutcome> cases[] = {
      {201, PushOutcome::accepted},    {404, PushOutcome::gone},
      {410, PushOutcome::gone},        {429, PushOutcome::retry_later},
      {500, PushOutcome::retry_later}, {502, PushOutcome::retry_later},
      {503, PushOutcome::retry_later}, {400, PushOutcome::refused},
      {401, PushOutcome::refused},     {403, PushOutcome::refused},
      {413, PushOutcome::refused},     {200, PushOutcome::refused},
      {202, PushOutcome::refused},     {301, PushOutcome::refused},
      {302, PushOutcome::refused},     {307, PushOutcome::refused},
      {308, PushOutcome::refused},
  };
  for (const auto& [status, outcome] : cases) {
    const auto result = result_of_answer(status, "", kAnsweredAt);
    EXPECT_EQ(result.outcome, outcome) << status;
    EXPECT_EQ(result.status, status);
  }
  EXPECT_NE(result_of_answer(302, "", kAnsweredAt).detail.find("redirect, which is not followed"),
            std::string::npos);
}

TEST(PushResult, RetryAfterIsReadFromA429OrA5xx) {
  EXPECT_EQ(result_of_answer(429, "120", kAnsweredAt).retry_after, 120s);
  EXPECT_EQ(result_of_answer(503, "Sun, 06 Nov 1994 08:50:37 GMT", kAnsweredAt).retry_after, 60s);
  EXPECT_EQ(result_of_answer(429, "", kAnsweredAt).retry_after, std::nullopt);
  EXPECT_EQ(result_of_answer(429, "soon", kAnsweredAt).retry_after, std::nullopt);
  // Not a retry: a Retry-After elsewhere is not read.
  EXPECT_EQ(result_of_answer(410, "120", kAnsweredAt).retry_after, std::nullopt);
}

TEST(RetryAfter, DelaySecondsAndHttpDates) {
  EXPECT_EQ(parse_retry_after("0", kAnsweredAt), 0s);
  EXPECT_EQ(parse_retry_after(" 30 ", kAnsweredAt), 30s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 09:49:37 GMT", kAnsweredAt), 3600s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kAnsweredAt), 0s);
  EXPECT_EQ(parse_retry_after("Sat, 05 Nov 1994 08:49:37 GMT", kAnsweredAt), 0s)
      << "a date already past";
  EXPECT_EQ(parse_retry_after("Mon, 07 Nov 1994 08:49:37 GMT", kAnsweredAt), 86400s);
  for (const char* bad : {"", "-1", "1.5", "12abc", "9999999999", "Sun, 06 Nov 1994 08:49:37 UTC",
                          "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT"})
    EXPECT_EQ(parse_retry_after(bad, kAnsweredAt), std::nullopt) << bad;
}

}  // namespace
}  // namespace puente::push
