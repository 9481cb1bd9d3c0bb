#pragma once
// A transport failure: the server could not be reached, did not answer in time, or dropped the
// connection. What it says names the address ("cannot connect to 127.0.0.1:8080: Connection
// refused"). Callers tell it apart from a server's error answer (an HTTP status, a WebSocket
// {"error": ...}) or a malformed message (plain std::runtime_error).

#include <stdexcept>
#include <string>

namespace puente::client {

class ConnectionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace puente::client
