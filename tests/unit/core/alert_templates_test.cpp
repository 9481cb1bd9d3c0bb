// Alert templates: the shipped files (config/templates, read from PUENTE_SOURCE_DIR) render every
// alert in every language; language choice and fallback; load-time errors; no coordinates.

#include "core/alert_templates.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

namespace puente::core {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::ThrowsMessage;

const std::filesystem::path kTemplateDir =
    std::filesystem::path(PUENTE_SOURCE_DIR) / "config" / "templates";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every shipped file, keyed by its name without ".toml": what the server will load.
std::map<std::string, std::string> shipped_files() {
  std::map<std::string, std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kTemplateDir))
    if (entry.path().extension() == ".toml")
      files[entry.path().stem().string()] = read_file(entry.path());
  return files;
}

const Templates& shipped() {
  static const Templates templates = Templates::from_files(shipped_files());
  return templates;
}

LocalTime evening() {
  LocalTime t;
  t.hour = 21;
  t.minute = 5;
  return t;
}

AlertFields raid_at_mariachi_plaza() {
  return AlertFields{v1::RAID, "Boyle Heights", "Mariachi Plaza", evening()};
}

// A minimal valid file whose texts show which placeholder went where.
std::string probe_file(const std::string& extra_alerts = {}, const std::string& format = {}) {
  std::string out = "language = \"Probe\"\n" + format + "[kinds]\n";
  for (const char* k : {"RAID", "CHECKPOINT", "ARREST", "PATROL", "SURVEILLANCE", "OTHER"})
    out += std::string(k) + " = \"kind-" + k + "\"\n";
  out += "[ask]\n";
  for (auto t : kAllAlertTemplates)
    out += std::string(to_string(t)) + " = \"ask-" + std::string(to_string(t)) + "\"\n";
  out += "[alerts]\n";
  for (auto t : kAllAlertTemplates) {
    const std::string key(to_string(t));
    if (extra_alerts.find(key + " =") != std::string::npos) continue;
    out += key + " = \"" + key + "|{kind}|{neighborhood}|{place}|{where}|{time}|{ask}|{{x}}\"\n";
  }
  return out + extra_alerts;
}

TEST(AlertTemplates, ShipsEnglishAndSpanish) {
  EXPECT_THAT(shipped().languages(), ElementsAre("en", "es"));
}

TEST(AlertTemplates, EveryShippedTemplateRendersForEveryAlertType) {
  for (const auto& language : shipped().languages()) {
    for (auto which : kAllAlertTemplates) {
      SCOPED_TRACE(language + " " + std::string(to_string(which)));
      const std::string text = shipped().render(which, language, raid_at_mariachi_plaza());
      EXPECT_THAT(text, AllOf(HasSubstr("Boyle Heights"), HasSubstr("Mariachi Plaza"),
                              HasSubstr("9:05"), Not(HasSubstr("{")), Not(HasSubstr("}"))));
      EXPECT_THAT(text, HasSubstr(shipped().kind_name(v1::RAID, language)));
    }
    for (auto type : {v1::VERIFY, v1::DISPATCH, v1::UPDATE, v1::DEBUNK, v1::STAND_DOWN})
      EXPECT_EQ(shipped().render(type, language, raid_at_mariachi_plaza()),
                shipped().render(*template_for(type), language, raid_at_mariachi_plaza()));
  }
}

TEST(AlertTemplates, EveryKindHasANameInEveryLanguage) {
  for (const auto& language : shipped().languages())
    for (auto kind :
         {v1::RAID, v1::CHECKPOINT, v1::ARREST, v1::PATROL, v1::SURVEILLANCE, v1::OTHER})
      EXPECT_FALSE(shipped().kind_name(kind, language).empty()) << language << " " << kind;
  EXPECT_EQ(shipped().kind_name(v1::RAID, "es"), "Redada");
  EXPECT_EQ(shipped().kind_name(v1::CHECKPOINT, "en"), "Checkpoint");
  // An unspecified kind reads as OTHER.
  EXPECT_EQ(shipped().kind_name(v1::REPORT_KIND_UNSPECIFIED, "en"),
            shipped().kind_name(v1::OTHER, "en"));
}

