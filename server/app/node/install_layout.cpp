// Build tree or installed: see install_layout.hpp.
#include "app/node/install_layout.hpp"

#include "app/node/config.hpp"

#include <stdexcept>
#include <system_error>

namespace puente::app {

namespace {

// The running program's file, from /proc (Linux, where puented runs).
std::filesystem::path running_program() {
  std::error_code ec;
  auto program = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : program;
}

}  // namespace

std::filesystem::path installed_data_dir() {
  const auto program = running_program();
  if (program.empty()) return {};
  auto data = program.parent_path().parent_path() / "share" / "puente";
  std::error_code ec;
  return std::filesystem::is_directory(data, ec) ? data : std::filesystem::path();
}

std::filesystem::path default_templates_dir(const std::filesystem::path& config_file) {
  auto beside = config_file.parent_path() / "templates";
  std::error_code ec;
  if (std::filesystem::is_directory(beside, ec)) return beside;
  auto shipped = installed_data_dir() / "templates";
  if (!installed_data_dir().empty() && std::filesystem::is_directory(shipped, ec)) return shipped;
  return beside;
}

std::filesystem::path built_in_state_dir() {
  if (installed_data_dir().empty()) return PUENTE_BUILD_STATE_DIR;
  // bin/puented -> the prefix; /usr keeps its state in /var (the FHS), any other prefix in its
  // own var/ (/usr/local/var/lib/puente, /opt/puente/var/lib/puente).
  const auto prefix = running_program().parent_path().parent_path();
  const std::filesystem::path var = prefix == "/usr" ? "/var" : prefix / "var";
  return var / "lib" / "puente";
}

std::filesystem::path choose_state_dir(const std::filesystem::path& configured,
                                       std::string_view state_directory,
                                       const std::filesystem::path& built_in) {
  if (!configured.empty()) return configured;
  const auto first = state_directory.substr(0, state_directory.find(':'));
  if (!first.empty()) return std::filesystem::path(first);
  return built_in;
}

std::filesystem::path journal_file_in(const std::filesystem::path& state_dir,
                                      const std::filesystem::path& configured,
                                      const std::string& node_id) {
  if (configured.empty()) return state_dir / (node_id + ".journal");
  return configured.is_absolute() ? configured : state_dir / configured;
}

void settle_state_dir(NodeConfig& config, const char* state_directory) {
  config.state_dir = choose_state_dir(config.state_dir, state_directory ? state_directory : "",
                                      built_in_state_dir());
  std::error_code ec;
  if (std::filesystem::create_directories(config.state_dir, ec))
    std::filesystem::permissions(config.state_dir, std::filesystem::perms::owner_all, ec);
  if (ec || !std::filesystem::is_directory(config.state_dir))
    throw std::runtime_error("state_dir " + config.state_dir.string() +
                             " cannot be made: " + (ec ? ec.message() : "not a folder"));
  config.journal_file = journal_file_in(config.state_dir, config.journal_file, config.node_id);
  if (config.port_file.is_relative() && !config.port_file.empty())
    config.port_file = config.state_dir / config.port_file;
  if (!config.revocations_file.empty()) return;
  // Nodes before state_dir kept revoked tokens beside the roster. Starting without them would
  // let those tokens in again wherever Redis lost their revocation: stop and say where it is.
  const auto old_place = config.roster_file.parent_path() / "revoked-tokens";
  const auto new_place = revocations_file_of(config);
  if (std::filesystem::exists(old_place, ec) && !std::filesystem::exists(new_place, ec))
    throw std::runtime_error("revoked tokens are kept in state_dir now: move " +
                             old_place.string() + " to " + new_place.string() +
                             ", or set [tokens] revocations_file to it");
}

std::filesystem::path default_web_root() {
  std::error_code ec;
  if (auto data = installed_data_dir();
      !data.empty() && std::filesystem::is_directory(data / "web", ec))
    return data / "web";
  std::filesystem::path source = PUENTE_SOURCE_WEB_ROOT;
  if (std::filesystem::is_directory(source, ec)) return source;
  return {};
}

std::filesystem::path revocations_file_of(const NodeConfig& config) {
  if (!config.revocations_file.empty()) return config.revocations_file;
  return config.state_dir / "revoked-tokens";
}

std::filesystem::path media_dir_of(const NodeConfig& config) {
  if (!config.media.dir.empty()) return config.media.dir;
  return config.state_dir / "media";
}

std::filesystem::path audit_journal_file_of(const NodeConfig& config) {
  return config.state_dir / (config.node_id + ".audit-journal");
}

std::filesystem::path audit_anchors_dir_of(const NodeConfig& config) {
  return config.state_dir / "audit-anchors";
}

std::filesystem::path evidence_key_file_of(const NodeConfig& config) {
  if (!config.media.signing_key_file.empty()) return config.media.signing_key_file;
  return config.state_dir / "evidence-key.pem";
}

}  // namespace puente::app
