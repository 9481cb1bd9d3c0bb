#pragma once
// The hash slot of a key as Redis Cluster computes it (the cluster specification, "Key
// distribution model"): CRC16 (XMODEM: polynomial 0x1021, initial 0) of the key, modulo 16384.
// A hash tag decides instead when the key holds a "{" and, after it, a "}" with something
// between: only the text between the first "{" and the first "}" after it is hashed, so keys
// that share a tag share a slot ("{net-la}incident:1" and "{net-la}alerts:x"), and one script
// or transaction may touch them together. The groundwork of issue 23: a network's keys sharing
// one tag keep each Lua script within one slot.

#include <cstdint>
#include <string_view>

namespace puente::redis {

inline constexpr std::uint16_t kClusterSlots = 16384;

// CRC16/XMODEM of `bytes`.
std::uint16_t crc16_xmodem(std::string_view bytes);

// The slot of `key`: 0 to kClusterSlots - 1.
std::uint16_t key_slot(std::string_view key);

}  // namespace puente::redis
