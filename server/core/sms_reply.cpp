// Replies by text message, folded and matched against the word lists of sms_reply.hpp.

#include "core/sms_reply.hpp"

#include "core/utf8.hpp"

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace puente::core {

namespace {

constexpr std::string_view kLetters = "abcdefghjklmnpqrstuvwxyz";  // no i, no o

using Phrase = std::pair<std::string_view, v1::AckState>;
constexpr std::array<Phrase, 40> kAckPhrases{{
    {"1", v1::EN_ROUTE},
    {"voy", v1::EN_ROUTE},
    {"ya voy", v1::EN_ROUTE},
    {"en camino", v1::EN_ROUTE},
    {"on my way", v1::EN_ROUTE},
    {"omw", v1::EN_ROUTE},
    {"coming", v1::EN_ROUTE},
    {"on the way", v1::EN_ROUTE},
    {"2", v1::ON_SCENE},
    {"alli", v1::ON_SCENE},
    {"aqui", v1::ON_SCENE},
    {"ahi", v1::ON_SCENE},
    {"estoy alli", v1::ON_SCENE},
    {"estoy aqui", v1::ON_SCENE},
    {"llegue", v1::ON_SCENE},
    {"en el lugar", v1::ON_SCENE},
    {"on scene", v1::ON_SCENE},
    {"here", v1::ON_SCENE},
    {"there", v1::ON_SCENE},
    {"im here", v1::ON_SCENE},
    {"arrived", v1::ON_SCENE},
    {"3", v1::DECLINED},
    {"no puedo", v1::DECLINED},
    {"cant", v1::DECLINED},
    {"i cant", v1::DECLINED},
    {"cannot", v1::DECLINED},
    {"can not", v1::DECLINED},
    {"unable", v1::DECLINED},
    // Check-ins (docs/on-scene.md).
    {"4", v1::ALL_OK},
    {"ok", v1::ALL_OK},
    {"im ok", v1::ALL_OK},
    {"i am ok", v1::ALL_OK},
    {"bien", v1::ALL_OK},
    {"estoy bien", v1::ALL_OK},
    {"5", v1::OUT_SAFE},
    {"sali", v1::OUT_SAFE},
    {"ya sali", v1::OUT_SAFE},
    {"im out", v1::OUT_SAFE},
    {"out safe", v1::OUT_SAFE},
    {"salvo", v1::OUT_SAFE},
}};

constexpr std::array<std::string_view, 10> kStopWords{
    "alto", "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "parar", "baja", "cancelar"};
constexpr std::array<std::string_view, 4> kStartWords{"start", "unstop", "inicio", "alta"};
constexpr std::array<std::string_view, 3> kHelpWords{"ayuda", "help", "info"};
constexpr std::array<std::string_view, 3> kAvailableWords{"disponible", "available", "avail"};
constexpr std::array<std::string_view, 3> kUnavailablePhrases{"no disponible", "unavailable",
                                                              "not available"};
constexpr std::array<std::string_view, 7> kHourWords{"h",     "hr",   "hrs",  "hour",
                                                     "hours", "hora", "horas"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

// Latin letters with accents to their base letter, lowercase; 0 for a character to drop
// (apostrophes), ' ' for one that separates words.
char fold(char32_t c) {
  if (c >= 'a' && c <= 'z') return static_cast<char>(c);
  if (c >= '0' && c <= '9') return static_cast<char>(c);
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  if (c == '\'' || c == '`' || c == 0x00B4 || c == 0x2018 || c == 0x2019) return 0;
  if (c >= 0x00C0 && c <= 0x00FF) {
    // Latin-1 letters, upper (0xC0..0xDE) and lower (0xE0..0xFE) alike.
    static constexpr std::string_view kBase =
        "aaaaaaaceeeeiiii"
        "dnooooo ouuuuy  "  // 0xC0..0xDF
        "aaaaaaaceeeeiiii"
        "dnooooo ouuuuy y";  // 0xE0..0xFF
    return kBase[c - 0xC0];
  }
  return ' ';
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words(1);
  for (std::size_t at = 0; at < text.size();) {
    const auto c = next_code_point(text, at);
    at += c.bytes;
    const char folded = fold(c.value);
    if (folded == 0) continue;
    if (folded != ' ') {
      words.back() += folded;
    } else if (!words.back().empty()) {
      words.emplace_back();
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// "2", "2h", "2 horas": the hours of an availability, 0 if none given; nullopt if not hours.
std::optional<int> hours_of(const std::vector<std::string>& words, std::size_t from) {
  if (from == words.size()) return 0;
  std::string_view first = words[from];
  const auto digits_end =
      std::find_if(first.begin(), first.end(), [](char c) { return c < '0' || c > '9'; });
  const std::string_view number = first.substr(0, digits_end - first.begin());
  const std::string_view unit = first.substr(number.size());
  if (number.empty() || number.size() > 2) return std::nullopt;
  const bool unit_ok = unit.empty()
                           ? (from + 1 == words.size() ||
                              (from + 2 == words.size() && one_of(kHourWords, words[from + 1])))
                           : (from + 1 == words.size() && one_of(kHourWords, unit));
  if (!unit_ok) return std::nullopt;
  const int hours = std::stoi(std::string(number));
  if (hours < 1 || hours > kMaxAvailableHours) return std::nullopt;
  return hours;
}

bool is_letter_word(std::string_view w) { return w.size() == 1 && bundle_index(w[0]); }

// An ack, with its letter if it names one.
std::optional<SmsReply> ack_of(std::vector<std::string> words) {
  // "b1" and "1b": a letter joined to an answer digit.
  std::vector<std::string> split;
  for (const auto& w : words) {
    if (w.size() == 2 && bundle_index(w[0]) && w[1] >= '1' && w[1] <= '3') {
      split.push_back(w.substr(0, 1));
      split.push_back(w.substr(1));
    } else if (w.size() == 2 && bundle_index(w[1]) && w[0] >= '1' && w[0] <= '3') {
      split.push_back(w.substr(0, 1));
      split.push_back(w.substr(1));
    } else {
      split.push_back(w);
    }
  }
  SmsReply reply;
  reply.kind = SmsReplyKind::ack;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < split.size(); ++i) {
    // A letter only before or after the answer, not inside it ("on a way" is no ack).
    const bool at_edge = i == 0 || i + 1 == split.size();
    if (at_edge && split.size() > 1 && is_letter_word(split[i])) {
      if (reply.alert_letter) return std::nullopt;
      reply.alert_letter = static_cast<char>(split[i][0] - 'a' + 'A');
    } else {
      rest.push_back(split[i]);
    }
  }
  const std::string phrase = joined(rest);
  for (const auto& [text, state] : kAckPhrases) {
    if (text == phrase) {
      reply.state = state;
      return reply;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(SmsReplyKind kind) {
  switch (kind) {
    case SmsReplyKind::ack: return "ack";
    case SmsReplyKind::available: return "available";
    case SmsReplyKind::unavailable: return "unavailable";
    case SmsReplyKind::stop: return "stop";
    case SmsReplyKind::start: return "start";
    case SmsReplyKind::help: return "help";
    case SmsReplyKind::unknown: return "unknown";
  }
  return "unknown";
}

std::optional<char> bundle_letter(std::size_t index) {
  if (index >= kLetters.size()) return std::nullopt;
  return static_cast<char>(kLetters[index] - 'a' + 'A');
}

std::optional<std::size_t> bundle_index(char letter) {
  if (letter >= 'A' && letter <= 'Z') letter = static_cast<char>(letter - 'A' + 'a');
  const auto at = kLetters.find(letter);
  if (at == std::string_view::npos) return std::nullopt;
  return at;
}

std::string folded_reply(std::string_view text) { return joined(words_of(text)); }

SmsReply parse_sms_reply(std::string_view text) {
  SmsReply reply;
  if (text.size() > kMaxReplyBytes) return reply;
  const auto words = words_of(text);
  if (words.empty()) return reply;
  const std::string whole = joined(words);

  if (words.size() == 1 && one_of(kStopWords, whole)) {
    reply.kind = SmsReplyKind::stop;
  } else if (words.size() == 1 && one_of(kStartWords, whole)) {
    reply.kind = SmsReplyKind::start;
  } else if (words.size() == 1 && one_of(kHelpWords, whole)) {
    reply.kind = SmsReplyKind::help;
  } else if (one_of(kUnavailablePhrases, whole)) {
    reply.kind = SmsReplyKind::unavailable;
  } else if (one_of(kAvailableWords, words[0])) {
    if (const auto hours = hours_of(words, 1)) {
      reply.kind = SmsReplyKind::available;
      reply.hours = *hours;
    }
  } else if (auto ack = ack_of(words)) {
    reply = *ack;
  }
  return reply;
}

}  // namespace puente::core
