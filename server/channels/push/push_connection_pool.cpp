#include "channels/push/push_connection_pool.hpp"

namespace puente::push {

PushConnectionPool::PushConnectionPool(std::shared_ptr<boost::asio::ssl::context> tls,
                                       std::size_t max_idle_per_origin,
                                       std::chrono::seconds max_idle)
    : tls_(std::move(tls)), max_idle_per_origin_(max_idle_per_origin), max_idle_(max_idle) {}

std::unique_ptr<PushStream> PushConnectionPool::make_stream(
    boost::asio::any_io_executor executor) const {
  return std::make_unique<PushStream>(std::move(executor), *tls_);
}

std::unique_ptr<PushStream> PushConnectionPool::take(const std::string& origin) {
  std::vector<Idle> expired;  // closed outside the lock, when this function returns
  std::lock_guard lock(mutex_);
  const auto found = idle_.find(origin);
  if (found == idle_.end()) return nullptr;
  auto& idle = found->second;
  const auto oldest_kept = std::chrono::steady_clock::now() - max_idle_;
  // The oldest are at the front: drop those idle too long.
  auto keep = idle.begin();
  while (keep != idle.end() && keep->since < oldest_kept) ++keep;
  std::move(idle.begin(), keep, std::back_inserter(expired));
  idle.erase(idle.begin(), keep);
  if (idle.empty()) {
    idle_.erase(found);
    return nullptr;
  }
  auto stream = std::move(idle.back().stream);
  idle.pop_back();
  return stream;
}

void PushConnectionPool::give_back(const std::string& origin, std::unique_ptr<PushStream> stream) {
  std::unique_ptr<PushStream> surplus;  // closed outside the lock
  std::lock_guard lock(mutex_);
  auto& idle = idle_[origin];
  if (idle.size() >= max_idle_per_origin_) {
    surplus = std::move(idle.front().stream);
    idle.erase(idle.begin());
  }
  idle.push_back({std::move(stream), std::chrono::steady_clock::now()});
}

std::size_t PushConnectionPool::idle_count(const std::string& origin) {
  std::lock_guard lock(mutex_);
  const auto found = idle_.find(origin);
  return found == idle_.end() ? 0 : found->second.size();
}

}  // namespace puente::push
