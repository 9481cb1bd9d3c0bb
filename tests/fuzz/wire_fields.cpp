// Serialized protobuf walked field by field (puente/v1/wire_fields.hpp), as the store walks an
// alert's bytes to cut its repeated text out, and the stored form made from those bytes.
//
// Beyond "no crash": the fields visited are the input's bytes in order, without a gap or an
// overlap, and all of them when the walk succeeds; each payload lies inside its field; appending
// a field's payload again gives back the field (for length-delimited ones); whatever the bytes,
// stored_alert gives bytes, and for an alert that parses (as made: no text_language), bytes that
// parse and read back with every text, and alert_bytes (store/alert_bytes.hpp, the recipients
// written by hand) gives bytes that parse to the alert and to what stored_alert keeps; and the
// live feed's read of the bytes as a live message,
// its recipients taken from the walk (store/tagged_alert.hpp), takes every alert
// parse_tagged_alert takes and gives the same alert and recipients.

#include "fuzz_target.hpp"

#include "puente/v1/wire_fields.hpp"
#include "store/alert_bytes.hpp"
#include "store/stored_alert.hpp"
#include "store/tagged_alert.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <string>

namespace {

// `message`'s bytes with its maps in key order: two equal alerts give the same bytes (a map's
// own order is its hash table's), unknown fields and a NaN's bits included.
std::string deterministic_bytes(const google::protobuf::MessageLite& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using puente::fuzz::fuzz_check;
  using puente::wire::WireField;
  puente::fuzz::quiet_protobuf();
  const auto bytes = puente::fuzz::as_text(data, size);

  std::size_t walked = 0;
  const bool ok = puente::wire::for_each_field(bytes, [&](const WireField& field) {
    fuzz_check(field.bytes.data() == bytes.data() + walked, "fields follow one another");
    fuzz_check(!field.bytes.empty() && field.number > 0, "a field has a tag");
    walked += field.bytes.size();
    fuzz_check(walked <= bytes.size(), "a field ends within the input");
    if (!field.length_delimited()) return;
    const auto payload = field.payload();
    fuzz_check(payload.data() >= field.bytes.data() &&
                   payload.data() + payload.size() == field.bytes.data() + field.bytes.size(),
               "the payload ends its field");
    std::string again;
    puente::wire::append_length_delimited(again, field.number, payload);
    // A varint may be written longer than needed; the shortest form is what comes back.
    fuzz_check(again.size() <= field.bytes.size(), "the field written again is no longer");
  });
  if (ok) fuzz_check(walked == bytes.size(), "a walk that succeeds visits every byte");

  // An alert as made: text_language is the store's own field, set by stored_alert alone.
  puente::v1::Alert alert;
  if (alert.ParseFromArray(data, static_cast<int>(size)) && alert.text_language().empty()) {
    const auto stored = puente::store::stored_alert(alert, alert.SerializeAsString());
    puente::v1::Alert back;
    fuzz_check(back.ParseFromString(stored), "a stored alert parses");
    puente::store::restore_stored_alert(back);
    fuzz_check(back.texts_size() == alert.texts_size(), "restoring gives every text back");

    // Compared parsed, not as bytes: a map's entries come in no promised order.
    const auto made = puente::store::alert_bytes(alert);
    puente::v1::Alert made_whole, kept, expected;
    fuzz_check(made_whole.ParseFromString(made.whole) &&
                   deterministic_bytes(made_whole) == deterministic_bytes(alert),
               "alert_bytes' whole form is the alert");
    fuzz_check(kept.ParseFromString(made.stored) && expected.ParseFromString(stored) &&
                   deterministic_bytes(kept) == deterministic_bytes(expected),
               "alert_bytes' stored form is stored_alert's");
  }

  const std::string payload = "1-0 " + std::string(bytes);
  puente::store::LiveAlert live;
  const bool read_live = puente::store::parse_live_alert(payload, live);
  puente::v1::Alert whole;
  if (puente::store::parse_tagged_alert(payload, whole)) {
    fuzz_check(read_live, "a live read takes what parse_tagged_alert takes");
    fuzz_check(std::equal(live.recipients.begin(), live.recipients.end(),
                          whole.recipients().begin(), whole.recipients().end()),
               "a live read has the alert's recipients, in order");
    whole.clear_recipients();
    fuzz_check(deterministic_bytes(live.alert) == deterministic_bytes(whole),
               "a live read is the alert parsed whole, its recipients apart");
  }
  return 0;
}
