#include "app/access/network_ack_key.hpp"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <stdexcept>

namespace puente::app {

namespace {

// Until Redis first answers: soon after start (the link is coming up), then once a second.
constexpr std::chrono::milliseconds longest_retry{1000};

std::string fresh_secret() {
  std::string secret(core::AckCapabilityKey::min_bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()),
                 static_cast<int>(secret.size())) != 1)
    throw std::runtime_error("ack key: OpenSSL's random generator failed");
  return secret;
}

}  // namespace

NetworkAckKey::NetworkAckKey(boost::asio::any_io_executor executor, store::AckKeyStore& store)
    : timer_(boost::asio::make_strand(executor)), store_(store) {}

void NetworkAckKey::start() { load(); }

void NetworkAckKey::stop() {
  stopped_ = true;
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

std::shared_ptr<const core::AckCapabilityKey> NetworkAckKey::key() const {
  std::lock_guard lock(mutex_);
  return key_;
}

void NetworkAckKey::when_loaded(Use use) {
  std::unique_lock lock(mutex_);
  if (!key_) return waiting_.push_back(std::move(use));
  auto key = key_;
  lock.unlock();
  use(std::move(key));
}

void NetworkAckKey::load() {
  if (stopped_) return;
  store_.load_or_create(fresh_secret(), [self = shared_from_this()](store::Outcome outcome,
                                                                    std::string secret) {
    if (outcome == store::Outcome::ok) {
      try {
        auto key = std::make_shared<const core::AckCapabilityKey>(std::move(secret));
        std::vector<Use> waiting;
        {
          std::lock_guard lock(self->mutex_);
          self->key_ = key;
          waiting.swap(self->waiting_);
        }
        spdlog::info("push: the network's ack key is loaded");
        // Outside the lock: a user may ask for the key again.
        for (auto& use : waiting) use(key);
        return;
      } catch (const std::invalid_argument& e) {
        // Someone wrote it by hand: the key is never logged, only what is wrong with it.
        spdlog::error("push: {} (in Redis at ack_key); delete it and restart the nodes", e.what());
      }
    }
    boost::asio::post(self->timer_.get_executor(), [self] {
      if (self->stopped_) return;
      self->retry_ = std::min(self->retry_ * 2, longest_retry);
      self->timer_.expires_after(self->retry_);
      self->timer_.async_wait([self](boost::system::error_code ec) {
        if (!ec) self->load();
      });
    });
  });
}

}  // namespace puente::app
