// smsbox may send a text's delivery report before the sender has heard that smsbox took the
// text and written its sms-text record (a suite run under load lost a "delivered" that way): on
// a real Redis, a report of a text with no record is kept in the text's key, and the sender's
// finish step (lua/finish_sms_job.lua) applies it to what the text carried as it writes the
// record. A delivered report kept is not replaced by a later problem; one naming another
// responder's phone is dropped; a text never sent leaves only the kept report, which expires.
#include "store/sms_queue.hpp"
#include "store/sms_report_store.hpp"

#include "core/clock.hpp"
#include "redis_link.hpp"

#include <gtest/gtest.h>

#include <future>

namespace puente::store {
namespace {

using Clock = std::chrono::system_clock;
using namespace std::chrono_literals;

class SmsEarlyReport : public test::StoreTest {
 protected:
  Keys keys{"test:"};
  SmsQueue queue{link.connection(), keys};
  SmsReportStore reports{link.connection(), keys};
  const Clock::time_point reported_at = Clock::time_point(1765000042s);

  void SetUp() override {
    test::StoreTest::SetUp();
    link.command({"HSET", keys.incident("inc-1"), "pb", "x"});  // an incident that exists
  }

  SmsReportStore::Recorded report(const std::string& word, const std::string& phone_responder,
                                  Clock::time_point at) {
    std::promise<SmsReportStore::Recorded> got;
    reports.record_report("sms-1", word, at, phone_responder,
                          [&](SmsReportStore::Recorded recorded) { got.set_value(recorded); });
    return got.get_future().get();
  }

  // What the sender does once smsbox took text sms-1 to obs-bh, carrying inc-1's al-1.
  void finish_texted() {
    SmsQueue::Finished finished;
    finished.settled.push_back({"inc-1", "al-1", "texted", ""});
    finished.message_id = "sms-1";
    finished.gateway_state = "up";
    std::promise<bool> done;
    queue.finish("obs-bh", finished, Clock::now(), 1h, [&](bool ok) { done.set_value(ok); });
    ASSERT_TRUE(done.get_future().get());
  }

  std::string texts_field(const std::string& field) {
    return link.command({"HGET", keys.incident_texts("inc-1"), field}).str;
  }
};

TEST_F(SmsEarlyReport, ADeliveredReportBeforeTheRecordIsAppliedWhenTheSenderWritesIt) {
  EXPECT_EQ(report("delivered", "obs-bh", reported_at), SmsReportStore::Recorded::unknown_text);
  EXPECT_EQ(report("failed", "obs-bh", reported_at + 5s), SmsReportStore::Recorded::unknown_text)
      << "a problem after a delivery changes nothing";
  EXPECT_EQ(link.integer({"EXISTS", keys.incident_texts("inc-1")}), 0) << "nothing to carry yet";
  const auto kept_for = link.integer({"TTL", keys.sms_text("sms-1")});
  EXPECT_GT(kept_for, 0);
  EXPECT_LE(kept_for, 3600);

  finish_texted();
  EXPECT_EQ(texts_field("delivered al-1 obs-bh"), std::to_string(core::to_ms(reported_at)));
  EXPECT_EQ(texts_field("problem al-1 obs-bh"), "");
  EXPECT_FALSE(texts_field("texted al-1 obs-bh").empty());
  EXPECT_EQ(link.command({"HGET", keys.sms_text("sms-1"), "early_word"}).str, "")
      << "applied once: the record holds no early report any more";
  EXPECT_EQ(link.command({"HGET", keys.sms_text("sms-1"), "responder"}).str, "obs-bh");

  // A report after the record goes the usual way.
  EXPECT_EQ(report("delivered", "obs-bh", reported_at + 9s), SmsReportStore::Recorded::recorded);
  EXPECT_EQ(texts_field("delivered al-1 obs-bh"), std::to_string(core::to_ms(reported_at)));
}

TEST_F(SmsEarlyReport, ADeliveredReportAfterAnEarlyProblemReplacesIt) {
  EXPECT_EQ(report("failed", "", reported_at), SmsReportStore::Recorded::unknown_text);
  EXPECT_EQ(report("delivered", "", reported_at + 2s), SmsReportStore::Recorded::unknown_text);
  finish_texted();
  EXPECT_EQ(texts_field("delivered al-1 obs-bh"), std::to_string(core::to_ms(reported_at + 2s)));
  EXPECT_EQ(texts_field("problem al-1 obs-bh"), "");
}

TEST_F(SmsEarlyReport, AnEarlyReportNamingAnotherRespondersPhoneIsDropped) {
  EXPECT_EQ(report("delivered", "obs-dt", reported_at), SmsReportStore::Recorded::unknown_text);
  finish_texted();
  EXPECT_EQ(texts_field("delivered al-1 obs-bh"), "");
  EXPECT_FALSE(texts_field("texted al-1 obs-bh").empty());
}

}  // namespace
}  // namespace puente::store
