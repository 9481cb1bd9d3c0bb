#include "file_text.hpp"

#include <fstream>
#include <sstream>

namespace puente::test {

std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace puente::test
