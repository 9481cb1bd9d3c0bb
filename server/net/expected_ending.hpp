#pragma once
// The ways a connection ends that are nobody's fault worth a log line: the peer closed or reset
// it, a deadline passed, TLS ended without a close_notify (phones do), or this node cancelled the
// operation itself. The HTTP and WebSocket sessions both end quietly on these.

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>

namespace puente::net {

inline bool expected_ending(boost::beast::error_code ec) {
  namespace asio = boost::asio;
  return ec == boost::beast::http::error::end_of_stream ||
         ec == boost::beast::websocket::error::closed || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
         ec == boost::beast::error::timeout || ec == asio::ssl::error::stream_truncated;
}

}  // namespace puente::net
