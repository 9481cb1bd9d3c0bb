#pragma once
// The node's TLS certificate and private key, read from PEM files. Reloaded in place (SIGHUP):
// new connections handshake with the renewed certificate while the open ones keep the context
// they began with, so a renewal drops nobody.

#include <boost/asio/ssl/context.hpp>

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace puente::net {

class TlsCertificate {
 public:
  // Reads both files; throws std::runtime_error naming the file at fault and why (missing,
  // not PEM, a key that does not match the certificate).
  TlsCertificate(std::filesystem::path certificate_file, std::filesystem::path private_key_file);

  // The context a new connection handshakes with. Thread-safe.
  std::shared_ptr<boost::asio::ssl::context> current() const;
  // Reads the files again. On any error the certificate served so far stays, and the error is
  // returned. Thread-safe.
  std::optional<std::string> reload();
  // The certificate served now, for the log: "CN=puente.example.org, valid until Nov 29 ...".
  std::string describe() const;

 private:
  std::shared_ptr<boost::asio::ssl::context> load() const;

  std::filesystem::path certificate_file_, private_key_file_;
  mutable std::mutex mutex_;
  std::shared_ptr<boost::asio::ssl::context> context_;
};

}  // namespace puente::net
