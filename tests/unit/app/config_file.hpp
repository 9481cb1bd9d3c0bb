#pragma once
// A config file in a fresh folder of its own (removed after the test), written and then loaded
// or refused: what the config tests share.

#include "app/node/config.hpp"

#include "temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace puente::app::test {

class ConfigFile {
 public:
  // The folder the file is in: relative paths in it are relative to this.
  const std::filesystem::path& folder() const { return dir_.path(); }

  // Writes `toml` over the file and loads it.
  NodeConfig load(const std::string& toml) {
    std::ofstream(path_, std::ios::trunc) << toml;
    return load_config(path_);
  }

  // Writes `toml` over the file and loads it: the error it is refused with, or "" if it loads.
  std::string refusal(const std::string& toml) {
    try {
      load(toml);
      return {};
    } catch (const std::runtime_error& e) {
      return e.what();
    }
  }

 private:
  puente::test::TempDir dir_{"puente-config-"};
  std::filesystem::path path_ = dir_.path() / "puented.toml";
};

}  // namespace puente::app::test
