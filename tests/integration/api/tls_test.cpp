// A node with a certificate serves HTTPS and WSS itself: reports and alerts flow over TLS
// between two nodes; a plain-HTTP client and a client that does not trust the certificate get
// nowhere; SIGHUP serves a renewed certificate to new connections while the open socket keeps
// getting alerts, and a renewal that does not load leaves the old certificate served. Forward
// secrecy, checked with `openssl s_client` as an independent client: a TLS 1.2 static-RSA suite
// is refused, an ECDHE one is taken, and no session ticket is issued.
#include "test_network.hpp"

#include "child_process.hpp"
#include "connection_error.hpp"
#include "file_text.hpp"
#include "wait_until.hpp"

#include <gtest/gtest.h>

namespace puente::test {
namespace {

namespace http = boost::beast::http;

class Tls : public ::testing::Test {
 protected:
  TestNetwork net;
  TestCertificate certificate = net.serve_tls();
  std::unique_ptr<PuentedNode> a = net.start_node("a");
  std::unique_ptr<PuentedNode> b = net.start_node("b");

  // A fresh connection to `node` that trusts only `ca_file`: the status of /healthz, or the
  // reason it failed.
  static std::string fresh_health(const PuentedNode& node, const std::filesystem::path& ca_file) {
    auto address = node.address();
    address.ca_file = ca_file;
    try {
      return std::to_string(
          client::HttpClient(address).request(http::verb::get, "/healthz").status);
    } catch (const client::ConnectionError& e) {
      return e.what();
    }
  }

  // A counter of `node`'s, asked over a fresh connection that trusts `ca_file`.
  long long metric(const PuentedNode& node, const std::string& name,
                   const std::filesystem::path& ca_file) {
    auto address = node.address();
    address.ca_file = ca_file;
    auto text = client::HttpClient(address)
                    .request(http::verb::get, "/metrics", {}, net.token("metrics"))
                    .body;
    auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stoll(text.substr(at + name.size() + 2));
  }

  void report_reaches(client::WsClient& observer, const Place& where) {
    auto reported = a->call(http::verb::post, "/v1/reports", net.token("op"),
                            report_json(where.lat, where.lon));
    ASSERT_EQ(reported.status, 201) << reported.body;
    EXPECT_TRUE(next_alert(observer)) << "no alert over WSS";
  }
};

TEST_F(Tls, ReportsAndAlertsFlowOverHttpsAndWss) {
  ASSERT_TRUE(a->address().tls);
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  report_reaches(*observer, boyle_heights);

  auto health = a->call(http::verb::get, "/healthz", "");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.header("Strict-Transport-Security").value_or(""), "max-age=31536000");
}

TEST_F(Tls, APlainHttpClientGetsNoAnswerAndTheNodeServesOn) {
  client::HttpClient plain("127.0.0.1", a->port(), std::chrono::seconds(3));
  EXPECT_THROW(plain.request(http::verb::get, "/healthz"), client::ConnectionError);
  EXPECT_EQ(fresh_health(*a, certificate.certificate), "200");
  EXPECT_GE(metric(*a, "puente_tls_handshake_failures_total", certificate.certificate), 1);
}

TEST_F(Tls, AClientRefusesACertificateItDoesNotTrust) {
  auto stranger = make_test_certificate(net.dir(), "stranger", "someone-else");
  EXPECT_NE(fresh_health(*a, stranger.certificate).find("certificate verify failed"),
            std::string::npos)
      << fresh_health(*a, stranger.certificate);
  client::WsClient socket;
  auto address = a->address();
  address.ca_file = stranger.certificate;
  EXPECT_THROW(socket.connect(address), client::ConnectionError);
}

TEST_F(Tls, SighupServesARenewedCertificateWhileOpenSocketsStay) {
  auto observer = b->socket(net.token("obs-bh"), {"boyle-heights"});
  auto first = net.dir() / "first.crt";
  std::filesystem::copy_file(certificate.certificate, first);

  make_test_certificate(net.dir(), "node", "puente-test-renewed");
  b->process().hang_up();
  // A new connection that trusts only the renewed certificate gets through once B serves it.
  EXPECT_TRUE(wait_until([&] { return fresh_health(*b, certificate.certificate) == "200"; }))
      << fresh_health(*b, certificate.certificate);
  EXPECT_NE(fresh_health(*b, first).find("certificate verify failed"), std::string::npos);
  EXPECT_EQ(metric(*b, "puente_tls_reloads_total", certificate.certificate), 1);
  // The socket opened before the renewal was not dropped.
  report_reaches(*observer, boyle_heights_spot(1));

  // A renewal that does not load (a certificate without its key) changes nothing.
  auto renewed = net.dir() / "renewed.crt";
  std::filesystem::copy_file(certificate.certificate, renewed);
  auto stranger = make_test_certificate(net.dir(), "stranger", "someone-else");
  std::filesystem::copy_file(stranger.certificate, certificate.certificate,
                             std::filesystem::copy_options::overwrite_existing);
  b->process().hang_up();
  EXPECT_TRUE(wait_until([&] {
    return file_text(b->log_path()).find("the TLS certificate was not reloaded") !=
           std::string::npos;
  }));
  EXPECT_EQ(fresh_health(*b, renewed), "200");
  EXPECT_EQ(metric(*b, "puente_tls_reloads_total", renewed), 1);
  report_reaches(*observer, boyle_heights_spot(2));
}

// A node serving an RSA certificate, as many deployed ones are: only with one could a client
// get a static-RSA suite (an ECDSA certificate cannot serve them).
class TlsForwardSecrecy : public ::testing::Test {
 protected:
  TestNetwork net;
  TestCertificate certificate = serve_rsa();
  std::unique_ptr<PuentedNode> a = net.start_node("a");

