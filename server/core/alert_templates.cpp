// Alert templates: TOML files in, texts in the recipient's language out.
//
// Data structures: `Data::languages` maps a lowercase language tag to its Language, which holds the
// texts by enum index (alerts, asks) and by ReportKind (kinds). Every text is checked for its
// placeholders at load, so render() cannot meet an unknown one.

#include "core/alert_templates.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace puente::core {

namespace {

constexpr std::size_t kTemplateCount = std::size(kAllAlertTemplates);

constexpr std::array<std::pair<v1::ReportKind, std::string_view>, 6> kKindKeys{{
    {v1::RAID, "RAID"},
    {v1::CHECKPOINT, "CHECKPOINT"},
    {v1::ARREST, "ARREST"},
    {v1::PATROL, "PATROL"},
    {v1::SURVEILLANCE, "SURVEILLANCE"},
    {v1::OTHER, "OTHER"},
}};

constexpr std::array<std::string_view, kTemplateCount> kTemplateKeys{
    "VERIFY", "DISPATCH", "UPDATE", "DEBUNK", "STAND_DOWN", "ESCALATION"};
constexpr std::array<std::string_view, kKindKeys.size()> kKindNames{
    "RAID", "CHECKPOINT", "ARREST", "PATROL", "SURVEILLANCE", "OTHER"};
constexpr std::array<std::string_view, 7> kFileKeys{"language", "format", "kinds", "ask",
                                                    "alerts",   "push",   "sms"};
// [push]: a notification's title per alert type (placeholders as in [alerts]), the buttons, and
// the texts of the pushes that are not alerts.
constexpr std::array<std::string_view, 14> kPushKeys{
    "VERIFY",      "DISPATCH",   "UPDATE",        "DEBUNK",      "STAND_DOWN",
    "ESCALATION",  "EN_ROUTE",   "DECLINED",      "TEST_TITLE",  "TEST_BODY",
    "NUDGE_TITLE", "NUDGE_BODY", "DROPPED_TITLE", "DROPPED_BODY"};
// [sms]: a text message's body per alert type (placeholders as in [alerts]) and the reply line,
// for one alert and for a bundle of several under letters (docs/sms.md).
constexpr std::array<std::string_view, 8> kSmsKeys{
    "VERIFY", "DISPATCH", "UPDATE", "DEBUNK", "STAND_DOWN", "ESCALATION", "REPLY", "REPLY_BUNDLE"};
// config/templates/en.toml's [sms], in kSmsKeys order.
constexpr std::array<std::string_view, kSmsKeys.size()> kDefaultSms{
    "UNVERIFIED {kind}: {where}, {time}. Can you check?",
    "CONFIRMED {kind}: {where}, {time}. Go now if you can.",
    "UPDATE {kind}: {where}, {time}.",
    "FALSE ALARM {kind}: {where}, {time}. Do not go.",
    "OVER {kind}: {where}, {time}. Leave safely.",
    "HELP NEEDED {kind}: {where}, {time}. Go if you can.",
    "Reply 1 on my way, 2 on scene, 3 can't",
    "Reply 1, 2 or 3 and the letter: 1A on my way, 2A on scene, 3A can't"};
// config/templates/en.toml's [push], in kPushKeys order.
constexpr std::array<std::string_view, kPushKeys.size()> kDefaultPush{
    "UNVERIFIED: {kind} in {neighborhood}",
    "CONFIRMED: {kind} in {neighborhood}",
    "UPDATE: {kind} in {neighborhood}",
    "FALSE ALARM: {kind} in {neighborhood}",
    "STAND DOWN: {kind} in {neighborhood}",
    "HELP NEEDED: {kind} in {neighborhood}",
    "On my way",
    "Can't go",
    "Puente: test",
    "This phone gets Puente alerts, even when the app is closed.",
    "Puente: open the app",
    "This phone has not been heard from for a while. Open Puente so that it keeps getting alerts.",
    "Puente: no more alerts on this phone",
    "This phone was silent for weeks and no longer gets alerts. Open Puente to turn them on "
    "again."};
constexpr std::array<std::string_view, 3> kFormatKeys{"clock", "am", "pm"};
constexpr std::array<std::string_view, 6> kPlaceholders{"kind",  "neighborhood", "place",
                                                        "where", "time",         "ask"};

[[noreturn]] void refuse_templates(const std::string& what) {
  throw std::runtime_error("templates: " + what);
}

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Splits `text` into literal runs and placeholders, calling on_literal / on_placeholder in order.
// Returns an error message, or "" when the text is well formed.
template <typename Literal, typename Placeholder>
std::string scan(std::string_view text, Literal&& on_literal, Placeholder&& on_placeholder) {
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      on_literal(text.substr(i, 1));  // "{{" or "}}"
      i += 2;
    } else if (c == '{') {
      const std::size_t close = text.find('}', i + 1);
      if (close == std::string_view::npos) return "an unclosed \"{\"";
      const std::string_view name = text.substr(i + 1, close - i - 1);
      if (std::find(kPlaceholders.begin(), kPlaceholders.end(), name) == kPlaceholders.end())
        return "unknown placeholder {" + std::string(name) +
               "} (kind, neighborhood, place, where, time, ask)";
      on_placeholder(name);
      i = close + 1;
    } else if (c == '}') {
      return "a lone \"}\" (write \"}}\" for a brace)";
    } else {
      const std::size_t next = text.find_first_of("{}", i);
      const std::size_t end = next == std::string_view::npos ? text.size() : next;
      on_literal(text.substr(i, end - i));
      i = end;
    }
  }
  return {};
}

