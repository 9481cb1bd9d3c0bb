#pragma once
// What a responder's text message back does (POST /v1/sms/inbound, docs/sms.md), once the
// route has checked Kannel's credentials, read the message and found its sender: an answer to
// an alert becomes an ack through the AckDesk, as a notification's or the app's does;
// AVAILABLE/DISPONIBLE sets them available, STOP/ALTO stops texts to them and tells the
// dispatchers (the audit log, the board's SMS line), START undoes it, HELP gets the help text,
// and anything else gets it once per reply window. `done` gets the one line to text back
// ("" for none).

#include "app/http/api_routes.hpp"
#include "channels/sms/inbound_sms.hpp"

#include <functional>
#include <string>

namespace puente::app::api {

void answer_sms_reply(ApiServices& s, const core::Responder& who, const sms::InboundSms& sms,
                      std::function<void(std::string text)> done);

}  // namespace puente::app::api
