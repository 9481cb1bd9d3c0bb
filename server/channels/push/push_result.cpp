#include "channels/push/push_result.hpp"

#include <array>
#include <charconv>
#include <ostream>

namespace puente::push {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::optional<int> number(std::string_view digits) {
  int value = 0;
  // Digits only (from_chars would take a sign); nine of them fit an int.
  if (digits.empty() || digits.size() > 9 ||
      digits.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// IMF-fixdate, the one form a sender must make (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<std::chrono::system_clock::time_point> parse_imf_fixdate(std::string_view text) {
  if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text.substr(25) != " GMT")
    return std::nullopt;
  static constexpr std::array<std::string_view, 12> months{
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = 0;
  while (month < 12 && months[month] != text.substr(8, 3)) ++month;
  const auto day = number(text.substr(5, 2)), year = number(text.substr(12, 4));
  const auto hour = number(text.substr(17, 2)), minute = number(text.substr(20, 2)),
             second = number(text.substr(23, 2));
  if (month == 12 || !day || !year || !hour || !minute || !second || text[7] != ' ' ||
      text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':')
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(month + 1),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  if (!date.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
         std::chrono::seconds(*second);
}

}  // namespace

std::string_view to_string(PushOutcome outcome) {
  switch (outcome) {
    case PushOutcome::accepted: return "accepted";
    case PushOutcome::gone: return "gone";
    case PushOutcome::retry_later: return "retry_later";
    case PushOutcome::refused: return "refused";
    case PushOutcome::blocked: return "blocked";
    case PushOutcome::network_error: return "network_error";
  }
  return "unknown";
}

std::ostream& operator<<(std::ostream& out, PushOutcome outcome) {
  return out << to_string(outcome);
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (const auto seconds = number(value)) return std::chrono::seconds(*seconds);
  const auto date = parse_imf_fixdate(value);
  if (!date) return std::nullopt;
  return *date > now ? std::chrono::ceil<std::chrono::seconds>(*date - now)
                     : std::chrono::seconds(0);
}

PushResult result_of_answer(int status, std::string_view retry_after,
                            std::chrono::system_clock::time_point now) {
  PushResult result;
  result.status = status;
  const std::string code = std::to_string(status);
  if (status == 201) {
    result.outcome = PushOutcome::accepted;
  } else if (status == 404 || status == 410) {
    result.outcome = PushOutcome::gone;
    result.detail = "the push service answered " + code + ": the subscription is gone";
  } else if (status == 429 || (status >= 500 && status <= 599)) {
    result.outcome = PushOutcome::retry_later;
    if (!retry_after.empty()) result.retry_after = parse_retry_after(retry_after, now);
    result.detail = "the push service answered " + code + ": retry later";
  } else if (status >= 300 && status <= 399) {
    result.outcome = PushOutcome::refused;
    result.detail = "the push service answered " + code + ", a redirect, which is not followed";
  } else {
    result.outcome = PushOutcome::refused;
    result.detail = "the push service answered " + code;
  }
  return result;
}

}  // namespace puente::push
