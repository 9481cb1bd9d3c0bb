#pragma once
// The tests' own geocoder (tests/browser/geocoder_server.mjs, Node.js), started for a test: the
// Nominatim search API on a free loopback port, answering from a small gazetteer of LA places
// in Nominatim's jsonv2 shape, with queries that fail on purpose ("bad answer", "server error",
// "hang"). A network points [geography] geocoder_url at origin().
//
//   puente::test::LoopbackGeocoder geocoder;
//   TestNetwork net("", "", "", "", "geocoder_url = \"" + geocoder.origin() + "\"");
//
// Needs node (nothing from npm: the server uses Node's own http).

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace puente::test {

class LoopbackGeocoder {
 public:
  // Throws std::runtime_error (with its log) if it does not start within 30 s. With
  // `tls_certificate`, HTTPS with a certificate made for localhost and 127.0.0.1
  // (test_certificate.hpp); origin() is then https://localhost:<port>.
  explicit LoopbackGeocoder(bool tls_certificate = false);

  // What this machine lacks to run it ("" if nothing): node.
  static std::string missing_tools();

  // http://127.0.0.1:<port>, or https://localhost:<port>
  const std::string& origin() const { return origin_; }
  // The certificate it serves (the CA file a client trusts); empty without TLS.
  const std::filesystem::path& certificate() const { return certificate_; }
  // The query string ("?q=...&format=jsonv2...") of the last search it was asked.
  std::string last_query();

 private:
  TempDir dir_{"puente-geocoder-"};
  std::unique_ptr<ChildProcess> process_;
  std::string origin_;
  std::filesystem::path certificate_;
};

}  // namespace puente::test
