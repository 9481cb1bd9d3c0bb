// A response goes out as its head (response_head) and its body, two plain buffers, instead of
// through Beast's serializer (net/http_session.cpp, issue 22): the bytes must be the ones Beast
// writes, for every shape of answer the node gives.
#include "net/http_types.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace puente::net {
namespace {

// What Beast's serializer writes for the response (operator<< runs it).
std::string beast_bytes(const Response& response) {
  std::ostringstream out;
  out << response;
  return out.str();
}

void expect_beast_bytes(Response response) {
  response.prepare_payload();
  EXPECT_EQ(response_head(response) + response.body(), beast_bytes(response));
}

TEST(ResponseHead, TheBytesBeastWritesForAJsonAnswer) {
  auto response = json_response(http::status::created, R"({"report":{"id":"rep-1"}})");
  response.keep_alive(true);
  response.set(http::field::server, "puented");
  add_security_headers(response, content_security_policy());
  expect_beast_bytes(response);
  response.keep_alive(false);  // "Connection: close"
  expect_beast_bytes(response);
}

TEST(ResponseHead, TheBytesBeastWritesForEveryStatusLine) {
  expect_beast_bytes(Response{http::status::no_content, 11});  // no body
  expect_beast_bytes(Response{http::status::too_many_requests, 11});
  Response old_client{http::status::ok, 10};  // HTTP/1.0, kept alive on request
  old_client.keep_alive(true);
  old_client.body() = "ok";
  expect_beast_bytes(old_client);
  Response own_reason{http::status::ok, 11};
  own_reason.reason("Fine");
  expect_beast_bytes(own_reason);
  Response unknown;  // a code Beast has no reason for
  unknown.result(299);
  unknown.body() = "x";
  expect_beast_bytes(unknown);
}

TEST(ResponseHead, TheBytesBeastWritesForRepeatedAndUnknownFields) {
  Response response{http::status::ok, 11};
  response.insert("Set-Cookie", "a=1");
  response.insert("Set-Cookie", "b=2");
  response.set("X-Puente-Empty", "");
  response.set(http::field::retry_after, "3");
  response.body() = std::string(70000, 'b');  // larger than one write
  expect_beast_bytes(response);
}

}  // namespace
}  // namespace puente::net
