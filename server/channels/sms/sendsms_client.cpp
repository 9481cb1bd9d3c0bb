// One sendsms exchange per message over Beast (see sendsms_client.hpp).

#include "channels/sms/sendsms_client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <memory>

namespace puente::sms {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

// smsbox's answers are a line of text; anything much longer is not smsbox.
constexpr std::uint64_t kMaxSendsmsAnswerBytes = 16 * 1024;

class SendsmsExchange : public std::enable_shared_from_this<SendsmsExchange> {
 public:
  SendsmsExchange(boost::asio::any_io_executor executor, const SendsmsClientOptions& options,
                  std::string target, SendsmsClient::Done done)
      : resolver_(executor), stream_(executor), options_(options), done_(std::move(done)) {
    request_.method(http::verb::get);
    request_.target(std::move(target));
    request_.version(11);
    request_.set(http::field::host, options_.host + ":" + std::to_string(options_.port));
    request_.set(http::field::user_agent, "puented");
    request_.set(http::field::connection, "close");
    answer_.body_limit(kMaxSendsmsAnswerBytes);
  }

  void start() {
    stream_.expires_after(options_.connect_timeout);
    resolver_.async_resolve(
        options_.host, std::to_string(options_.port),
        [self = shared_from_this()](beast::error_code ec, tcp::resolver::results_type results) {
          self->on_resolve(ec, results);
        });
  }

 private:
  void on_resolve(beast::error_code ec, const tcp::resolver::results_type& results) {
    if (ec) return fail(ec, "resolve");
    stream_.async_connect(results,
                          [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                            self->on_connect(ec);
                          });
  }

  void on_connect(beast::error_code ec) {
    if (ec) return fail(ec, "connect");
    stream_.expires_after(options_.response_timeout);
    http::async_write(
        stream_, request_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    if (ec) return fail(ec, "write");
    http::async_read(
        stream_, buffer_, answer_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec) return fail(ec, "read");
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    const auto& answer = answer_.get();
    done_(result_of_answer(static_cast<int>(answer.result_int()), answer.body()));
  }

  // Every network error is the gateway's absence: the same message is to be sent later.
  void fail(beast::error_code ec, const char* what) {
    SendsmsResult result;
    result.outcome = SendsmsOutcome::gateway_down;
    result.detail = std::string(what) + ": " +
                    (ec == beast::error::timeout ? std::string("timed out") : ec.message());
    done_(std::move(result));
  }

  tcp::resolver resolver_;
  beast::tcp_stream stream_;
  const SendsmsClientOptions options_;  // a copy: the exchange may outlive the client
  SendsmsClient::Done done_;
  http::request<http::empty_body> request_;
  beast::flat_buffer buffer_;
  http::response_parser<http::string_body> answer_;
};

}  // namespace

SendsmsClient::SendsmsClient(boost::asio::any_io_executor executor, GatewayCredentials credentials,
                             SendsmsClientOptions options)
    : executor_(std::move(executor)),
      credentials_(std::move(credentials)),
      options_(std::move(options)) {}

void SendsmsClient::send(const OutboundSms& sms, Done done) {
  std::make_shared<SendsmsExchange>(boost::asio::make_strand(executor_), options_,
                                    sendsms_target(credentials_, options_.sender, sms),
                                    std::move(done))
      ->start();
}

}  // namespace puente::sms