  TestCertificate serve_rsa() {
    net.serve_tls();  // the node's [tls] files, replaced by an RSA pair of the same names
    return make_test_certificate(net.dir(), "node", "puente-test-rsa", KeyType::rsa2048);
  }

  struct Handshake {
    bool completed = false;  // s_client exited 0 after a handshake that chose a cipher
    std::string output;      // what it printed: the session, its cipher, any ticket
  };

  // One `openssl s_client` connection to the node with `args`. Its stdin is empty: it says
  // nothing, prints the session and leaves.
  Handshake s_client(const std::string& name, const std::vector<std::string>& args) {
    auto log = net.dir() / (name + ".s_client.log");
    std::vector<std::string> all{
        "s_client",  "-connect", "127.0.0.1:" + std::to_string(a->port()), "-servername",
        "localhost", "-CAfile",  certificate.certificate.string(),         "-verify_return_error"};
    all.insert(all.end(), args.begin(), args.end());
    ChildProcess client("openssl", all, log);
    auto exit = client.wait_for_exit(std::chrono::seconds(30));
    Handshake h{exit && exit->exited && exit->code == 0, file_text(log)};
    h.completed = h.completed && h.output.find("Cipher is ") != std::string::npos &&
                  h.output.find("Cipher is (NONE)") == std::string::npos;
    return h;
  }
};

TEST_F(TlsForwardSecrecy, AStaticRsaSuiteIsRefused) {
  auto refused = s_client("static-rsa", {"-tls1_2", "-cipher", "AES128-GCM-SHA256"});
  EXPECT_FALSE(refused.completed) << refused.output;
  EXPECT_NE(refused.output.find("handshake failure"), std::string::npos) << refused.output;
  // The node serves on: the same client offering the suites a browser offers gets through.
  auto browser = s_client("browser", {"-tls1_2"});
  EXPECT_TRUE(browser.completed) << browser.output;
}

TEST_F(TlsForwardSecrecy, AnEcdheHandshakeSucceedsAndNoSessionTicketIsIssued) {
  auto session = net.dir() / "tls12.session";
  auto tls12 = s_client("tls12", {"-tls1_2", "-sess_out", session.string()});
  ASSERT_TRUE(tls12.completed) << tls12.output;
  EXPECT_NE(tls12.output.find("Cipher is ECDHE-RSA-"), std::string::npos) << tls12.output;
  EXPECT_NE(tls12.output.find("SSL-Session:"), std::string::npos) << tls12.output;
  EXPECT_EQ(tls12.output.find("TLS session ticket"), std::string::npos) << tls12.output;
  // The saved session holds no ticket either (openssl sess_id prints one if it does).
  auto text = net.dir() / "tls12.session.txt";
  ChildProcess sess_id("openssl", {"sess_id", "-in", session.string(), "-noout", "-text"}, text);
  auto exit = sess_id.wait_for_exit(std::chrono::seconds(30));
  ASSERT_TRUE(exit && exit->exited && exit->code == 0) << file_text(text);
  EXPECT_NE(file_text(text).find("TLSv1.2"), std::string::npos) << file_text(text);
  EXPECT_EQ(file_text(text).find("TLS session ticket"), std::string::npos) << file_text(text);
}

TEST(TlsStart, AKeyThatDoesNotMatchTheCertificateStopsTheNodeSayingWhy) {
  TestNetwork net;
  auto made = net.serve_tls();
  auto stranger = make_test_certificate(net.dir(), "stranger", "someone-else");
  std::filesystem::copy_file(stranger.private_key, made.private_key,
                             std::filesystem::copy_options::overwrite_existing);
  auto text = net.start_failure("a");
  EXPECT_NE(text.find("does not match the certificate"), std::string::npos) << text;
}

}  // namespace
}  // namespace puente::test