bool is_language_tag(std::string_view tag) {
  // A BCP 47 shape, loosely: a 2-3 letter primary subtag, then "-" and alphanumeric subtags.
  const std::size_t dash = tag.find('-');
  const std::string_view primary = tag.substr(0, dash);
  if (primary.size() < 2 || primary.size() > 3) return false;
  if (!std::all_of(primary.begin(), primary.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    return false;
  return std::all_of(tag.begin(), tag.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

template <std::size_t N>
void check_template_keys(const toml::table& table, const std::string& where,
                         const std::array<std::string_view, N>& allowed) {
  for (const auto& [key, value] : table)
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end())
      refuse_templates(where + ": unknown key \"" + std::string(key.str()) + "\"");
}

const toml::table& section(const toml::table& file, std::string_view key,
                           const std::string& where) {
  const toml::node* node = file.get(key);
  if (!node || !node->is_table())
    refuse_templates(where + ": missing table [" + std::string(key) + "]");
  return *node->as_table();
}

std::string text_at(const toml::table& table, std::string_view key, const std::string& where) {
  const toml::node* node = table.get(key);
  if (!node) refuse_templates(where + "." + std::string(key) + " is missing");
  const auto* text = node->as_string();
  if (!text || text->get().empty())
    refuse_templates(where + "." + std::string(key) + " must be a text");
  return text->get();
}

}  // namespace

struct Templates::Language {
  std::string name;
  bool clock_12h = false;
  std::string am = "AM", pm = "PM";
  std::array<std::string, kTemplateCount> alerts;
  std::array<std::string, kTemplateCount> asks;
  std::array<std::string, kKindKeys.size()> kinds;       // in kKindKeys order
  std::map<std::string, std::string, std::less<>> push;  // [push], by key
  std::map<std::string, std::string, std::less<>> sms;   // [sms], by key

  std::string time(const LocalTime& t) const;
  std::string fill(std::string_view text, std::size_t which, const AlertFields& fields) const;
  const std::string& kind(v1::ReportKind kind) const;
};

std::string Templates::Language::time(const LocalTime& t) const {
  const std::string minutes = (t.minute < 10 ? "0" : "") + std::to_string(t.minute);
  if (!clock_12h) return (t.hour < 10 ? "0" : "") + std::to_string(t.hour) + ":" + minutes;
  const int hour = t.hour % 12 == 0 ? 12 : t.hour % 12;
  return std::to_string(hour) + ":" + minutes + " " + (t.hour < 12 ? am : pm);
}

const std::string& Templates::Language::kind(v1::ReportKind kind) const {
  for (std::size_t i = 0; i < kKindKeys.size(); ++i)
    if (kKindKeys[i].first == kind) return kinds[i];
  return kinds.back();  // OTHER, for UNSPECIFIED or a kind newer than this build
}

std::string Templates::Language::fill(std::string_view text, std::size_t which,
                                      const AlertFields& fields) const {
  const std::string place = coarse_place(fields.place);
  std::string out;
  std::size_t value_end = std::string::npos;  // where the last placeholder's value ended in `out`
  scan(
      text,
      [&](std::string_view literal) {
        // "9:05 p. m." or "Soto St." before the template's own period: one period, not two.
        if (value_end == out.size() && !out.empty() && out.back() == '.' && literal[0] == '.')
          literal.remove_prefix(1);
        out += literal;
      },
      [&](std::string_view name) {
        if (name == "kind") out += kind(fields.kind);
        if (name == "neighborhood") out += fields.neighborhood;
        if (name == "place") out += place;
        if (name == "time") out += time(fields.time);
        if (name == "ask") out += asks[which];
        if (name == "where") {
          out += fields.neighborhood;
          if (!place.empty()) out += (fields.neighborhood.empty() ? "" : ", ") + place;
        }
        value_end = out.size();
      });
  return out;
}

std::optional<AlertTemplate> template_for(v1::AlertType type) {
  switch (type) {
    case v1::VERIFY: return AlertTemplate::verify;
    case v1::DISPATCH: return AlertTemplate::dispatch;
    case v1::UPDATE: return AlertTemplate::update;
    case v1::DEBUNK: return AlertTemplate::debunk;
    case v1::STAND_DOWN: return AlertTemplate::stand_down;
    case v1::ESCALATE: return AlertTemplate::escalation;
    default: return std::nullopt;
  }
}

namespace {
std::optional<AlertTemplate> template_for_key(std::string_view key) {
  for (auto which : kAllAlertTemplates)
    if (to_string(which) == key) return which;
  return std::nullopt;
}
}  // namespace

std::string_view to_string(AlertTemplate which) {
  switch (which) {
    case AlertTemplate::verify: return "VERIFY";
    case AlertTemplate::dispatch: return "DISPATCH";
    case AlertTemplate::update: return "UPDATE";
    case AlertTemplate::debunk: return "DEBUNK";
    case AlertTemplate::stand_down: return "STAND_DOWN";
    case AlertTemplate::escalation: return "ESCALATION";
  }
  return "UNKNOWN";
}

struct Templates::Data {
  std::map<std::string, Language, std::less<>> languages;  // by lowercase tag
};

Templates::Templates(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

Templates Templates::from_files(const std::map<std::string, std::string>& files) {
  auto data = std::make_shared<Data>();
  for (const auto& [given_tag, text] : files) {
    const std::string tag = lowercase(given_tag);
    const std::string where = "\"" + tag + "\"";
    if (!is_language_tag(tag))
      refuse_templates(where + " is not a language tag (\"en\", \"es\", \"pt-br\")");

    toml::table file;
    try {
      file = toml::parse(text);
    } catch (const toml::parse_error& e) {
      refuse_templates(where + ": invalid TOML at line " + std::to_string(e.source().begin.line) +
                       ": " + std::string(e.description()));
    }
    check_template_keys(file, where, kFileKeys);

    Language language;
    language.name = text_at(file, "language", where);
    if (const toml::node* format = file.get("format")) {
      if (!format->is_table()) refuse_templates(where + ": format must be a table");
      const toml::table& table = *format->as_table();
      check_template_keys(table, where + ": format", kFormatKeys);
      const std::string clock =
          table.get("clock") ? text_at(table, "clock", where + ": format") : std::string("24h");
      if (clock != "12h" && clock != "24h")
        refuse_templates(where + ": format.clock must be \"12h\" or \"24h\"");
      language.clock_12h = clock == "12h";
      if (table.get("am")) language.am = text_at(table, "am", where + ": format");
      if (table.get("pm")) language.pm = text_at(table, "pm", where + ": format");
    }

    const toml::table& kinds = section(file, "kinds", where);
    for (std::size_t i = 0; i < kKindKeys.size(); ++i)
      language.kinds[i] = text_at(kinds, kKindKeys[i].second, where + ": kinds");
    const toml::table& asks = section(file, "ask", where);
    const toml::table& alerts = section(file, "alerts", where);
    for (std::size_t i = 0; i < kTemplateCount; ++i) {
      const std::string_view key = to_string(kAllAlertTemplates[i]);
      language.asks[i] = text_at(asks, key, where + ": ask");
      language.alerts[i] = text_at(alerts, key, where + ": alerts");
      const auto ignore = [](std::string_view) {};
      std::string error = scan(language.alerts[i], ignore, ignore);
      if (!error.empty()) refuse_templates(where + ": alerts." + std::string(key) + ": " + error);
      // An ask is inserted as it is: a brace in it is a mistake, not a placeholder.
      if (language.asks[i].find_first_of("{}") != std::string::npos)
        refuse_templates(where + ": ask." + std::string(key) + " may not hold braces");
    }
    // Keys beyond the known ones are typos of known ones: refuse them too.
    check_template_keys(kinds, where + ": kinds", kKindNames);
    check_template_keys(asks, where + ": ask", kTemplateKeys);
    check_template_keys(alerts, where + ": alerts", kTemplateKeys);

    if (const toml::node* push = file.get("push")) {
      if (!push->is_table()) refuse_templates(where + ": push must be a table");
      const toml::table& table = *push->as_table();
      check_template_keys(table, where + ": push", kPushKeys);
      for (const auto key : kPushKeys) {
        language.push[std::string(key)] = text_at(table, key, where + ": push");
        const auto ignore = [](std::string_view) {};
        std::string error = scan(language.push[std::string(key)], ignore, ignore);
        if (!error.empty()) refuse_templates(where + ": push." + std::string(key) + ": " + error);
      }
    }

    if (const toml::node* sms = file.get("sms")) {
      if (!sms->is_table()) refuse_templates(where + ": sms must be a table");
      const toml::table& table = *sms->as_table();
      check_template_keys(table, where + ": sms", kSmsKeys);
      for (const auto key : kSmsKeys) {
        language.sms[std::string(key)] = text_at(table, key, where + ": sms");
        const auto ignore = [](std::string_view) {};
        std::string error = scan(language.sms[std::string(key)], ignore, ignore);
        if (!error.empty()) refuse_templates(where + ": sms." + std::string(key) + ": " + error);
      }
    }

    if (!data->languages.emplace(tag, std::move(language)).second)
      refuse_templates(where + " is given twice");
  }
  if (!data->languages.count(kFallback))
    refuse_templates("no English (\"en\") file: English is the fallback language and must exist");
  // A network's own English file written before [push] existed: the shipped English texts.
  auto& english = data->languages.at(std::string(kFallback));
  if (english.push.empty())
    for (std::size_t i = 0; i < kPushKeys.size(); ++i)
      english.push[std::string(kPushKeys[i])] = kDefaultPush[i];
  if (english.sms.empty())
    for (std::size_t i = 0; i < kSmsKeys.size(); ++i)
      english.sms[std::string(kSmsKeys[i])] = kDefaultSms[i];
  return Templates(std::move(data));
}

std::string Templates::choose_language(const std::vector<std::string>& preferred) const {
  for (const auto& given : preferred) {
    const std::string tag = lowercase(given);
    if (data_->languages.count(tag)) return tag;
    const std::string primary = tag.substr(0, tag.find('-'));
    if (data_->languages.count(primary)) return primary;
  }
  return std::string(kFallback);
}

const Templates::Language& Templates::language(std::string_view tag) const {
  const auto& all = data_->languages;
  const auto it = all.find(lowercase(tag));
  return it != all.end() ? it->second : all.find(kFallback)->second;
}

std::string Templates::render(AlertTemplate which, std::string_view language_tag,
                              const AlertFields& fields) const {
  const auto index = static_cast<std::size_t>(which);
  const Language& lang = language(language_tag);
  return lang.fill(lang.alerts[index], index, fields);
}

std::string Templates::render(v1::AlertType type, std::string_view language_tag,
                              const AlertFields& fields) const {
  return render(template_for(type).value_or(AlertTemplate::update), language_tag, fields);
}

namespace {

// A keyed text of one section of a language's file ([push], [sms]), or of the fallback's when
// the file has no such section; the key itself when it is none of the section's (a caller's
// mistake). A template only so as not to name Templates' private Language.
template <typename Language, typename Section>
std::string keyed_text(const Language& chosen, const Language& fallback,
                       const Section Language::*section, std::string_view key,
                       const AlertFields& fields) {
  const Language& lang = (chosen.*section).empty() ? fallback : chosen;
  const auto it = (lang.*section).find(key);
  if (it == (lang.*section).end()) return std::string(key);
  const auto which = template_for_key(key).value_or(AlertTemplate::update);
  return lang.fill(it->second, static_cast<std::size_t>(which), fields);
}

}  // namespace

std::string Templates::push_text(std::string_view key, std::string_view language_tag,
                                 const AlertFields& fields) const {
  return keyed_text(language(language_tag), language(kFallback), &Language::push, key, fields);
}

std::string Templates::sms_text(std::string_view key, std::string_view language_tag,
                                const AlertFields& fields) const {
  return keyed_text(language(language_tag), language(kFallback), &Language::sms, key, fields);
}

std::string Templates::sms_body(v1::AlertType type, std::string_view language_tag,
                                const AlertFields& fields) const {
  return sms_text(to_string(template_for(type).value_or(AlertTemplate::update)), language_tag,
                  fields);
}

std::string Templates::push_title(v1::AlertType type, std::string_view language_tag,
                                  const AlertFields& fields) const {
  return push_text(to_string(template_for(type).value_or(AlertTemplate::update)), language_tag,
                   fields);
}

const std::string& Templates::kind_name(v1::ReportKind kind, std::string_view language_tag) const {
  return language(language_tag).kind(kind);
}

std::vector<std::string> Templates::languages() const {
  std::vector<std::string> tags;
  for (const auto& [tag, language] : data_->languages) tags.push_back(tag);
  return tags;
}

}  // namespace puente::core
