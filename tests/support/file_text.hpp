#pragma once
// A whole file as text (a server's log, a CLI's output): empty if it does not exist (yet).

#include <filesystem>
#include <string>

namespace puente::test {

std::string file_text(const std::filesystem::path& path);

}  // namespace puente::test
