#pragma once
// A test network with SMS on, for the SMS routes' tests (sms_*_test.cpp): the caller key, the
// gateway credentials made by deploy/kannel/make-credentials.sh as an operator makes them, and
// phones in the roster: obs-bh (Boyle Heights, reads Spanish) has kAnaPhone, att-bh (Boyle
// Heights, English) kBenPhone, both with channels ["push", "sms"]. Nothing sends texts here: the
// sender's records (sms-codes, sms-text) are written into Redis as the sender writes them.

#include "file_text.hpp"
#include "kannel_gateway.hpp"
#include "test_network.hpp"

#include "channels/sms/gateway_credentials.hpp"
#include "puente/v1/json.hpp"

#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <stdexcept>
#include <string>

namespace puente::test {

inline constexpr const char* kAnaPhone = "+13235550123";  // obs-bh
inline constexpr const char* kBenPhone = "+13235550124";  // att-bh
inline constexpr const char* kNetworkNumber = "5550000";

class SmsNetwork {
 public:
  // `extra_sms`: more [sms] lines ("max_per_hour = 3").
  explicit SmsNetwork(const std::string& extra_sms = "")
      : net("[privacy]\ncaller_key_file = \"caller.key\"\n[sms]\ncredentials_file = "
            "\"puente-kannel.conf\"\nfrom = \"" +
            std::string(kNetworkNumber) + "\"\n" + extra_sms + "\n") {
    std::ofstream(net.dir() / "caller.key") << std::string(32, 'k');
    // Kannel's post-url gets the node's port once it listens (fragment_for); puented reads only
    // the credentials from it.
    fragment = make_gateway_credentials(net.dir() / "puente-kannel.conf", "http://127.0.0.1:1");
    credentials = sms::GatewayCredentials::parse(fragment);
    give_phone("obs-bh", kAnaPhone);
    give_phone("att-bh", kBenPhone);
  }

  // Kannel's Authorization header.
  std::string basic() const {
    const std::string pair = credentials.gateway_username + ":" + credentials.gateway_password;
    std::string out(4 * ((pair.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(pair.data()),
                                  static_cast<int>(pair.size()));
    out.resize(static_cast<std::size_t>(n));
    return "Basic " + out;
  }

  // The fragment Kannel includes, its post-url pointed at `node`.
  std::string fragment_for(const PuentedNode& node) const {
    return std::regex_replace(fragment, std::regex("@127\\.0\\.0\\.1:1/"),
                              "@127.0.0.1:" + std::to_string(node.port()) + "/");
  }

  // A text from `from` as smsbox's sms-service posts it (deploy/kannel's post-url query), with
  // `authorization` ("" for none).
  client::HttpResponse inbound(PuentedNode& node, const std::string& from, const std::string& text,
                               const std::string& kannel_id, const std::string& authorization) {
    client::HttpClient http(node.address());
    client::Headers headers;
    if (!authorization.empty()) headers.emplace_back("Authorization", authorization);
    std::string encoded_from = from;
    if (!encoded_from.empty() && encoded_from[0] == '+') encoded_from = "%2B" + from.substr(1);
    return http.request(boost::beast::http::verb::post,
                        "/v1/sms/inbound?from=" + encoded_from + "&to=" + kNetworkNumber +
                            "&coding=0&charset=UTF-8&time=1765000000&id=" + kannel_id,
                        text, "", "text/plain; charset=\"UTF-8\"", headers);
  }

  // What the sender writes when smsbox takes a text for `responder` (docs/sms.md, keys.hpp
  // sms-codes): here written directly, as the sender would, since this test sends nothing.
  void texted(const std::string& responder, const std::string& incident, const std::string& alert,
              const std::string& letter = "latest") {
    ASSERT_EQ(net.redis_integer("HSET puente:sms-codes:" + responder + " " + letter + " \"" +
                                incident + " " + alert + "\""),
              1);
  }

  // The incident and alert a RAID report in Boyle Heights opened (obs-bh and att-bh get it).
  std::pair<std::string, std::string> open_raid(PuentedNode& node, Place where = boyle_heights) {
    auto response = node.call(boost::beast::http::verb::post, "/v1/reports", net.token("op"),
                              report_json(where.lat, where.lon));
    EXPECT_EQ(response.status, 201u) << response.body;
    v1::ReportReceipt receipt;
    EXPECT_EQ(wire::from_json(response.body, receipt), "");
    if (receipt.incident().alerts_size() == 0) {
      ADD_FAILURE() << "the report sent no alert: " << response.body;
      return {};
    }
    return {receipt.incident().id(), receipt.incident().alerts(0).id()};
  }

  // Texts counted against the budget, every hour together (keys.hpp sms-count).
  long long texts_counted() const {
    return net.redis_integer(
        R"(EVAL "local n = 0 for _, k in ipairs(redis.call('KEYS', 'puente:sms-count:*')) do )"
        R"(n = n + tonumber(redis.call('GET', k)) end return n" 0)");
  }

  v1::Incident incident(PuentedNode& node, const std::string& id) {
    v1::Incident incident;
    const auto response =
        node.call(boost::beast::http::verb::get, "/v1/incidents/" + id, net.token("disp"));
    EXPECT_EQ(response.status, 200u) << response.body;
    EXPECT_EQ(wire::from_json(response.body, incident), "");
    return incident;
  }

  // The states `responder` acked on `incident`, in order.
  std::vector<v1::AckState> acks_of(PuentedNode& node, const std::string& id,
                                    const std::string& responder) {
    std::vector<v1::AckState> states;
    const auto read = incident(node, id);  // kept: a loop over a temporary's field dangles
    for (const auto& ack : read.acks())
      if (ack.responder_id() == responder) states.push_back(ack.state());
    return states;
  }

  TestNetwork net;
  std::string fragment;
  sms::GatewayCredentials credentials;

 private:
  void give_phone(const std::string& id, const std::string& phone) {
    const auto path = net.dir() / "roster.toml";
    std::string roster = file_text(path);
    const std::string line = "id = \"" + id + "\"\n";
    const auto at = roster.find(line);
    if (at == std::string::npos) throw std::runtime_error("no " + id + " in the test roster");
    roster.insert(at + line.size(), "phone = \"" + phone + "\"\nchannels = [\"push\", \"sms\"]\n");
    std::ofstream(path) << roster;
  }
};

}  // namespace puente::test
