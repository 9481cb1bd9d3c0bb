#pragma once
// What a node signs in an issued-token record (v1::IssuedToken, in Redis): every field that
// decides what the token may do or until when, so that a record written into Redis by hand
// (HSET plus an SPUBLISH on the change channel) or a signed record with a field changed does not
// sign anyone in. The node that writes a record signs this text with the network's key
// (evidence/network_key.hpp); every node checks it when it loads the record
// (app/access/token_service.hpp).
//
// The text: "puente token record 1\n", then each field as "<length>:<bytes>" (no two records
// share a text): id, responder, token SHA-256, created (ms), expires (ms, "" for never),
// revoked (ms, "" for not), device ("1" or "0"), issued by, note. A revocation is signed by the
// node that records it; a revoked record with its revocation cut out would need the signature of
// the record as issued, which the revocation file (app/access/revocation_file.hpp) answers.

#include "puente/v1/puente.pb.h"

#include <string>

namespace puente::core {

std::string token_record_statement(const v1::IssuedToken& record);

}  // namespace puente::core
