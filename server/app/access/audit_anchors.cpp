// Signing the audit log's head and keeping it outside Redis (audit_anchors.hpp).
#include "app/access/audit_anchors.hpp"

#include "core/clock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace puente::app {

namespace {

// Writes `text` to `file` whole or not at all: a temporary file, fsync, rename, fsync of the
// folder. False (errno set) if any step failed.
bool write_anchor_file(const std::filesystem::path& file, const std::string& text) {
  auto temporary = file;
  temporary += ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  ok = ok && ::rename(temporary.c_str(), file.c_str()) == 0;
  if (!ok) {
    ::unlink(temporary.c_str());
    return false;
  }
  const int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return false;
  ok = ::fsync(dir) == 0;
  ::close(dir);
  return ok;
}

}  // namespace

AuditAnchors::AuditAnchors(boost::asio::any_io_executor executor, store::AuditStore& store,
                           const evidence::NetworkKey& key, std::string node_id,
                           std::filesystem::path dir, std::chrono::seconds interval)
    : timer_(boost::asio::make_strand(executor)),
      store_(store),
      key_(key),
      node_id_(std::move(node_id)),
      dir_(std::move(dir)),
      interval_(interval) {
  std::error_code ec;
  if (std::filesystem::create_directories(dir_, ec))
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all, ec);
  if (ec || !std::filesystem::is_directory(dir_))
    throw std::runtime_error("audit: cannot make the anchors' folder " + dir_.string());
}

void AuditAnchors::start() {
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] { self->schedule(); });
}

void AuditAnchors::stop() {
  boost::asio::post(timer_.get_executor(), [self = shared_from_this()] {
    self->stopped_ = true;
    self->timer_.cancel();
  });
}

void AuditAnchors::schedule() {
  if (stopped_) return;
  timer_.expires_after(interval_);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (ec || self->stopped_) return;
    self->anchor_now([self] { self->schedule(); });
  });
}

void AuditAnchors::anchor_now(std::function<void()> done) {
  store_.head([self = shared_from_this(), done = std::move(done)](store::Outcome outcome,
                                                                  store::AuditHead head) {
    boost::asio::post(self->timer_.get_executor(), [self, outcome, head, done] {
      if (outcome != store::Outcome::ok)
        spdlog::warn("audit: no anchor this time: the log's head could not be read");
      else
        self->write(head);
      if (done) done();
    });
  });
}

void AuditAnchors::write(const store::AuditHead& head) {
  if (head.sequence == 0 || head.sequence == anchored_) return;
  core::AuditAnchor anchor{.node_id = node_id_,
                           .at_ms = core::to_ms(core::Clock::now()),
                           .sequence = head.sequence,
                           .hash = head.hash,
                           .signature = {}};
  try {
    anchor.signature = key_.sign(anchor.statement());
  } catch (const std::exception& e) {
    spdlog::error("audit: cannot sign an anchor: {}", e.what());
    return;
  }
  const auto file = dir_ / anchor.file_name();
  // The log holds it too: an anchor survives the state folder's loss wherever the log is kept.
  auto text = anchor.file_text();
  std::string one_line = text;
  std::replace(one_line.begin(), one_line.end(), '\n', ';');
  spdlog::info("audit anchor: {}", one_line);
  if (!write_anchor_file(file, text)) {
    spdlog::error("audit: cannot write the anchor {}: {}", file.string(), std::strerror(errno));
    return;
  }
  anchored_ = head.sequence;
}

}  // namespace puente::app
