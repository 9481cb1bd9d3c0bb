// The WebSocket's rules: a hello first, with a valid token, for neighborhoods the roster
// gives; no hello in time, or a bad frame before it, closes the socket; bad frames after it get
// an error and change nothing.
#include "test_network.hpp"

#include "connection_error.hpp"
#include "puente/v1/json.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

using namespace std::chrono_literals;

class SocketRules : public ::testing::Test {
 protected:
  TestNetwork net;
  std::unique_ptr<PuentedNode> node = net.start_node("a");

  // The error the server answers `text` with.
  v1::ErrorBody error_for(client::WsClient& socket, const std::string& text) {
    socket.send_text(text);
    auto answer = read_until(socket, [](const v1::ServerMessage& m) { return m.has_error(); });
    EXPECT_TRUE(answer) << "no error for " << text;
    return answer ? answer->error() : v1::ErrorBody{};
  }

  // True once the server has closed the socket.
  static bool closed_by_server(client::WsClient& socket) {
    try {
      while (socket.read(socket_wait)) {
      }
      return false;
    } catch (const client::ConnectionError&) {
      return true;
    }
  }

  std::string hello(const std::string& token, const std::string& subscriptions = "",
                    bool board = false) {
    return R"({"hello":{"token":")" + token + R"(","subscriptions":[)" + subscriptions + "]" +
           (board ? R"(,"board":true)" : "") + "}}";
  }
};

TEST_F(SocketRules, ABadTokenGetsAnErrorAndTheSocketIsClosed) {
  auto socket = node->raw_socket();
  EXPECT_EQ(error_for(*socket, hello("wrong")).code(), "bad_token");
  EXPECT_TRUE(closed_by_server(*socket));
}

TEST_F(SocketRules, AnythingBeforeHelloIsRefused) {
  auto socket = node->raw_socket();
  EXPECT_EQ(error_for(*socket, R"({"ping":{}})").code(), "hello_first");
  EXPECT_TRUE(closed_by_server(*socket));
}

TEST_F(SocketRules, ABadFrameBeforeHelloIsAnsweredOnceAndClosesTheSocket) {
  // One answer, then the close: a client pipelining bad frames gets no answer for each
  // (issue 15, item 2; socket_memory_test.cpp floods it). Text and binary alike.
  for (bool binary : {false, true}) {
    auto socket = node->raw_socket();
    for (int i = 0; i < 3; ++i) {
      if (binary)
        socket->send_binary(std::string("\xff\xff\xff\xff\x0f", 5));
      else
        socket->send_text("x");
    }
    int errors = 0;
    bool closed = false;
    try {
      while (auto message = socket->read_message(socket_wait)) {
        EXPECT_EQ(message->error().code(), "bad_message");
        ++errors;
      }
    } catch (const client::ConnectionError&) {
      closed = true;
    }
    EXPECT_TRUE(closed) << (binary ? "binary" : "text");
    EXPECT_EQ(errors, 1) << (binary ? "binary" : "text");
  }
}

TEST_F(SocketRules, NoHelloInTimeClosesTheSocket) {
  auto socket = node->raw_socket();  // ws_hello_seconds = 2 in tests
  EXPECT_TRUE(closed_by_server(*socket));
}

TEST_F(SocketRules, AnObserverMayFollowOnlyItsOwnNeighborhoods) {
  auto socket = node->raw_socket();
  EXPECT_EQ(error_for(*socket, hello(net.token("obs-bh"), R"({"neighborhood":"downtown"})")).code(),
            "forbidden");
  EXPECT_TRUE(closed_by_server(*socket));
}

TEST_F(SocketRules, UnknownNeighborhoodsAndBadOffsetsAreRefused) {
  auto a = node->raw_socket();
  EXPECT_EQ(error_for(*a, hello(net.token("disp"), R"({"neighborhood":"atlantis"})")).code(),
            "unknown_neighborhood");
  auto b = node->raw_socket();
  EXPECT_EQ(error_for(*b, hello(net.token("disp"),
                                R"({"neighborhood":"downtown","sinceOffset":"yesterday"})"))
                .code(),
            "bad_offset");
}

TEST_F(SocketRules, OnlyDispatchersMayWatchTheBoard) {
  auto socket = node->raw_socket();
  EXPECT_EQ(error_for(*socket, hello(net.token("vol-bh"), "", true)).code(), "forbidden");
}

TEST_F(SocketRules, AHelloWithoutSubscriptionsFollowsTheRostersNeighborhoods) {
  auto socket = node->raw_socket();
  socket->send_text(hello(net.token("att-bh")));
  auto welcome = socket->read_message(socket_wait);
  ASSERT_TRUE(welcome && welcome->has_welcome());
  ASSERT_EQ(welcome->welcome().subscriptions_size(), 1);
  EXPECT_EQ(welcome->welcome().subscriptions(0).neighborhood(), "boyle-heights");
  EXPECT_EQ(welcome->welcome().responder().id(), "att-bh");
}

