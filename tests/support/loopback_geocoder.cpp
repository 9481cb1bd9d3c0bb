// The tests' own geocoder: see loopback_geocoder.hpp.
#include "loopback_geocoder.hpp"

#include "file_text.hpp"
#include "test_certificate.hpp"
#include "wait_until.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <stdexcept>

namespace puente::test {

std::string LoopbackGeocoder::missing_tools() {
  return ChildProcess::find_program("node") ? "" : " node (Debian package nodejs);";
}

LoopbackGeocoder::LoopbackGeocoder(bool tls_certificate) {
  const auto port_file = dir_.path() / "port";
  const auto log = dir_.path() / "geocoder.log";
  std::vector<std::string> args{std::string(PUENTE_BROWSER_TESTS_DIR) + "/geocoder_server.mjs",
                                port_file.string()};
  if (tls_certificate) {
    auto made = make_test_certificate(dir_.path(), "geocoder", "puente test geocoder");
    certificate_ = made.certificate;
    args.insert(args.end(), {made.certificate.string(), made.private_key.string()});
  }
  process_ = std::make_unique<ChildProcess>("node", args, log);
  std::string port;  // "41234\n" once written whole
  if (!wait_until([&] { return (port = file_text(port_file)).ends_with('\n'); },
                  std::chrono::seconds(30)))
    throw std::runtime_error("geocoder_server.mjs did not start: " + file_text(log));
  origin_ = std::string(tls_certificate ? "https://localhost:" : "http://127.0.0.1:") +
            port.substr(0, port.size() - 1);
}

std::string LoopbackGeocoder::last_query() {
  namespace http = boost::beast::http;
  boost::asio::io_context io;
  boost::beast::tcp_stream stream(io);
  const auto port = origin_.substr(origin_.rfind(':') + 1);
  boost::asio::ip::tcp::resolver resolver(io);
  stream.connect(resolver.resolve("127.0.0.1", port));
  http::request<http::empty_body> request{http::verb::get, "/last", 11};
  request.set(http::field::host, "127.0.0.1");
  http::write(stream, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> answer;
  http::read(stream, buffer, answer);
  return answer.body();
}

}  // namespace puente::test
