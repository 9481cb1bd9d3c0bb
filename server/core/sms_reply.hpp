#pragma once
// What a responder's text message back means. A basic phone types "1", "Voy", "allí!" or
// "On my way" as readily as a smartphone, in either language, in any case, with or without
// accents and punctuation; all of those must read the same.
//
// The words, after folding (lowercase; á à â ä ã å -> a, é -> e, í -> i, ó ø -> o, ú ü -> u,
// ñ -> n, ç -> c; apostrophes dropped, so "can't" and "can’t" are "cant"; any other punctuation,
// emoji included, is a space) and with the message taken whole (extra words make it unknown):
//
//   ack EN_ROUTE   1 | voy | ya voy | en camino | on my way | omw | coming | on the way
//   ack ON_SCENE   2 | alli | aqui | ahi | estoy alli | estoy aqui | llegue | en el lugar |
//                  on scene | here | there | im here | arrived
//   ack DECLINED   3 | no puedo | cant | i cant | cannot | can not | unable
//   ack ALL_OK     4 | ok | im ok | i am ok | bien | estoy bien        (a check-in answered)
//   ack OUT_SAFE   5 | sali | ya sali | im out | out safe | salvo  (check-ins end; not "a salvo":
//                  A is a bundle letter)
//   (the help reply and the duress word, [policy] help_reply and duress_word, are read by the
//   caller before this parser: core/help_call.hpp)
//   available      disponible | available, then optionally hours 1..24: "DISPONIBLE 2",
//                  "available 2h", "disponible 2 horas", "AVAILABLE 3 hours"
//   unavailable    no disponible | unavailable | not available
//   stop           alto | stop | stopall | unsubscribe | cancel | end | quit | parar | baja |
//                  cancelar  (the carriers' opt-out words, CTIA's and their Spanish ones)
//   start          start | unstop | inicio | alta  (SMS again after a stop)
//   help           ayuda | help | info
//   unknown        anything else
//
// Bundles. Several alerts sent to one phone within a short window go as one text, each alert
// under a letter ("A: RAID Boyle Heights ... B: CHECKPOINT Westlake ..."). An ack then names its
// alert with that letter, before or after the answer, joined or apart: "1 B", "B1", "1b",
// "b 1", "voy B", "B voy" all ack alert B EN_ROUTE. Letters go A, B, C, ... in order, I and O
// left out (so they are never read as 1 and 0, and "i cant" stays words), 24 at most. An ack
// with no letter is for the latest alert sent to that phone, bundled or not; a letter that is
// not a bundle letter, two letters, or two answers make the message unknown.

#include "puente/v1/puente.pb.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace puente::core {

enum class SmsReplyKind { ack, available, unavailable, stop, start, help, unknown };

std::string_view to_string(SmsReplyKind kind);

struct SmsReply {
  SmsReplyKind kind = SmsReplyKind::unknown;
  v1::AckState state = v1::ACK_STATE_UNSPECIFIED;  // ack: EN_ROUTE ... OUT_SAFE (above)
  std::optional<char> alert_letter;  // ack: 'A', 'B', ...; nullopt: the latest alert sent
  int hours = 0;                     // available: 1..24; 0 if not given (the caller's default)
};

// A message longer than this is unknown without being read: a reply is a few words.
inline constexpr std::size_t kMaxReplyBytes = 480;
inline constexpr int kMaxAvailableHours = 24;
inline constexpr std::size_t kMaxBundleLetters = 24;

SmsReply parse_sms_reply(std::string_view text);

// The letter of the bundle's alert at `index` (0 -> 'A'); nullopt past kMaxBundleLetters.
std::optional<char> bundle_letter(std::size_t index);
// The index of a bundle letter (either case); nullopt if it is not one ('I', 'O', a digit).
std::optional<std::size_t> bundle_index(char letter);

// The folded words of `text` (as above), joined by single spaces: "¡Allí!  ya" -> "alli ya".
std::string folded_reply(std::string_view text);

}  // namespace puente::core
