// A node's config file as it is loaded at start: app::load_config reads the file, then
// core::DispatchPolicies::from_toml reads its [policy] table. Bad input must be refused with a
// message naming the option (an exception the node's main turns into "cannot start"), never
// crash. The file is written to a scratch folder, since load_config reads a path.

#include "fuzz_target.hpp"

#include "app/node/config.hpp"
#include "core/dispatch_policy.hpp"

#include <exception>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace puente;
  const auto path = fuzz::scratch_dir() / "puented.toml";
  fuzz::write_file(path, fuzz::as_text(data, size));
  try {
    const auto config = app::load_config(path);
    const auto known = [](std::string_view slug) {
      return slug == "boyle-heights" || slug == "downtown";
    };
    const auto policies = core::DispatchPolicies::from_toml(config.text, known);
    for (const auto& [slug, policy] : policies.overrides()) {
      fuzz::fuzz_check(known(slug), "a policy override for an unknown neighborhood");
      fuzz::fuzz_check(policy.quorum.count >= 1, "a quorum below 1");
    }
  } catch (const std::exception&) {
    // refused, with a message naming the option
  }
  return 0;
}