TEST_F(SocketRules, BadFramesAfterHelloGetAnErrorAndTheSocketLives) {
  auto socket = node->socket(net.token("obs-bh"), {"boyle-heights"});
  EXPECT_EQ(error_for(*socket, "{not json").code(), "bad_message");
  EXPECT_EQ(error_for(*socket, R"({"ack":{"alertId":"x"}})").code(), "missing_incident");
  EXPECT_EQ(error_for(*socket, hello(net.token("obs-bh"))).code(), "repeated_hello");
  socket->send_text(R"({"ping":{},"requestId":"p1"})");
  auto pong = read_until(*socket, [](const v1::ServerMessage& m) { return m.has_pong(); });
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->request_id(), "p1");
}

TEST_F(SocketRules, BinaryClientsGetBinaryFrames) {
  auto socket = node->raw_socket();
  v1::ClientMessage hello_message;
  hello_message.mutable_hello()->set_token(net.token("obs-bh"));
  hello_message.mutable_hello()->add_subscriptions()->set_neighborhood("boyle-heights");
  socket->send_binary(hello_message.SerializeAsString());
  auto welcome = socket->read(socket_wait);
  ASSERT_TRUE(welcome);
  EXPECT_TRUE(socket->last_was_binary());
  v1::ServerMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(*welcome));
  EXPECT_TRUE(parsed.has_welcome());

  ASSERT_EQ(node->call(boost::beast::http::verb::post, "/v1/reports", net.token("op"),
                       report_json(boyle_heights.lat, boyle_heights.lon))
                .status,
            201u);
  auto alert = socket->read(socket_wait);
  ASSERT_TRUE(alert);
  EXPECT_TRUE(socket->last_was_binary());
  ASSERT_TRUE(parsed.ParseFromString(*alert));
  EXPECT_EQ(parsed.alert().type(), v1::VERIFY);
}

TEST_F(SocketRules, OversizedAndMalformedFramesAreRefusedAndTheNodeKeepsServing) {
  // Over limits.ws_message_bytes (64 KiB by default), before and after the hello: closed.
  auto early = node->raw_socket();
  early->send_text(std::string(70 * 1024, ' '));
  EXPECT_TRUE(closed_by_server(*early));
  auto big = node->socket(net.token("obs-bh"), {"boyle-heights"});
  big->send_text(R"({"ping":{},"requestId":")" + std::string(70 * 1024, 'x') + "\"}");
  EXPECT_TRUE(closed_by_server(*big));
  // A text frame that is not UTF-8 breaks the WebSocket protocol itself: closed.
  auto garbled = node->socket(net.token("obs-bh"), {"boyle-heights"});
  garbled->send_text("{\"ping\":{},\"requestId\":\"\xff\xfe\"}");
  EXPECT_TRUE(closed_by_server(*garbled));

  // Well-framed nonsense gets an error and the socket lives.
  auto socket = node->socket(net.token("obs-bh"), {"boyle-heights"});
  // The node vouches for the observer's presence once the socket has said hello: a write of its
  // own, which may land after the welcome.
  ASSERT_TRUE(wait_until([&] { return net.redis_integer("EXISTS puente:presence") == 1; }));
  const auto keys_before = net.redis_key_count();
  socket->send_binary(std::string("\xff\xff\xff\xff\x0f", 5));
  auto answer = read_until(*socket, [](const v1::ServerMessage& m) { return m.has_error(); });
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->error().code(), "bad_message");
  EXPECT_EQ(
      error_for(*socket, R"({"ack":{"alertId":"al-1","incidentId":"inc-1","state":99}})").code(),
      "bad_state");
  EXPECT_EQ(error_for(*socket, R"({"report":{"kind":99,"neighborhood":"boyle-heights"}})").code(),
            "bad_kind");
  EXPECT_EQ(
      error_for(*socket, R"({"report":{"kind":"RAID","location":{"lat":"NaN","lon":1}}})").code(),
      "bad_location");
  EXPECT_EQ(error_for(*socket, "[" + std::string(20000, '[')).code(), "bad_message");
  socket->send_text(R"({"ping":{},"requestId":"still-here"})");
  auto pong = read_until(*socket, [](const v1::ServerMessage& m) { return m.has_pong(); });
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->request_id(), "still-here");
  EXPECT_EQ(net.redis_key_count(), keys_before) << "refused frames stored something";

  EXPECT_NO_THROW(node->socket(net.token("vol-bh"), {"boyle-heights"}));
  EXPECT_EQ(node->call(boost::beast::http::verb::get, "/healthz", "").status, 200u);
}

}  // namespace
}  // namespace puente::test
