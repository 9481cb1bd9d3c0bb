#include "client_stream.hpp"

#include <openssl/ssl.h>
#include <boost/asio/ssl/host_name_verification.hpp>

#include <stdexcept>

namespace puente::client {

namespace ssl = boost::asio::ssl;

void ClientStream::use_tls(const std::string& host, const std::filesystem::path& ca_file) {
  if (!tls_context_) {
    tls_context_.emplace(ssl::context::tls_client);
    tls_context_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                              ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                              ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (ca_file.empty())
      tls_context_->set_default_verify_paths(ec);
    else
      tls_context_->load_verify_file(ca_file.string(), ec);
    if (ec) {
      tls_context_.reset();
      throw std::runtime_error(
          "cannot read the trusted certificates " +
          (ca_file.empty() ? std::string("of this system") : ca_file.string()) + ": " +
          ec.message());
    }
    tls_context_->set_verify_mode(ssl::verify_peer);
  }
  tls_ = std::make_unique<ssl::stream<boost::beast::tcp_stream&>>(tcp_, *tls_context_);
  tls_->set_verify_callback(ssl::host_name_verification(host));
  // SNI, for a proxy that serves several names (an IP is not sent: RFC 6066).
  boost::system::error_code not_ip;
  boost::asio::ip::make_address(host, not_ip);
  if (not_ip) SSL_set_tlsext_host_name(tls_->native_handle(), host.c_str());
}

}  // namespace puente::client