TEST(AlertTemplates, EnglishAndSpanishTexts) {
  EXPECT_EQ(shipped().render(AlertTemplate::dispatch, "en", raid_at_mariachi_plaza()),
            "CONFIRMED: Raid in Boyle Heights, Mariachi Plaza, 9:05 PM. Go now if you can; tap "
            "“On my way”, or “Can't go” if you cannot.");
  EXPECT_EQ(shipped().render(AlertTemplate::verify, "es", raid_at_mariachi_plaza()),
            "SIN VERIFICAR: Redada en Boyle Heights, Mariachi Plaza, 9:05 p. m. Si puede llegar "
            "sin riesgo, vaya a verificar; toque «En el lugar» cuando esté ahí.");
}

// Issue 20: the time in a STAND DOWN is when it was reported, and says so (it read as the end);
// the asks name the buttons the pages show, and an UPDATE points at what changed.
TEST(AlertTemplates, StandDownSaysWhenItWasReportedAndAsksNameTheButtons) {
  EXPECT_EQ(shipped().render(AlertTemplate::stand_down, "en", raid_at_mariachi_plaza()),
            "STAND DOWN: Raid in Boyle Heights, Mariachi Plaza (reported 9:05 PM) is over. Leave "
            "safely and tap “I'm out, safe” when you are clear.");
  EXPECT_EQ(shipped().render(AlertTemplate::stand_down, "es", raid_at_mariachi_plaza()),
            "SE ACABÓ: Redada en Boyle Heights, Mariachi Plaza (reporte de 9:05 p. m.) terminó. "
            "Retírese con cuidado y toque «Salí, estoy a salvo» cuando esté fuera.");
  for (const auto* language : {"en", "es"}) {
    auto update = shipped().render(AlertTemplate::update, language, raid_at_mariachi_plaza());
    EXPECT_EQ(update.find("incident"), std::string::npos) << update;
    EXPECT_EQ(update.find("incidente"), std::string::npos) << update;
    for (auto which : kAllAlertTemplates) {
      auto text = shipped().render(which, language, raid_at_mariachi_plaza());
      for (const auto* wire_word :
           {"ack ", "EN ROUTE", "DECLINED", "ON SCENE", "EN CAMINO", "NO PUEDO"})
        EXPECT_EQ(text.find(wire_word), std::string::npos) << text;
    }
  }
}

TEST(AlertTemplates, LanguageChoiceTakesTheFirstWithAFile) {
  EXPECT_EQ(shipped().choose_language({"es", "en"}), "es");
  EXPECT_EQ(shipped().choose_language({"en", "es"}), "en");
  EXPECT_EQ(shipped().choose_language({"zh", "es"}), "es");  // no Chinese file yet
  EXPECT_EQ(shipped().choose_language({"es-MX"}), "es");     // by primary subtag
  EXPECT_EQ(shipped().choose_language({"ES"}), "es");        // case-insensitively
  EXPECT_EQ(shipped().choose_language({"zh", "ko"}), "en");  // English is the fallback
  EXPECT_EQ(shipped().choose_language({}), "en");
}

TEST(AlertTemplates, ARegionalFileWinsOverItsPrimaryLanguage) {
  auto files = shipped_files();
  files["es-MX"] = probe_file();
  const Templates t = Templates::from_files(files);
  EXPECT_EQ(t.choose_language({"es-mx"}), "es-mx");
  EXPECT_EQ(t.choose_language({"es-AR"}), "es");
}

TEST(AlertTemplates, UnknownLanguageRendersInEnglish) {
  EXPECT_EQ(shipped().render(AlertTemplate::debunk, "tl", raid_at_mariachi_plaza()),
            shipped().render(AlertTemplate::debunk, "en", raid_at_mariachi_plaza()));
}

TEST(AlertTemplates, PlaceholdersAndBraces) {
  const Templates t = Templates::from_files({{"en", probe_file()}});
  EXPECT_EQ(t.render(AlertTemplate::escalation, "en", raid_at_mariachi_plaza()),
            "ESCALATION|kind-RAID|Boyle Heights|Mariachi Plaza|Boyle Heights, Mariachi Plaza|21:05|"
            "ask-ESCALATION|{x}");
  AlertFields no_place = raid_at_mariachi_plaza();
  no_place.place.clear();
  EXPECT_EQ(t.render(AlertTemplate::verify, "en", no_place),
            "VERIFY|kind-RAID|Boyle Heights||Boyle Heights|21:05|ask-VERIFY|{x}");
}

