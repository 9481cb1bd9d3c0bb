#pragma once
// A real Kannel started for a test: bearerbox, Kannel's fake SMS centre `fakesmsc` (from
// kannel-extras) standing in for the phone network, and smsbox, each on free loopback ports,
// with a config in a temp dir. bearerbox runs an smsc of type "fake" that listens; fakesmsc
// connects to it, prints every text the gateway sends ("Got message N: <from to type data>"),
// and sends the texts it was started with as if typed on a phone.
//
//   puente::test::KannelGateway kannel(credentials_fragment);   // sendsms-user + sms-service
//   ... SendsmsClient to 127.0.0.1:kannel.sendsms_port() ...
//   ASSERT_TRUE(wait_until([&] { return kannel.phone_received().size() == 2; }));
//   kannel.phone_sends("+13235550123 5550000 text 2 B");       // a reply, from that number
//
// `credentials_fragment` is the Kannel config fragment puented reads too (gateway_credentials.hpp
// of channels/sms): kannel.conf includes it, as deploy/kannel/kannel.conf does.
//
// Needs /usr/sbin/bearerbox, /usr/sbin/smsbox and /usr/lib/kannel/test/fakesmsc (Debian's kannel
// and kannel-extras; deploy/install-deps.sh): the constructor throws naming what is missing.

#include "child_process.hpp"
#include "temp_dir.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace puente::test {

// A text as fakesmsc received it from the gateway, decoded to UTF-8.
struct PhoneSms {
  std::string from;
  std::string to;
  std::string type;  // "text" (GSM-7, as UTF-8), "data" (8-bit), "ucs-2" (UTF-16BE on the air)
  std::string text;
};

// The secrets puented and Kannel share, made by deploy/kannel/make-credentials.sh as an operator
// makes them and written to `file`, with a post-url to puented at `puented_url`
// ("http://127.0.0.1:8080"). Returns the fragment; throws std::runtime_error with the script's
// output if it fails.
std::string make_gateway_credentials(const std::filesystem::path& file,
                                     const std::string& puented_url);

class KannelGateway {
 public:
  // Starts all three and waits (up to 30 s) until bearerbox reports the fake SMSC online and
  // smsbox connected, on other ports again if a box ended because one was taken. Throws
  // std::runtime_error with the logs' tails otherwise.
  explicit KannelGateway(const std::string& credentials_fragment);
  ~KannelGateway();

  KannelGateway(const KannelGateway&) = delete;
  KannelGateway& operator=(const KannelGateway&) = delete;

  // Which of Kannel's programs this machine lacks ("" if none).
  static std::string missing_programs();

  unsigned short sendsms_port() const { return sendsms_port_; }

  // Every text the phone network (fakesmsc) received so far, in order; a text Kannel sent in
  // several parts (longer than a segment) once all its parts came, joined.
  std::vector<PhoneSms> phone_received() const;

  // A phone sends a text: fakesmsc is restarted to send `line` once ("<from> <to> text <words>",
  // or "<from> <to> ucs2 <url-encoded UTF-16BE>"); waits until it is connected again.
  void phone_sends(const std::string& line);

  // Kannel down and back, for tests of texts queued while it is: smsbox is stopped (its sendsms
  // port refuses connections, as when Kannel is not running), then started again, and waited
  // for until bearerbox reports it connected.
  void stop_smsbox();
  void start_smsbox();

  // The logs, for a failure message.
  std::string logs() const;

 private:
  // Picks the ports, writes kannel.conf, starts all three and waits; throws as the constructor.
  void start_on_fresh_ports();
  void start_fakesmsc(const std::vector<std::string>& messages);
  bool status_says(const std::string& what) const;
  void wait_for(const std::string& status_text, const std::string& what);

  TempDir dir_;
  unsigned short admin_port_ = 0;
  unsigned short smsbox_port_ = 0;
  unsigned short fake_port_ = 0;
  unsigned short sendsms_port_ = 0;
  std::unique_ptr<ChildProcess> bearerbox_;
  std::unique_ptr<ChildProcess> fakesmsc_;
  std::unique_ptr<ChildProcess> smsbox_;
};

}  // namespace puente::test
