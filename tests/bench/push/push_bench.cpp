// The Web Push bench: how many pushes one core prepares (encrypted for a subscription and
// signed), and how many the sender gets accepted by the loopback push service. Not a timed
// test: it prints numbers (tests/bench/push.sh puts them in docs/benchmarks.md) and fails only
// if a push is refused or lost.
//
//   puente-push-bench [--messages N] [--sends N] [--concurrency N] [--payload-bytes N]
//
// Phase 1, one thread, no I/O: encrypt_payload (one fresh P-256 key and one ECDH per message:
// the cost) plus the VAPID header, cached per origin (VapidSigner: one signature per push
// service for hours); and the same with a fresh signature per message, to show what the cache
// saves. Per core = messages / CPU seconds of the thread.
// Phase 2: `sends` pushes through PushSender on one I/O thread to the loopback push service
// (tests/push_service), at most `concurrency` in flight: as many TLS connections, kept open
// between pushes (push_connection_pool.hpp). Each is decrypted and its JWT checked by the service;
// the bench checks that every one was accepted and decrypted.
#include "channels/push/push_sender.hpp"

#include "channels/push/hkdf.hpp"
#include "core/base64url.hpp"
#include "io_threads.hpp"
#include "loopback_push_service.hpp"

#include <sys/resource.h>
#include <ctime>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>

namespace {

using namespace puente::push;
using namespace std::chrono_literals;

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

double process_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](timeval t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Options {
  int messages = 20000, sends = 2000, concurrency = 32, payload_bytes = 400;
};

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (value <= 0) throw std::invalid_argument(name + " needs a positive number");
    if (name == "--messages")
      options.messages = value;
    else if (name == "--sends")
      options.sends = value;
    else if (name == "--concurrency")
      options.concurrency = value;
    else if (name == "--payload-bytes")
      options.payload_bytes = value;
    else
      throw std::invalid_argument("unknown option " + name);
  }
  return options;
}

// A subscription as a browser makes one: its own key pair and auth secret.
SubscriptionKeys browser_keys() {
  return {P256Key::generate().public_point(), std::string(16, '\x5a')};
}

void print_row(const char* what, int count, double cpu, double wall) {
  std::printf("| %s | %d | %.0f | %.1f | %.0f |\n", what, count, count / cpu, cpu / count * 1e6,
              count / wall);
}

bool prepare_phase(const Options& options) {
  const auto keys = browser_keys();
  const std::string payload(static_cast<std::size_t>(options.payload_bytes), 'a');
  VapidSigner signer(VapidKey::generate(), "mailto:bench@puente.test");
  const auto key = VapidKey::generate();
  const auto now = std::chrono::system_clock::now();
  std::size_t bytes = 0;

  // The cached signer, as the sender uses it.
  double cpu = thread_cpu_seconds(), wall = wall_seconds();
  for (int i = 0; i < options.messages; ++i) {
    const auto body = encrypt_payload(payload, keys);
    if (!body.body) {
      std::cerr << "encryption failed: " << body.error << "\n";
      return false;
    }
    bytes += body.body->size() + signer.authorization("https://fcm.googleapis.com", now).size();
  }
  print_row("encrypt + VAPID header (cached per origin)", options.messages,
            thread_cpu_seconds() - cpu, wall_seconds() - wall);

  // A fresh JWT signature per message, for comparison.
  cpu = thread_cpu_seconds(), wall = wall_seconds();
  for (int i = 0; i < options.messages; ++i) {
    const auto body = encrypt_payload(payload, keys);
    bytes += body.body->size() +
             vapid_jwt(key, {"https://fcm.googleapis.com", now + 12h, "mailto:bench@puente.test"})
                 .size();
  }
  print_row("encrypt + a fresh VAPID signature each", options.messages, thread_cpu_seconds() - cpu,
            wall_seconds() - wall);

  // The parts: the sender's key, and the ECDH with the subscription's key.
  cpu = thread_cpu_seconds(), wall = wall_seconds();
  for (int i = 0; i < options.messages; ++i) bytes += P256Key::generate().public_point().size();
  print_row("of which: P-256 key generation alone", options.messages, thread_cpu_seconds() - cpu,
            wall_seconds() - wall);
  const auto subscriber = P256Key::from_public_point(keys.p256dh);
  const auto sender = P256Key::generate();
  cpu = thread_cpu_seconds(), wall = wall_seconds();
  for (int i = 0; i < options.messages; ++i) bytes += sender.shared_secret(subscriber).size();
  print_row("of which: ECDH alone", options.messages, thread_cpu_seconds() - cpu,
            wall_seconds() - wall);
  cpu = thread_cpu_seconds(), wall = wall_seconds();
  for (int i = 0; i < options.messages; ++i)
    bytes += P256Key::from_public_point(keys.p256dh).public_point().size();
  print_row("of which: reading the subscription's p256dh", options.messages,
            thread_cpu_seconds() - cpu, wall_seconds() - wall);
  cpu = thread_cpu_seconds(), wall = wall_seconds();
  for (int i = 0; i < options.messages; ++i)
    bytes += hkdf_sha256(keys.auth_secret, payload, "info", 32).size() +
             hkdf_sha256("salt", payload, "key", 16).size() +
             hkdf_sha256("salt", payload, "nonce", 12).size();
  print_row("of which: the three HKDFs", options.messages, thread_cpu_seconds() - cpu,
            wall_seconds() - wall);
  return bytes > 0;
}