TEST(AlertTemplates, AValueEndingInAPeriodAbsorbsTheTemplatesPeriod) {
  const Templates t =
      Templates::from_files({{"en", probe_file("VERIFY = \"{place}. Go... {place}\"\n")}});
  AlertFields fields = raid_at_mariachi_plaza();
  fields.place = "Soto St.";
  EXPECT_EQ(t.render(AlertTemplate::verify, "en", fields), "Soto St. Go... Soto St.");
  fields.place = "Soto St";
  EXPECT_EQ(t.render(AlertTemplate::verify, "en", fields), "Soto St. Go... Soto St");
}

TEST(AlertTemplates, ClockFormats) {
  const auto render_at = [](const std::string& format, int hour, int minute) {
    const Templates t =
        Templates::from_files({{"en", probe_file("VERIFY = \"{time}\"\n", format)}});
    AlertFields fields = raid_at_mariachi_plaza();
    fields.time.hour = hour;
    fields.time.minute = minute;
    return t.render(AlertTemplate::verify, "en", fields);
  };
  const std::string twelve = "[format]\nclock = \"12h\"\nam = \"am\"\npm = \"pm\"\n";
  EXPECT_EQ(render_at(twelve, 0, 5), "12:05 am");
  EXPECT_EQ(render_at(twelve, 12, 0), "12:00 pm");
  EXPECT_EQ(render_at(twelve, 23, 59), "11:59 pm");
  EXPECT_EQ(render_at("", 7, 3), "07:03");  // 24h by default
}

TEST(AlertTemplates, NeverRendersCoordinates) {
  AlertFields fields = raid_at_mariachi_plaza();
  fields.place = "34.0472, -118.2195";
  for (const auto& language : shipped().languages()) {
    const std::string text = shipped().render(AlertTemplate::dispatch, language, fields);
    EXPECT_THAT(text, AllOf(Not(HasSubstr("34.04")), Not(HasSubstr("118.21")))) << text;
  }
  EXPECT_EQ(coarse_place("34.0472, -118.2195"), "");
  EXPECT_EQ(coarse_place("Soto St & 1st St (34.0472,-118.2195)"), "Soto St & 1st St");
  EXPECT_EQ(coarse_place("Soto St (near 34.0472,-118.2195), east side"),
            "Soto St (near), east side");
  EXPECT_EQ(coarse_place("near 34.04721 -118.21953, car wash"), "near, car wash");
  EXPECT_EQ(coarse_place("Car wash on César Chávez and Soto"), "Car wash on César Chávez and Soto");
  EXPECT_EQ(coarse_place("Metro bus 18, stop 2.5 km east"), "Metro bus 18, stop 2.5 km east");
}

void expect_rejected(const std::map<std::string, std::string>& files, const std::string& message) {
  EXPECT_THAT([&] { Templates::from_files(files); },
              ThrowsMessage<std::runtime_error>(HasSubstr(message)));
}

TEST(AlertTemplates, LoadErrorsNameTheLanguageAndKey) {
  const std::string en = probe_file();
  expect_rejected({{"es", en}}, "no English (\"en\") file");
  expect_rejected({{"en", en}, {"español", en}}, "\"español\" is not a language tag");
  expect_rejected({{"en", en}, {"en_US", en}}, "\"en_us\" is not a language tag");
  expect_rejected({{"en", en}, {"EN", en}}, "\"en\" is given twice");
  expect_rejected({{"en", "language = \"x\"\n[kinds\n"}}, "\"en\": invalid TOML at line 2");
  expect_rejected({{"en", probe_file("VERIFY = \"{lugar}\"\n")}},
                  "\"en\": alerts.VERIFY: unknown placeholder {lugar}");
  expect_rejected({{"en", probe_file("DEBUNK = \"{kind\"\n")}}, "alerts.DEBUNK: an unclosed");
  expect_rejected({{"en", probe_file("UPDATE = \"a } b\"\n")}}, "alerts.UPDATE: a lone");
  expect_rejected({{"en", probe_file("UPDATE = \"\"\n")}}, "alerts.UPDATE must be a text");
  expect_rejected({{"en", probe_file("BROADCAST = \"x\"\n")}}, "alerts: unknown key \"BROADCAST\"");
  expect_rejected({{"en", probe_file() + "[extra]\n"}}, "\"en\": unknown key \"extra\"");
  expect_rejected({{"en", probe_file({}, "[format]\nclock = \"13h\"\n")}},
                  "format.clock must be \"12h\" or \"24h\"");

  // A missing text names its table and key.
  std::string missing_ask = probe_file();
  missing_ask.erase(missing_ask.find("STAND_DOWN = \"ask-"),
                    std::string("STAND_DOWN = \"ask-STAND_DOWN\"\n").size());
  expect_rejected({{"en", missing_ask}}, "\"en\": ask.STAND_DOWN is missing");
  std::string missing_kind = probe_file();
  missing_kind.erase(missing_kind.find("PATROL ="),
                     std::string("PATROL = \"kind-PATROL\"\n").size());
  expect_rejected({{"en", missing_kind}}, "\"en\": kinds.PATROL is missing");
  expect_rejected({{"en", "language = \"x\"\n"}}, "\"en\": missing table [kinds]");
}

