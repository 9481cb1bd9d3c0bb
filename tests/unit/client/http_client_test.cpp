// HttpClient against a scripted server: keep-alive, reconnect, deadlines, error messages.

#include "http_client.hpp"
#include "connection_error.hpp"
#include "scripted_server.hpp"

#include <gtest/gtest.h>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <thread>

namespace puente::client {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using testing::ScriptedServer;
using tcp = boost::asio::ip::tcp;

// Answers `requests` requests on the connection with 200 and a JSON echo of what came.
ScriptedServer::Script echo(int requests, bool keep_alive = true) {
  return [=](tcp::socket& socket) {
    boost::beast::flat_buffer buffer;
    for (int i = 0; i < requests; ++i) {
      http::request<http::string_body> req;
      http::read(socket, buffer, req);
      http::response<http::string_body> res{http::status::ok, 11};
      res.set(http::field::content_type, "application/json");
      res.body() = std::string(req.target()) + " " + std::string(req[http::field::authorization]) +
                   " " + req.body();
      res.keep_alive(keep_alive);
      res.prepare_payload();
      http::write(socket, res);
    }
  };
}

TEST(HttpClient, ReusesOneConnectionAcrossRequests) {
  ScriptedServer server(echo(3));
  HttpClient client("127.0.0.1", server.port());
  for (int i = 0; i < 3; ++i) {
    auto res = client.request(http::verb::post, "/v1/acks", "{}", "tok");
    EXPECT_EQ(res.status, 200u);
    EXPECT_EQ(res.body, "/v1/acks Bearer tok {}");
    EXPECT_EQ(res.content_type, "application/json");
  }
  EXPECT_EQ(client.connections_opened(), 1u);
}

TEST(HttpClient, SendsNoAuthorizationWithoutToken) {
  ScriptedServer server(echo(1));
  HttpClient client("127.0.0.1", server.port());
  EXPECT_EQ(client.request(http::verb::get, "/healthz").body, "/healthz  ");
}

TEST(HttpClient, ReconnectsWhenTheServerClosedTheIdleConnection) {
  // One request a connection, then the server hangs up without saying so in the answer.
  ScriptedServer server(echo(1));
  HttpClient client("127.0.0.1", server.port());
  EXPECT_EQ(client.request(http::verb::get, "/a").status, 200u);
  std::this_thread::sleep_for(50ms);  // let the close arrive
  EXPECT_EQ(client.request(http::verb::get, "/b").body, "/b  ");
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(HttpClient, SurvivesAServerThatClosesAfterEveryAnswer) {
  // No pause: the close may or may not have arrived when the next request goes out; either
  // way the request must succeed (a peek finds the close, or the retry covers the race).
  ScriptedServer server(echo(1));
  HttpClient client("127.0.0.1", server.port());
  for (int i = 0; i < 20; ++i) EXPECT_EQ(client.request(http::verb::get, "/x").status, 200u);
}

TEST(HttpClient, HonorsConnectionClose) {
  ScriptedServer server(echo(1, /*keep_alive=*/false));
  HttpClient client("127.0.0.1", server.port());
  EXPECT_EQ(client.request(http::verb::get, "/a").status, 200u);
  EXPECT_EQ(client.request(http::verb::get, "/b").status, 200u);
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(HttpClient, GivesUpAtTheDeadlineNamingTheAddress) {
  ScriptedServer server([](tcp::socket&) { std::this_thread::sleep_for(1s); });
  HttpClient client("127.0.0.1", server.port(), 200ms);
  auto start = std::chrono::steady_clock::now();
  try {
    client.request(http::verb::get, "/v1/incidents");
    FAIL() << "no timeout";
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(server.port())),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("no answer"), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);
}

TEST(HttpClient, ReportsARefusedConnection) {
  unsigned short port;
  {
    boost::asio::io_context ioc;
    tcp::acceptor probe(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  HttpClient client("127.0.0.1", port);
  try {
    client.request(http::verb::get, "/healthz");
    FAIL() << "connected to a closed port";
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to 127.0.0.1:" + std::to_string(port)),
              std::string::npos)
        << e.what();
  }
}

TEST(HttpClient, RefusesATokenOrTargetThatWouldBreakTheRequest) {
  HttpClient client("127.0.0.1", 1);
  EXPECT_THROW(client.request(http::verb::get, "/", "", "tok\r\nX-Evil: 1"), std::invalid_argument);
  EXPECT_THROW(client.request(http::verb::get, "/a b HTTP/1.1\r\nX-Evil: 1"),
               std::invalid_argument);
  EXPECT_THROW(client.request(http::verb::get, "v1/incidents"), std::invalid_argument);
}

TEST(HttpClient, EncodesPathSegmentsAndQueryValues) {
  EXPECT_EQ(url_encode("inc-7f3a_~."), "inc-7f3a_~.");
  EXPECT_EQ(url_encode("a b/c?d&e"), "a%20b%2Fc%3Fd%26e");
}

}  // namespace
}  // namespace puente::client
