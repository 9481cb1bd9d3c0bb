// A real Kannel for a test (see kannel_gateway.hpp): the config it writes, the three programs
// it starts, and fakesmsc's log read back as the texts a phone received.

#include "kannel_gateway.hpp"

#include "file_text.hpp"
#include "free_port.hpp"
#include "wait_until.hpp"

#include "core/utf8.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace puente::test {

std::string make_gateway_credentials(const std::filesystem::path& file,
                                     const std::string& puented_url) {
  const auto log = file.parent_path() / (file.filename().string() + ".log");
  ChildProcess script(std::string(PUENTE_SOURCE_DIR) + "/deploy/kannel/make-credentials.sh",
                      {file.string(), puented_url}, log);
  const auto exit = script.wait_for_exit(std::chrono::seconds(30));
  if (!exit || !exit->exited || exit->code != 0)
    throw std::runtime_error("make-credentials.sh failed: " + file_text(log));
  return file_text(file);
}

namespace {

const std::filesystem::path kBearerbox = "/usr/sbin/bearerbox";
const std::filesystem::path kSmsbox = "/usr/sbin/smsbox";
const std::filesystem::path kFakesmsc = "/usr/lib/kannel/test/fakesmsc";
constexpr const char* kAdminPassword = "kannel-test-admin";

std::string tail_of(const std::filesystem::path& path, std::size_t bytes = 3000) {
  const std::string text = file_text(path);
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Kannel's octstr_url_decode: %XX and '+' for a space.
std::string url_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() + 0 && hex_digit(text[i + 1]) >= 0 &&
        hex_digit(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

}  // namespace

std::string KannelGateway::missing_programs() {
  std::string missing;
  for (const auto& program : {kBearerbox, kSmsbox, kFakesmsc})
    if (!std::filesystem::exists(program))
      missing += (missing.empty() ? "" : ", ") + program.string();
  return missing;
}

KannelGateway::KannelGateway(const std::string& credentials_fragment) : dir_("puente-kannel-") {
  if (const auto missing = missing_programs(); !missing.empty())
    throw std::runtime_error("Kannel is not installed (" + missing +
                             "): apt-get install kannel kannel-extras (deploy/install-deps.sh)");
  std::ofstream(dir_.path() / "puente-kannel.conf") << credentials_fragment;
  // A port free_port() picked may be taken before bearerbox or smsbox binds it (another test's
  // server, an outgoing connection): the box then ends at once ("bind failed", PANIC), and the
  // whole gateway starts again on other ports.
  for (int attempt = 1;; ++attempt) {
    try {
      start_on_fresh_ports();
      return;
    } catch (const std::runtime_error&) {
      const bool a_box_ended = !bearerbox_->running() || (smsbox_ && !smsbox_->running());
      if (!a_box_ended || attempt == kPortAttempts) throw;
    }
    smsbox_.reset();
    fakesmsc_.reset();
    bearerbox_.reset();
  }
}

void KannelGateway::start_on_fresh_ports() {
  admin_port_ = free_port();
  smsbox_port_ = free_port();
  fake_port_ = free_port();
  sendsms_port_ = free_port();
  const auto& dir = dir_.path();
  std::ofstream(dir / "kannel.conf", std::ios::trunc)
      << "group = core\n"
      << "admin-port = " << admin_port_ << "\n"
      << "admin-password = " << kAdminPassword << "\n"
      << "admin-interface = 127.0.0.1\nadmin-allow-ip = \"127.0.0.1\"\n"
      << "smsbox-port = " << smsbox_port_ << "\n"
      << "box-allow-ip = \"127.0.0.1\"\n"
      << "log-file = \"" << (dir / "bearerbox.log").string() << "\"\nlog-level = 0\n"
      << "dlr-storage = internal\n\n"
      << "group = smsc\nsmsc = fake\nsmsc-id = fake\n"
      << "port = " << fake_port_ << "\n"
      << "connect-allow-ip = \"127.0.0.1\"\n\n"
      << "group = smsbox\nbearerbox-host = 127.0.0.1\n"
      << "bearerbox-port = " << smsbox_port_ << "\n"
      << "sendsms-port = " << sendsms_port_ << "\n"
      << "sendsms-interface = 127.0.0.1\n"
      << "mo-recode = true\n"
      << "log-file = \"" << (dir / "smsbox.log").string() << "\"\nlog-level = 0\n\n"
      << "include = \"" << (dir / "puente-kannel.conf").string() << "\"\n";

  bearerbox_ = std::make_unique<ChildProcess>(
      kBearerbox.string(), std::vector<std::string>{(dir / "kannel.conf").string()},
      dir / "bearerbox.out");
  // fakesmsc gives up if bearerbox's fake SMSC is not listening yet: start it again until it is.
  start_fakesmsc({});
  start_smsbox();
}

void KannelGateway::stop_smsbox() {
  smsbox_->terminate();
  smsbox_.reset();
}

void KannelGateway::start_smsbox() {
  const auto& dir = dir_.path();
  smsbox_ = std::make_unique<ChildProcess>(kSmsbox.string(),
                                           std::vector<std::string>{(dir / "kannel.conf").string()},
                                           dir / "smsbox.out");
  wait_for("smsbox:", "smsbox connected");
}

KannelGateway::~KannelGateway() {
  // smsbox first, so it does not log bearerbox's absence; each is reaped.
  if (smsbox_) smsbox_->terminate();
  if (fakesmsc_) fakesmsc_->terminate();
  if (bearerbox_) bearerbox_->terminate();
}

void KannelGateway::start_fakesmsc(const std::vector<std::string>& messages) {
  std::vector<std::string> args{"-H", "127.0.0.1", "-r", std::to_string(fake_port_),
                                "-i", "0",         "-m", std::to_string(messages.size())};
  // With nothing to send, a message that is never sent: -m 0 sends none.
  if (messages.empty()) args.push_back("+10000000000 0 text unused");
  args.insert(args.end(), messages.begin(), messages.end());
  const std::string online = "FAKE:" + std::to_string(fake_port_) + " (online";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  for (;;) {
    fakesmsc_ =
        std::make_unique<ChildProcess>(kFakesmsc.string(), args, dir_.path() / "fakesmsc.log");
    // Connected when bearerbox says its fake SMSC is online; a fakesmsc that found nothing
    // listening ends by itself (after printing a backtrace, which can take a while on a busy
    // machine: its exit is waited for, never guessed from a delay), and is started again.
    const bool settled = wait_until([&] { return !fakesmsc_->running() || status_says(online); },
                                    std::chrono::seconds(30));
    if (settled && fakesmsc_->running()) return;
    if (std::chrono::steady_clock::now() > deadline || !bearerbox_->running())
      throw std::runtime_error("fakesmsc could not connect to bearerbox:\n" + logs());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void KannelGateway::phone_sends(const std::string& line) {
  fakesmsc_->terminate();
  // bearerbox sees the old connection end before the new one is taken.
  wait_for("FAKE:" + std::to_string(fake_port_) + " (re-connecting", "the fake SMSC offline");
  start_fakesmsc({line});
}

std::vector<PhoneSms> KannelGateway::phone_received() const {
  std::vector<PhoneSms> received;
  // The parts of concatenated texts (a text longer than a segment) waiting for the rest, by
  // sender, receiver and reference: sequence number -> data.
  std::map<std::string, std::map<int, std::string>> parts;
  std::istringstream log(file_text(dir_.path() / "fakesmsc.log"));
  std::string line;
  while (std::getline(log, line)) {
    const auto got = line.find("Got message ");
    if (got == std::string::npos) continue;
    // A text with newlines (a GSM-7 alert's layout) is printed on several lines: joined again.
    std::string more;
    while (line.back() != '>' && std::getline(log, more)) line += "\n" + more;
    const auto open = line.find(": <", got);
    if (open == std::string::npos || line.back() != '>') continue;
    const std::string content = line.substr(open + 3, line.size() - open - 4);
    std::istringstream fields(content);
    PhoneSms sms;
    fields >> sms.from >> sms.to >> sms.type;
    // fakesmsc's protocol is a line per text: the gateway's GSM-7 text with a newline reaches it
    // as two "messages", the second only the rest of the text. Joined back.
    const bool known =
        sms.type == "text" || sms.type == "data" || sms.type == "ucs-2" || sms.type == "udh";
    if (!known && !received.empty() && received.back().type == "text") {
      received.back().text += "\n" + content;
      continue;
    }
    fields.get();  // the space before the data
    std::string data{std::istreambuf_iterator<char>(fields), std::istreambuf_iterator<char>()};
    if (sms.type == "udh") {
      // "<udh> <text|data> <data>": one part of a concatenated text (3GPP TS 23.040 9.2.3.24.1:
      // IEI 0, an 8-bit reference, the parts, this part's number; IEI 8: a 16-bit reference).
      const auto space = data.find(' ');
      const std::string udh = url_decoded(data.substr(0, space));
      std::istringstream rest(space == std::string::npos ? "" : data.substr(space + 1));
      std::string coding;
      rest >> coding;
      rest.get();
      std::string part{std::istreambuf_iterator<char>(rest), std::istreambuf_iterator<char>()};
      if (coding == "data") part = url_decoded(part);
      const bool wide_ref = udh.size() >= 7 && udh[1] == 8;
      if (udh.size() < 6 || (udh[1] != 0 && !wide_ref)) continue;
      const std::size_t at = wide_ref ? 4 : 3;
      const std::string key = sms.from + " " + sms.to + " " + udh.substr(3, at - 2);
      const int total = static_cast<unsigned char>(udh[at + 1]);
      auto& got_parts = parts[key];
      got_parts[static_cast<unsigned char>(udh[at + 2])] = part;
      if (static_cast<int>(got_parts.size()) < total) continue;
      std::string whole;
      for (const auto& [n, piece] : got_parts) whole += piece;
      parts.erase(key);
      // fakesmsc prints the parts of a GSM-7 text and of a UCS-2 one alike, as 8-bit data: a
      // text that starts with a zero byte is read as UTF-16BE (every text puented sends starts
      // with a character of the Basic Latin or Latin-1 block).
      const bool ucs2 =
          coding == "data" && whole.size() % 2 == 0 && !whole.empty() && whole[0] == '\0';
      sms.type = ucs2 ? "ucs-2" : "text";
      sms.text = ucs2 ? core::utf16be_to_utf8(whole) : whole;
    } else if (sms.type == "text") {
      sms.text = data;
    } else if (sms.type == "data") {
      sms.text = url_decoded(data);
    } else if (sms.type == "ucs-2") {
      sms.text = core::utf16be_to_utf8(url_decoded(data));
    } else {
      sms.text = data;
    }
    received.push_back(std::move(sms));
  }
  return received;
}

bool KannelGateway::status_says(const std::string& what) const {
  namespace beast = boost::beast;
  namespace http = beast::http;
  using tcp = boost::asio::ip::tcp;
  boost::asio::io_context context;
  tcp::socket socket(context);
  boost::system::error_code ec;
  socket.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), admin_port_), ec);
  if (ec) return false;
  http::request<http::empty_body> request(
      http::verb::get, std::string("/status.txt?password=") + kAdminPassword, 11);
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::connection, "close");
  http::write(socket, request, ec);
  if (ec) return false;
  beast::flat_buffer buffer;
  http::response<http::string_body> answer;
  http::read(socket, buffer, answer, ec);
  return !ec && answer.body().find(what) != std::string::npos;
}

void KannelGateway::wait_for(const std::string& status_text, const std::string& what) {
  // A box that ended will not come: say so at once.
  const auto ended = [&] { return !bearerbox_->running() || (smsbox_ && !smsbox_->running()); };
  if (!wait_until([&] { return status_says(status_text) || ended(); }, std::chrono::seconds(30)) ||
      ended())
    throw std::runtime_error("Kannel: no " + what + " within 30 s:\n" + logs());
}

std::string KannelGateway::logs() const {
  const auto& dir = dir_.path();
  return "--- bearerbox.log\n" + tail_of(dir / "bearerbox.log") + "\n--- bearerbox.out\n" +
         tail_of(dir / "bearerbox.out") + "\n--- smsbox.log\n" + tail_of(dir / "smsbox.log") +
         "\n--- fakesmsc.log\n" + tail_of(dir / "fakesmsc.log");
}

}  // namespace puente::test