bool send_phase(const Options& options) {
  puente::test::LoopbackPushService service;
  std::vector<PushSubscription> subscriptions;
  for (int i = 0; i < 20; ++i) {
    const auto made = service.subscribe();
    subscriptions.push_back({made.endpoint,
                             {puente::core::base64url_decode(made.p256dh).value(),
                              puente::core::base64url_decode(made.auth).value()}});
  }
  puente::test::IoThreads io(1);
  PushSenderOptions sender_options;
  sender_options.allowed_hosts = {"localhost"};
  sender_options.allow_private_addresses = true;
  sender_options.ca_file = service.certificate();
  PushSender sender(io.executor(),
                    std::make_shared<VapidSigner>(VapidKey::generate(), "mailto:bench@puente.test"),
                    sender_options);
  const std::string payload(static_cast<std::size_t>(options.payload_bytes), 'a');

  std::mutex mutex;
  std::condition_variable changed;
  int in_flight = 0, done = 0, accepted = 0;
  std::string first_failure;
  const double cpu = process_cpu_seconds(), wall = wall_seconds();
  for (int i = 0; i < options.sends; ++i) {
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] { return in_flight < options.concurrency; });
      ++in_flight;
    }
    sender.send(subscriptions[static_cast<std::size_t>(i) % subscriptions.size()], payload,
                {60s, Urgency::high, topic_for(std::to_string(i))}, [&](PushResult result) {
                  std::lock_guard lock(mutex);
                  --in_flight, ++done;
                  if (result.outcome == PushOutcome::accepted)
                    ++accepted;
                  else if (first_failure.empty())
                    first_failure = std::string(to_string(result.outcome)) + ": " + result.detail;
                  changed.notify_all();
                });
  }
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return done == options.sends; });
  }
  const double elapsed = wall_seconds() - wall, used = process_cpu_seconds() - cpu;
  const auto summary = service.summary();
  std::printf(
      "| sent to the loopback push service (%d in flight, 1 I/O thread) | %d | %.0f | %.1f | %.0f "
      "|\n",
      options.concurrency, options.sends, options.sends / used, used / options.sends * 1e6,
      options.sends / elapsed);
  std::printf("\naccepted %d of %d; the service decrypted %lld, refused %lld\n", accepted,
              options.sends, static_cast<long long>(summary.at("decrypted").as_int64()),
              static_cast<long long>(summary.at("failed").as_int64()));
  if (!first_failure.empty()) std::cerr << "first failure: " << first_failure << "\n";
  return accepted == options.sends && summary.at("decrypted").as_int64() == options.sends &&
         summary.at("failed").as_int64() == 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto options = parse(argc, argv);
    std::printf(
        "| what | count | per CPU-second (one core) | µs CPU each | per wall second |\n"
        "| --- | --- | --- | --- | --- |\n");
    if (!prepare_phase(options)) return 1;
    if (!send_phase(options)) return 1;
    return 0;
  } catch (const std::exception& failure) {
    std::cerr << "puente-push-bench: " << failure.what() << "\n";
    return 2;
  }
}
