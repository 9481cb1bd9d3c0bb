#pragma once
// Alert texts in the recipient's language, from template files (config/templates/<lang>.toml,
// one per language: English and Spanish shipped; another language is another file).
//
// A file holds, all required (a missing one is an error at start, so every language renders
// every alert):
//   language = "Español"                  # the language's own name
//   [format]  clock = "12h" | "24h", am = "a. m.", pm = "p. m."   (am/pm for 12h; default AM/PM)
//   [kinds]   RAID, CHECKPOINT, ARREST, PATROL, SURVEILLANCE, OTHER = the kind's name
//   [ask]     VERIFY, DISPATCH, UPDATE, DEBUNK, STAND_DOWN, ESCALATION = what is asked of them
//   [push]    (optional: a language without it pushes in English, and English without it in
//             the texts of config/templates/en.toml) the title of a
//             notification per alert type (the same six keys, placeholders as in [alerts]),
//             EN_ROUTE and DECLINED (its buttons), TEST_TITLE, TEST_BODY, NUDGE_TITLE,
//             NUDGE_BODY, DROPPED_TITLE, DROPPED_BODY (pushes that are not alerts)
//   [sms]     (optional, as [push]: English's texts otherwise) a text message's body per alert
//             type (the same six keys, placeholders as in [alerts]; short: it goes with the
//             incident's code and the reply line in two segments, docs/sms.md), REPLY (the
//             reply line of one alert) and REPLY_BUNDLE (of a text carrying several, lettered)
//   [alerts]  the same six keys = the text, with placeholders:
//     {kind}          the kind's name from [kinds]
//     {neighborhood}  the neighborhood's display name
//     {place}         the coarse place (cross streets, a landmark); may be empty
//     {where}         "{neighborhood}, {place}", or just the neighborhood when place is empty
//     {time}          the local time, as [format] says ("9:40 PM", "21:40")
//     {ask}           this alert type's [ask] text
//   "{{" and "}}" stand for literal braces.
//
// Exact coordinates never appear: the fields carry no latitude or longitude, and numbers in the
// place that look like coordinates (a decimal point followed by 3 or more digits: 34.0403) are
// removed.
//
// Language choice: the responder's languages in order, each tried as given ("es-MX") and then
// by its primary subtag ("es"), case-insensitively; the first with a file wins, else English.

#include "core/time_zone.hpp"
#include "puente/v1/puente.pb.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace puente::core {

// The texts a template file holds: the five alert types of the wire, plus ESCALATION, sent to
// the responders an escalation step reaches (their neighborhood is not the incident's).
enum class AlertTemplate { verify, dispatch, update, debunk, stand_down, escalation };

// VERIFY -> verify, ... ; nullopt for ALERT_TYPE_UNSPECIFIED.
std::optional<AlertTemplate> template_for(v1::AlertType type);
// "VERIFY", "DISPATCH", "UPDATE", "DEBUNK", "STAND_DOWN", "ESCALATION": the key in [alerts].
std::string_view to_string(AlertTemplate which);
inline constexpr AlertTemplate kAllAlertTemplates[] = {
    AlertTemplate::verify, AlertTemplate::dispatch,   AlertTemplate::update,
    AlertTemplate::debunk, AlertTemplate::stand_down, AlertTemplate::escalation};

struct AlertFields {
  v1::ReportKind kind = v1::REPORT_KIND_UNSPECIFIED;  // unspecified reads as OTHER
  std::string neighborhood;                           // display name: "Boyle Heights"
  std::string place;  // coarse place: "César Chávez Ave & Soto St", never a house address
  LocalTime time;     // when it happened, in the network's zone
};

// The place with coordinate-like numbers removed and the separators they leave tidied.
std::string coarse_place(std::string_view place);

class Templates {
 public:
  static constexpr std::string_view kFallback = "en";

  // `files` maps a language tag ("en", "es", "pt-BR") to the TOML text of its file. Throws
  // std::runtime_error naming the language and key at fault (bad TOML, a missing text, an
  // unknown placeholder, no English).
  static Templates from_files(const std::map<std::string, std::string>& files);

  // The language to write to someone who reads `preferred`, in order (see the top of this file).
  std::string choose_language(const std::vector<std::string>& preferred) const;

  // The text of `which` in `language` (a tag as choose_language returns; any other falls back
  // to English).
  std::string render(AlertTemplate which, std::string_view language,
                     const AlertFields& fields) const;
  // The same for a wire alert type; ALERT_TYPE_UNSPECIFIED renders as UPDATE.
  std::string render(v1::AlertType type, std::string_view language,
                     const AlertFields& fields) const;

  // A [push] text in `language` ("EN_ROUTE", "TEST_TITLE", ...), placeholders filled from
  // `fields`; English when the language has no [push].
  std::string push_text(std::string_view key, std::string_view language,
                        const AlertFields& fields = {}) const;
  // A notification's title for an alert of `type` (ESCALATE: ESCALATION).
  std::string push_title(v1::AlertType type, std::string_view language,
                         const AlertFields& fields) const;

  // An [sms] text in `language` ("REPLY", "VERIFY", ...), placeholders filled from `fields`;
  // English when the language has no [sms].
  std::string sms_text(std::string_view key, std::string_view language,
                       const AlertFields& fields = {}) const;
  // A text message's body for an alert of `type` (ESCALATE: ESCALATION).
  std::string sms_body(v1::AlertType type, std::string_view language,
                       const AlertFields& fields) const;

  // The kind's name in `language` (English when the language has no file).
  const std::string& kind_name(v1::ReportKind kind, std::string_view language) const;

  // Tags with a file, sorted (lowercase).
  std::vector<std::string> languages() const;

 private:
  struct Language;  // one file's texts
  struct Data;
  explicit Templates(std::shared_ptr<const Data> data);
  const Language& language(std::string_view tag) const;
  std::shared_ptr<const Data> data_;  // immutable once loaded: copies share it
};

}  // namespace puente::core
