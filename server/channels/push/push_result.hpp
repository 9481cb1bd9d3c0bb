#pragma once
// What became of one push, typed for the caller that decides what happens next: RFC 8030 §5
// and §8 give the push service's answers their meaning.
//
//   accepted      201: the push service holds the message until the device takes it
//   gone          404, 410: the subscription is dead; the caller removes it
//   retry_later   429 (after Retry-After, when given) or 5xx: the same push, later
//   refused       any other 4xx, and any 1xx/2xx/3xx other than 201: this push will not go as
//                 it is (3xx included: a redirect is never followed, see push_sender.hpp)
//   blocked       the endpoint guard refused the endpoint or every address it resolves to
//   network_error DNS, connect, TLS (certificate), timeouts, a malformed answer

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace puente::push {

enum class PushOutcome { accepted, gone, retry_later, refused, blocked, network_error };

std::string_view to_string(PushOutcome outcome);
std::ostream& operator<<(std::ostream& out, PushOutcome outcome);  // for test messages

struct PushResult {
  PushOutcome outcome = PushOutcome::network_error;
  int status = 0;                                   // the HTTP status; 0 if none came
  std::optional<std::chrono::seconds> retry_after;  // from a 429's or 503's Retry-After
  std::string detail;                               // for a log line: never the endpoint URL
};

// The result of an HTTP answer: `status`, and its Retry-After header ("" if none) read at `now`.
PushResult result_of_answer(int status, std::string_view retry_after,
                            std::chrono::system_clock::time_point now);

// Retry-After (RFC 9110 §10.2.3): delay-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2015
// 07:28:00 GMT"), as a delay from `now` (0 for a date already past). nullopt if it is neither.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

}  // namespace puente::push
