#include "net/tls_certificate.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509err.h>

#include <stdexcept>
#include <system_error>

namespace puente::net {

namespace ssl = boost::asio::ssl;

namespace {

// ECDHE key exchange with AEAD ciphers, for either kind of certificate (ECDSA, certbot's
// default, or RSA): the TLS 1.2 list of Mozilla's "intermediate" profile.
constexpr const char* tls12_forward_secret_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

}  // namespace

TlsCertificate::TlsCertificate(std::filesystem::path certificate_file,
                               std::filesystem::path private_key_file)
    : certificate_file_(std::move(certificate_file)),
      private_key_file_(std::move(private_key_file)),
      context_(load()) {}

std::shared_ptr<ssl::context> TlsCertificate::load() const {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  // TLS 1.2 and 1.3 only: every phone browser of the last decade speaks them.
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use);
  // Forward secrecy: a key stolen later must not decrypt the traffic recorded today (who
  // reported what, where). TLS 1.3's suites are all ephemeral; in TLS 1.2 only the ECDHE ones
  // are, so the static-RSA suites (AES128-GCM-SHA256 and kin) are refused. No session tickets
  // either: a ticket is sealed with a key the process keeps for its whole life, which would undo
  // that; a reconnecting client does a full handshake instead. As deploy/nginx/puente.conf.
  if (SSL_CTX_set_cipher_list(context->native_handle(), tls12_forward_secret_ciphers) != 1)
    throw std::runtime_error("TLS: OpenSSL refused the TLS 1.2 cipher list");
  SSL_CTX_set_options(context->native_handle(), SSL_OP_NO_TICKET);
  // TLS 1.3 would still send tickets (stateful ones) with SSL_OP_NO_TICKET alone.
  SSL_CTX_set_num_tickets(context->native_handle(), 0);
  auto read = [](const std::filesystem::path& file, const char* what, auto&& use) {
    std::error_code exists_ec;
    if (!std::filesystem::is_regular_file(file, exists_ec))
      throw std::runtime_error(std::string("TLS ") + what + " " + file.string() + ": no such file");
    boost::system::error_code ec;
    use(file.string(), ec);
    if (ec)
      throw std::runtime_error(std::string("TLS ") + what + " " + file.string() + ": " +
                               ec.message());
  };
  read(certificate_file_, "certificate", [&](const std::string& f, boost::system::error_code& ec) {
    context->use_certificate_chain_file(f, ec);
  });
  read(private_key_file_, "private key", [&](const std::string& f, boost::system::error_code& ec) {
    context->use_private_key_file(f, ssl::context::pem, ec);
    if (ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH)
      ec = {};
  });
  // Said in words an operator renewing a certificate recognizes.
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();  // this thread's later TLS calls must not read this failure as theirs
    throw std::runtime_error("TLS private key " + private_key_file_.string() +
                             " does not match the certificate " + certificate_file_.string());
  }
  return context;
}

std::shared_ptr<ssl::context> TlsCertificate::current() const {
  std::lock_guard lock(mutex_);
  return context_;
}

std::optional<std::string> TlsCertificate::reload() {
  try {
    auto fresh = load();
    std::lock_guard lock(mutex_);
    context_ = std::move(fresh);
    return std::nullopt;
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string TlsCertificate::describe() const {
  auto context = current();
  X509* certificate = SSL_CTX_get0_certificate(context->native_handle());
  if (!certificate) return "no certificate";
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0,
                     XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
  BIO_puts(bio.get(), ", valid until ");
  ASN1_TIME_print(bio.get(), X509_get0_notAfter(certificate));
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

}  // namespace puente::net
