#pragma once
// Sends text messages through Kannel's smsbox: one GET /cgi-bin/sendsms per message
// (sendsms_request.hpp) on a new plain-HTTP connection, its answer typed (sendsms_result.hpp).
// smsbox listens on loopback or the private network beside puented (deploy/kannel/README.md),
// so there is no TLS here; a connection per message is cheap there, and a text message is never
// sent twice because a kept-alive connection broke under it.
//
// Two deadlines: the connect timeout (resolving, then connecting), then the response timeout
// (the request written, the whole answer read). Either passing is `gateway_down`.
//
// The request target holds the sendsms password and the receiver's number: nothing here logs
// it, and a result's detail holds only Kannel's answer or the network error's message.

#include "channels/sms/gateway_credentials.hpp"
#include "channels/sms/sendsms_request.hpp"
#include "channels/sms/sendsms_result.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace puente::sms {

struct SendsmsClientOptions {
  std::string host = "127.0.0.1";  // smsbox's sendsms-interface
  unsigned short port = 13013;     // smsbox's sendsms-port (Kannel's default)
  SendsmsSender sender;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds response_timeout{std::chrono::seconds(10)};
};

class SendsmsClient {
 public:
  using Done = std::function<void(SendsmsResult)>;

  SendsmsClient(boost::asio::any_io_executor executor, GatewayCredentials credentials,
                SendsmsClientOptions options);

  // Sends `sms`; `done` gets the result exactly once, on the executor. Thread-safe.
  void send(const OutboundSms& sms, Done done);

 private:
  boost::asio::any_io_executor executor_;
  GatewayCredentials credentials_;
  SendsmsClientOptions options_;
};

}  // namespace puente::sms
