#include "channels/push/push_sender.hpp"

#include "channels/push/push_exchange.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <stdexcept>

namespace puente::push {

namespace ssl = boost::asio::ssl;

namespace {

std::shared_ptr<ssl::context> client_tls(const std::filesystem::path& ca_file) {
  auto tls = std::make_shared<ssl::context>(ssl::context::tls_client);
  tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  if (ca_file.empty())
    tls->set_default_verify_paths(ec);
  else
    tls->load_verify_file(ca_file.string(), ec);
  if (ec)
    throw std::runtime_error(
        (ca_file.empty() ? std::string("the system's CA certificates") : ca_file.string()) +
        ": cannot be loaded: " + ec.message());
  tls->set_verify_mode(ssl::verify_peer);
  return tls;
}

}  // namespace

PushSender::PushSender(boost::asio::any_io_executor executor, std::shared_ptr<VapidSigner> signer,
                       PushSenderOptions options)
    : executor_(std::move(executor)),
      signer_(std::move(signer)),
      options_(std::move(options)),
      pool_(std::make_shared<PushConnectionPool>(client_tls(options_.ca_file),
                                                 options_.max_idle_connections_per_origin,
                                                 options_.idle_connection_timeout)) {}

void PushSender::send(const PushSubscription& subscription, std::string_view payload,
                      const PushOptions& options, Done done) {
  auto checked = check_push_endpoint(subscription.endpoint, options_.allowed_hosts);
  if (!checked.endpoint)
    return complete_now({PushOutcome::blocked, 0, std::nullopt, checked.refusal}, std::move(done));
  if (!options.topic.empty() && !valid_topic(options.topic))
    return complete_now(
        {PushOutcome::refused, 0, std::nullopt, "a Topic is 1 to 32 base64url characters"},
        std::move(done));
  auto encrypted = encrypt_payload(payload, subscription.keys);
  if (!encrypted.body)
    return complete_now({PushOutcome::refused, 0, std::nullopt, encrypted.error}, std::move(done));

  std::string authorization;
  try {
    authorization =
        signer_->authorization(checked.endpoint->origin, std::chrono::system_clock::now());
  } catch (const std::exception& failure) {
    return complete_now(
        {PushOutcome::refused, 0, std::nullopt, std::string("signing: ") + failure.what()},
        std::move(done));
  }

  auto request =
      make_push_request(*checked.endpoint, std::move(*encrypted.body), options, authorization);
  const std::string host = checked.endpoint->host;
  const auto started = std::chrono::steady_clock::now();
  auto logged = [host, started, done = std::move(done)](PushResult result) {
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    if (result.outcome == PushOutcome::accepted)
      spdlog::debug("push to {}: accepted in {} ms", host, took.count());
    else
      spdlog::info("push to {}: {} ({} ms): {}", host, to_string(result.outcome), took.count(),
                   result.detail);
    done(std::move(result));
  };
  std::make_shared<PushExchange>(executor_, pool_, std::move(*checked.endpoint), std::move(request),
                                 ExchangeLimits{options_.connect_timeout, options_.response_timeout,
                                                options_.allow_private_addresses},
                                 std::move(logged))
      ->start();
}

void PushSender::complete_now(PushResult result, Done done) {
  spdlog::info("push not sent: {}: {}", to_string(result.outcome), result.detail);
  boost::asio::post(executor_, [result = std::move(result), done = std::move(done)]() mutable {
    done(std::move(result));
  });
}

}  // namespace puente::push
