#include "test_certificate.hpp"

#include "child_process.hpp"

#include <stdexcept>

namespace puente::test {

TestCertificate make_test_certificate(const std::filesystem::path& dir, const std::string& name,
                                      const std::string& common_name, KeyType key) {
  TestCertificate made{dir / (name + ".crt"), dir / (name + ".key")};
  auto fresh_certificate = dir / (name + ".crt.new"), fresh_key = dir / (name + ".key.new");
  auto log = dir / (name + ".openssl.log");
  std::vector<std::string> args{"req", "-x509", "-newkey"};
  if (key == KeyType::rsa2048)
    args.insert(args.end(), {"rsa:2048"});
  else
    args.insert(args.end(), {"ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"});
  args.insert(args.end(), {"-nodes", "-days", "1", "-subj", "/CN=" + common_name, "-addext",
                           "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                           fresh_key.string(), "-out", fresh_certificate.string()});
  ChildProcess openssl("openssl", args, log);
  auto exit = openssl.wait_for_exit(std::chrono::seconds(30));
  if (!exit || !exit->exited || exit->code != 0)
    throw std::runtime_error("openssl could not make a test certificate; see " + log.string());
  // Key first: a server reloading between the two renames fails on a mismatch and keeps its
  // old pair, rather than serving a certificate without its key.
  std::filesystem::rename(fresh_key, made.private_key);
  std::filesystem::rename(fresh_certificate, made.certificate);
  return made;
}

}  // namespace puente::test
