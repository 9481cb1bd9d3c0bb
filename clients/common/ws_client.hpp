#pragma once
// A blocking WebSocket client with deadlines, for /v1/ws.
//
// Like HttpClient it runs Beast's asynchronous operations on a private io_context. A read that
// times out is not cancelled (cancelling a Beast WebSocket operation fails the whole stream):
// it stays in flight, and the next read() picks up where it left off, so read(timeout) can be
// called in a loop to interleave reading with pings, acks and a check for Ctrl-C. Writes may
// be made while that read is pending. Control frames (ping, pong, close) are answered inside
// read().
//
// A wss:// or https:// address is spoken over TLS, the server's certificate checked
// (client_stream.hpp).
//
// Not thread-safe: one WsClient per thread.

#include "puente/v1/puente.pb.h"
#include "server_address.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace puente::client {

class WsClient {
 public:
  static constexpr std::chrono::milliseconds default_timeout{10'000};

  WsClient();
  // Drops the connection without a closing handshake; call close() for a polite goodbye.
  ~WsClient();
  WsClient(const WsClient&) = delete;
  WsClient& operator=(const WsClient&) = delete;

  // Connects and upgrades. `timeout` bounds the whole of it, and later writes and close().
  // Throws ConnectionError naming the address if the server cannot be reached, does not answer
  // in time, or refuses the upgrade (with the HTTP status and the server's error message).
  void connect(const std::string& host, unsigned short port, const std::string& target = "/v1/ws",
               std::chrono::milliseconds timeout = default_timeout);
  void connect(const ServerAddress& server, const std::string& target = "/v1/ws",
               std::chrono::milliseconds timeout = default_timeout);

  // Sends one frame. Throws ConnectionError if the connection is gone or the frame cannot be
  // written within the timeout (the connection is then dropped).
  void send_text(std::string_view text);
  void send_binary(std::string_view bytes);

  // The next data frame, or nullopt if none arrived within `timeout`. Throws ConnectionError
  // when the connection is closed (saying the close code and reason) or fails.
  std::optional<std::string> read(std::chrono::milliseconds timeout);
  // Was the frame last returned by read() binary?
  bool last_was_binary() const { return last_was_binary_; }

  // The message as a JSON text frame.
  void send(const puente::v1::ClientMessage& message);
  // The next message, from a JSON text frame or a binary frame; unknown fields are skipped.
  // Throws ConnectionError like read(), std::runtime_error for a frame that does not parse.
  std::optional<puente::v1::ServerMessage> read_message(std::chrono::milliseconds timeout);

  // Closing handshake (normal closure), then the connection is dropped; never throws. Waits at
  // most `timeout` for the server's side of the handshake and its TCP close.
  void close(std::chrono::milliseconds timeout = std::chrono::seconds(2));
  bool is_open() const;
  // "host:port" of the server, empty before connect().
  const std::string& address() const { return address_; }

 private:
  struct Link;  // the io_context, the stream, and the state of the read in flight

  void write(std::string_view data, bool binary);
  [[noreturn]] void fail(const std::string& what);

  std::string address_;
  std::chrono::milliseconds timeout_ = default_timeout;
  bool last_was_binary_ = false;
  std::unique_ptr<Link> link_;
};

// A ServerMessage from one frame as WsClient::read() returned it. Throws std::runtime_error
// saying why if it does not parse.
puente::v1::ServerMessage decode_server_message(std::string_view frame, bool binary);

}  // namespace puente::client
