#include "evidence/bundle_zip.hpp"

#include "core/bearer_token.hpp"

#include <openssl/evp.h>
#include <zip.h>

#include <fstream>
#include <memory>
#include <stdexcept>

namespace puente::evidence {

namespace {

// One SHA-256 fed in pieces.
class Sha256Stream {
 public:
  Sha256Stream() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
  }
  void add(const char* data, std::size_t size) { EVP_DigestUpdate(ctx_.get(), data, size); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest, &size);
    return core::to_hex(digest, size);
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

constexpr std::size_t bundle_read_piece = 256 * 1024;

}  // namespace

std::string file_sha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  Sha256Stream sha;
  std::string piece(bundle_read_piece, '\0');
  while (in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    sha.add(piece.data(), static_cast<std::size_t>(in.gcount()));
  }
  return sha.hex();
}

void write_bundle_zip(const std::filesystem::path& out, const std::vector<BundleEntry>& entries) {
  int error = 0;
  zip_t* archive = zip_open(out.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!archive) throw std::runtime_error("cannot create the ZIP " + out.string());
  auto fail = [&](const std::string& what) {
    zip_discard(archive);
    throw std::runtime_error("ZIP " + out.string() + ": " + what);
  };
  for (const auto& e : entries) {
    zip_source_t* source = e.from.empty()
                               ? zip_source_buffer(archive, e.bytes.data(), e.bytes.size(), 0)
                               : zip_source_file(archive, e.from.c_str(), 0, -1);
    if (!source) fail("cannot read " + e.name);
    auto index = zip_file_add(archive, e.name.c_str(), source, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(source);
      fail("cannot add " + e.name);
    }
    // Media are compressed already: deflating them again costs time and wins nothing.
    zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                             e.from.empty() ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
  }
  // The buffers above are read here, while `entries` still holds them.
  if (zip_close(archive) != 0) fail(zip_strerror(archive));
}

BundleContents read_bundle_zip(const std::filesystem::path& zip) {
  int error = 0;
  zip_t* archive = zip_open(zip.c_str(), ZIP_RDONLY, &error);
  if (!archive) throw std::runtime_error(zip.string() + " is not a ZIP file that can be read");
  std::unique_ptr<zip_t, decltype(&zip_discard)> owned(archive, zip_discard);
  BundleContents contents;
  auto count = zip_get_num_entries(archive, 0);
  std::string piece(bundle_read_piece, '\0');
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    if (!name) continue;
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(
        zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0), zip_fclose);
    if (!file) throw std::runtime_error(zip.string() + ": cannot read " + name);
    std::string entry_name(name);
    bool keep = entry_name == core::manifest_name || entry_name == core::manifest_signature_name;
    std::string kept;
    Sha256Stream sha;
    for (;;) {
      auto got = zip_fread(file.get(), piece.data(), piece.size());
      // A changed byte of a deflated entry fails its CRC here: that file changed.
      if (got < 0) {
        contents.files.push_back({"unreadable", entry_name});
        break;
      }
      if (got == 0) {
        if (!keep) contents.files.push_back({sha.hex(), entry_name});
        break;
      }
      if (keep)
        kept.append(piece.data(), static_cast<std::size_t>(got));
      else
        sha.add(piece.data(), static_cast<std::size_t>(got));
    }
    if (entry_name == core::manifest_name)
      contents.manifest = std::move(kept);
    else if (entry_name == core::manifest_signature_name)
      contents.signature = std::move(kept);
  }
  return contents;
}

}  // namespace puente::evidence
