// A language's alert texts (config/templates/<tag>.toml) as a node loads them at start
// (core::Templates::from_files), then rendered the way alerts are: bad input must be refused
// with a message naming the language and key, never crash. The input is the Spanish file beside
// the repository's English one (a file set needs English).

#include "fuzz_target.hpp"

#include "core/alert_templates.hpp"

#include <exception>
#include <fstream>
#include <iterator>
#include <optional>

namespace {

std::string english() {
  std::ifstream in(PUENTE_SOURCE_DIR "/config/templates/en.toml");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  static const std::string en = english();
  std::optional<core::Templates> templates;
  try {
    templates =
        core::Templates::from_files({{"en", en}, {"es", std::string(fuzz::as_text(data, size))}});
  } catch (const std::exception&) {
    return 0;  // refused, with a message naming the language and key
  }
  const core::AlertFields fields{v1::RAID, "Boyle Heights", "César Chávez Ave & Soto St", {}};
  for (const auto& language : {"es", "en", "pt"})
    for (auto which : core::kAllAlertTemplates) templates->render(which, language, fields);
  for (int kind = v1::ReportKind_MIN; kind <= v1::ReportKind_MAX; ++kind)
    templates->kind_name(static_cast<v1::ReportKind>(kind), "es");
  return 0;
}