TEST(AlertTemplates, PushTitlesAndButtonsInEachShippedLanguage) {
  EXPECT_EQ(shipped().push_title(v1::VERIFY, "es", raid_at_mariachi_plaza()),
            "SIN VERIFICAR: Redada en Boyle Heights");
  EXPECT_EQ(shipped().push_title(v1::ESCALATE, "en", raid_at_mariachi_plaza()),
            "HELP NEEDED: Raid in Boyle Heights");
  EXPECT_EQ(shipped().push_text("EN_ROUTE", "es"), "Voy en camino");
  EXPECT_EQ(shipped().push_text("DECLINED", "en"), "Can't go");
  for (const auto& language : shipped().languages())
    for (const char* key :
         {"TEST_TITLE", "TEST_BODY", "NUDGE_TITLE", "NUDGE_BODY", "DROPPED_TITLE", "DROPPED_BODY"})
      EXPECT_NE(shipped().push_text(key, language), key) << language << " " << key;
}

TEST(AlertTemplates, AFileWithoutPushTextsPushesInEnglish) {
  // English without [push] gets the shipped English texts; another language without it, English.
  const auto templates = Templates::from_files({{"en", probe_file()}, {"pt", probe_file()}});
  EXPECT_EQ(templates.push_text("EN_ROUTE", "pt"), "On my way");
  EXPECT_EQ(templates.push_title(v1::VERIFY, "pt", raid_at_mariachi_plaza()),
            "UNVERIFIED: kind-RAID in Boyle Heights");
}

TEST(AlertTemplates, APushTableMustBeWholeAndKnown) {
  EXPECT_THROW(Templates::from_files({{"en", probe_file() + "[push]\nVERIFY = \"x\"\n"}}),
               std::runtime_error);
  EXPECT_THROW(Templates::from_files({{"en", probe_file() + "[push]\nPAGER = \"x\"\n"}}),
               std::runtime_error);
}

TEST(AlertTemplates, SmsBodiesAndReplyLinesInEachShippedLanguage) {
  EXPECT_EQ(shipped().sms_body(v1::VERIFY, "es", raid_at_mariachi_plaza()).substr(0, 27),
            "SIN VERIFICAR Redada: Boyle");
  EXPECT_EQ(shipped().sms_text("REPLY", "es"), "Responda 1 voy, 2 allí, 3 no puedo");
  EXPECT_EQ(shipped().sms_text("REPLY", "en"), "Reply 1 on my way, 2 on scene, 3 can't");
  for (const auto& language : shipped().languages())
    EXPECT_NE(shipped().sms_text("REPLY_BUNDLE", language), "REPLY_BUNDLE") << language;
  // A file without [sms] texts in English; an [sms] table must be whole and known.
  const auto templates = Templates::from_files({{"en", probe_file()}, {"pt", probe_file()}});
  EXPECT_EQ(templates.sms_text("REPLY", "pt"), "Reply 1 on my way, 2 on scene, 3 can't");
  EXPECT_THROW(Templates::from_files({{"en", probe_file() + "[sms]\nVERIFY = \"x\"\n"}}),
               std::runtime_error);
}

}  // namespace
}  // namespace puente::core
