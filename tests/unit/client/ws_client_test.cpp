// WsClient against a scripted server: frames both ways, reads that time out and resume,
// close reasons, refused upgrades, ServerMessage decoding.

#include "ws_client.hpp"
#include "connection_error.hpp"
#include "scripted_server.hpp"

#include <gtest/gtest.h>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <chrono>
#include <thread>

namespace puente::client {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;
using tcp = boost::asio::ip::tcp;
using testing::ScriptedServer;

// Accepts the upgrade, then runs `script` on the WebSocket.
ScriptedServer::Script websocket_script(
    std::function<void(websocket::stream<tcp::socket&>&)> script) {
  return [script](tcp::socket& socket) {
    websocket::stream<tcp::socket&> ws(socket);
    ws.accept();
    script(ws);
  };
}

// Echoes frames, text as text and binary as binary, until the client closes.
void echo_messages(websocket::stream<tcp::socket&>& ws) {
  for (;;) {
    beast::flat_buffer buffer;
    ws.read(buffer);
    ws.binary(!ws.got_text());
    ws.write(buffer.data());
  }
}

TEST(WsClient, SendsAndReadsTextAndBinaryFrames) {
  ScriptedServer server(websocket_script(echo_messages));
  WsClient client;
  client.connect("127.0.0.1", server.port());
  client.send_text(R"({"ping":{}})");
  EXPECT_EQ(client.read(2s), R"({"ping":{}})");
  EXPECT_FALSE(client.last_was_binary());
  client.send_binary(std::string("\x00\x01", 2));
  EXPECT_EQ(client.read(2s), std::string("\x00\x01", 2));
  EXPECT_TRUE(client.last_was_binary());
  client.close();
  EXPECT_FALSE(client.is_open());
}

TEST(WsClient, AReadThatTimesOutLeavesTheConnectionUsable) {
  ScriptedServer server(websocket_script([](auto& ws) {
    std::this_thread::sleep_for(300ms);
    ws.write(boost::asio::buffer(std::string("late")));
    echo_messages(ws);
  }));
  WsClient client;
  client.connect("127.0.0.1", server.port());
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client.read(50ms), std::nullopt);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 250ms);
  // A write while the read is still in flight.
  client.send_text("after");
  EXPECT_EQ(client.read(2s), "late");
  EXPECT_EQ(client.read(2s), "after");
}

TEST(WsClient, SaysWhyTheServerClosed) {
  ScriptedServer server(websocket_script([](auto& ws) {
    ws.close(websocket::close_reason(websocket::close_code::policy_error, "too slow"));
  }));
  WsClient client;
  client.connect("127.0.0.1", server.port());
  try {
    client.read(2s);
    FAIL() << "read past a close";
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("1008"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("too slow"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(client.is_open());
  EXPECT_THROW(client.send_text("x"), ConnectionError);
}

TEST(WsClient, ReportsARefusedUpgradeWithTheServersMessage) {
  ScriptedServer server([](tcp::socket& socket) {
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    http::read(socket, buffer, req);
    http::response<http::string_body> res{http::status::unauthorized, 11};
    res.body() = R"({"error":{"code":"unauthorized","message":"unknown token"}})";
    res.prepare_payload();
    http::write(socket, res);
  });
  WsClient client;
  try {
    client.connect("127.0.0.1", server.port());
    FAIL() << "upgrade went through";
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("401"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("unknown token"), std::string::npos) << e.what();
  }
}

TEST(WsClient, ConnectGivesUpAtTheDeadline) {
  // Accepts TCP but never answers the upgrade.
  ScriptedServer server([](tcp::socket&) { std::this_thread::sleep_for(1s); });
  WsClient client;
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(client.connect("127.0.0.1", server.port(), "/v1/ws", 200ms), ConnectionError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);
}

TEST(WsClient, ReadsServerMessagesFromJsonAndBinaryFrames) {
  ScriptedServer server(websocket_script([](auto& ws) {
    // A field this client does not know must not break it.
    ws.write(boost::asio::buffer(std::string(
        R"({"alert":{"id":"alr-1","offset":"1700000000000-0","type":"DISPATCH","shiny":1}})")));
    puente::v1::ServerMessage pong;
    pong.mutable_pong();
    ws.binary(true);
    ws.write(boost::asio::buffer(pong.SerializeAsString()));
    echo_messages(ws);
  }));
  WsClient client;
  client.connect("127.0.0.1", server.port());
  auto alert = client.read_message(2s);
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->alert().id(), "alr-1");
  EXPECT_EQ(alert->alert().type(), puente::v1::DISPATCH);
  auto pong = client.read_message(2s);
  ASSERT_TRUE(pong);
  EXPECT_TRUE(pong->has_pong());

  puente::v1::ClientMessage ping;
  ping.mutable_ping();
  ping.set_request_id("r1");
  client.send(ping);
  EXPECT_EQ(client.read(2s), R"({"ping":{},"requestId":"r1"})");
}

TEST(WsClient, DecodeRefusesGarbage) {
  EXPECT_THROW(decode_server_message("{not json", false), std::runtime_error);
  EXPECT_THROW(decode_server_message(std::string("\xff\xff\xff", 3), true), std::runtime_error);
}

}  // namespace
}  // namespace puente::client
