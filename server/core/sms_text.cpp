// Composing a text message from its alerts (sms_text.hpp).
#include "core/sms_text.hpp"

#include "core/sms_reply.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace puente::core {

std::string incident_code(std::string_view incident_id) {
  constexpr std::string_view alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  // FNV-1a: stable across nodes and builds, and spreads ids that differ in one digit.
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : incident_id) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  std::string code;
  for (int i = 0; i < 4; ++i, hash >>= 5) code += alphabet[hash % alphabet.size()];
  return code;
}

namespace {

// The body without its last word (and the "..." a cut left), then "..."; empty when one word.
std::string without_last_word(const std::string& body) {
  std::string text = body;
  if (text.ends_with("...")) text.resize(text.size() - 3);
  const auto space = text.find_last_of(' ');
  if (space == std::string::npos) return "";
  text.resize(space);
  while (!text.empty() && (text.back() == ' ' || text.back() == ',' || text.back() == '.'))
    text.pop_back();
  return text.empty() ? text : text + "...";
}

std::string bundle_text(const std::vector<SmsAlertPart>& parts,
                        const std::vector<std::string>& bodies, std::string_view reply) {
  std::string text;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    text += *bundle_letter(i);
    text += ") " + parts[i].code;
    if (!bodies[i].empty()) text += " " + bodies[i];
    text += "\n";
  }
  return text + std::string(reply);
}

}  // namespace

std::optional<FittedSms> compose_alert_sms(const std::vector<SmsAlertPart>& parts,
                                           std::string_view reply, std::string_view bundle_reply,
                                           std::size_t max_segments) {
  if (parts.empty()) return std::nullopt;
  if (parts.size() == 1) return fit_alert_sms(parts[0].body, parts[0].code, reply, max_segments);
  if (!bundle_letter(parts.size() - 1)) return std::nullopt;
  std::vector<std::string> bodies;
  for (const auto& part : parts) bodies.push_back(part.body);
  bool cut = false;
  for (;;) {
    FittedSms fitted;
    fitted.text = bundle_text(parts, bodies, bundle_reply);
    fitted.length = sms_length(fitted.text);
    fitted.cut = cut;
    if (fitted.length.segments <= max_segments) return fitted;
    // The longest body loses its last word.
    auto longest = std::max_element(bodies.begin(), bodies.end(), [](const auto& a, const auto& b) {
      return a.size() < b.size();
    });
    if (longest->empty()) return std::nullopt;
    *longest = without_last_word(*longest);
    cut = true;
  }
}

SmsRateWindow sms_rate_window(double per_second) {
  if (!(per_second > 0)) return {};
  if (per_second >= 1) {
    // A whole number a second, or the fraction kept over a few seconds (2.5/s: 5 every 2 s).
    for (long long seconds = 1; seconds <= 10; ++seconds) {
      const double texts = per_second * static_cast<double>(seconds);
      if (std::abs(texts - std::round(texts)) < 1e-9)
        return {seconds, static_cast<long long>(std::round(texts))};
    }
    return {1, static_cast<long long>(per_second)};
  }
  return {static_cast<long long>(std::ceil(1.0 / per_second - 1e-9)), 1};
}

}  // namespace puente::core
