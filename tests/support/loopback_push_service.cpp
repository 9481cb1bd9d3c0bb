#include "loopback_push_service.hpp"

#include "file_text.hpp"
#include "test_certificate.hpp"
#include "wait_until.hpp"

#include "core/base64url.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <sstream>
#include <stdexcept>

namespace puente::test {

std::string push_plaintext(const boost::json::value& push) {
  // Standard base64 as the service writes it; base64url decodes it once turned.
  std::string text(push.at("payload").as_string());
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!text.empty() && text.back() == '=') text.pop_back();
  return core::base64url_decode(text).value_or("<not base64>");
}

namespace fs = std::filesystem;
namespace http = boost::beast::http;

namespace {

const fs::path service_dir = PUENTE_PUSH_SERVICE_DIR;

}  // namespace

std::string LoopbackPushService::missing_tools() {
  std::string missing;
  if (!ChildProcess::find_program("node")) missing += " node (Debian package nodejs);";
  if (!fs::exists(service_dir / "node_modules" / "http_ece"))
    missing += " http_ece (npm ci in tests/push_service);";
  return missing;
}

LoopbackPushService::LoopbackPushService() : dir_("puente-push-service-") {
  if (auto missing = missing_tools(); !missing.empty())
    throw std::runtime_error("the loopback push service needs:" + missing);
  const auto made = make_test_certificate(dir_.path(), "push-service", "localhost");
  certificate_ = made.certificate;
  const auto ports_file = dir_.path() / "ports";
  process_.emplace(
      "node",
      std::vector<std::string>{(service_dir / "push_service.mjs").string(), "--cert",
                               made.certificate.string(), "--key", made.private_key.string(),
                               "--ports-file", ports_file.string()},
      dir_.path() / "push_service.log");
  std::string ports;
  if (!wait_until(
          [&] { return (ports = file_text(ports_file)).ends_with('\n') || !process_->running(); },
          std::chrono::seconds(30)) ||
      !ports.ends_with('\n'))
    throw std::runtime_error("push_service.mjs did not start: " + log());
  std::istringstream(ports) >> push_port_ >> admin_port_;
}

std::string LoopbackPushService::log() const { return file_text(dir_.path() / "push_service.log"); }

boost::json::value LoopbackPushService::admin(const std::string& method, const std::string& target,
                                              const std::string& body) {
  boost::asio::io_context io;
  boost::beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  stream.connect(
      boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), admin_port_));
  http::request<http::string_body> request{http::string_to_verb(method), target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.body() = body;
  request.prepare_payload();
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  if (response.result_int() >= 300)
    throw std::runtime_error("push service admin " + method + " " + target + ": " +
                             response.body());
  return boost::json::parse(response.body());
}

LoopbackSubscription LoopbackPushService::subscribe() {
  const auto made = admin("POST", "/subscriptions").as_object();
  return {std::string(made.at("id").as_string()), std::string(made.at("endpoint").as_string()),
          std::string(made.at("p256dh").as_string()), std::string(made.at("auth").as_string())};
}

void LoopbackPushService::answer_with(const std::string& id, int status,
                                      const std::map<std::string, std::string>& headers,
                                      std::chrono::milliseconds delay) {
  boost::json::object extra;
  for (const auto& [name, value] : headers) extra[name] = value;
  admin("PUT", "/subscriptions/" + id + "/answer",
        boost::json::serialize(boost::json::object{
            {"status", status}, {"headers", extra}, {"delayMs", delay.count()}}));
}

boost::json::array LoopbackPushService::received() { return admin("GET", "/received").as_array(); }

boost::json::object LoopbackPushService::summary() { return admin("GET", "/summary").as_object(); }

void LoopbackPushService::forget_received() { admin("DELETE", "/received"); }

void LoopbackPushService::close_connections() { admin("POST", "/close-connections"); }

}  // namespace puente::test
