#include "redis/script.hpp"

#include <openssl/evp.h>

#include <iterator>
#include <string_view>
#include <utility>

namespace puente::redis {
namespace {

std::string sha1_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // EVP, not SHA1(): the latter is deprecated in OpenSSL 3.
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha1(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0x0f]);
  }
  return out;
}

bool is_noscript(const Reply& reply) {
  return reply.is_error() && std::string_view(reply.str).starts_with("NOSCRIPT");
}

}  // namespace

Script::Script(std::string source)
    : source_(std::make_shared<const std::string>(std::move(source))), sha1_(sha1_hex(*source_)) {}

void Script::run(Connection& connection, std::vector<std::string> keys,
                 std::vector<std::string> args, ReplyHandler handler) const {
  // EVALSHA sha numkeys key... arg...; the retry swaps the first two for EVAL source. Shared,
  // not copied: a sending script's arguments hold every alert it sends.
  auto command = std::make_shared<std::vector<std::string>>();
  command->reserve(3 + keys.size() + args.size());
  command->emplace_back("EVALSHA");
  command->push_back(sha1_);
  command->push_back(std::to_string(keys.size()));
  std::move(keys.begin(), keys.end(), std::back_inserter(*command));
  std::move(args.begin(), args.end(), std::back_inserter(*command));

  std::weak_ptr<Connection> weak_connection = connection.weak_from_this();
  auto retry = [weak_connection, source = source_, command, handler = std::move(handler)](
                   boost::system::error_code ec, Reply reply) mutable {
    if (ec || !is_noscript(reply)) {
      handler(ec, std::move(reply));
      return;
    }
    const auto connection = weak_connection.lock();
    if (!connection) {
      handler(make_error_code(Errc::stopped), {});
      return;
    }
    // The first send has read the command by now (it is read only while sent).
    (*command)[0] = "EVAL";
    (*command)[1] = *source;
    connection->execute_shared(std::move(command), std::move(handler));
  };
  connection.execute_shared(command, std::move(retry));
}

}  // namespace puente::redis
