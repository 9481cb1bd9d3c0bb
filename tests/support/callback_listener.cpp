// The test's stand-in for puented's SMS routes (see callback_listener.hpp): blocking Beast on
// its own thread, which is plenty for a few callbacks a test.

#include "callback_listener.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace puente::test {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

CallbackListener::CallbackListener()
    : acceptor_(context_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

CallbackListener::~CallbackListener() {
  stopping_ = true;
  boost::system::error_code ignored;
  // Wake the blocking accept with a connection of our own.
  tcp::socket poke(context_);
  poke.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_), ignored);
  poke.close(ignored);
  thread_.join();
}

std::vector<CallbackRequest> CallbackListener::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

void CallbackListener::serve() {
  while (!stopping_) {
    tcp::socket socket(context_);
    boost::system::error_code ec;
    acceptor_.accept(socket, ec);
    if (ec || stopping_) return;
    // One request a connection, closed after the answer: a client with two requests at once
    // (smsbox sends a text's delivery reports side by side) waits in the accept queue instead of
    // behind a kept-alive connection this one thread would be reading.
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(socket, buffer, request, ec);
    if (ec) continue;
    {
      std::lock_guard lock(mutex_);
      received_.push_back({std::string(request.method_string()), std::string(request.target()),
                           std::string(request[http::field::authorization]),
                           std::string(request[http::field::content_type]), request.body()});
    }
    http::response<http::empty_body> answer(http::status::ok, request.version());
    answer.keep_alive(false);
    answer.content_length(0);
    http::write(socket, answer, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}

}  // namespace puente::test
