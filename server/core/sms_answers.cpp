// The one-line texts puented answers a responder's reply with (see sms_answers.hpp).

#include "core/sms_answers.hpp"

namespace puente::core {

namespace {

std::string_view state_words(v1::AckState state, bool spanish) {
  switch (state) {
    case v1::EN_ROUTE: return spanish ? "VOY" : "ON MY WAY";
    case v1::ON_SCENE: return spanish ? "ESTOY ALLI" : "ON SCENE";
    case v1::DECLINED: return spanish ? "NO PUEDO" : "CAN'T";
    case v1::ALL_OK: return spanish ? "ESTOY BIEN" : "I'M OK";
    case v1::OUT_SAFE: return spanish ? "SALI, A SALVO" : "OUT, SAFE";
    // The silent help reply is answered as an ordinary "I'm OK": nothing on the phone says more.
    case v1::NEED_HELP: return spanish ? "ESTOY BIEN" : "I'M OK";
    default: return "?";
  }
}

}  // namespace

std::string_view sms_answer_language(const std::vector<std::string>& languages,
                                     std::string_view fallback) {
  for (const std::string_view language : languages) {
    if (language.starts_with("es")) return "es";
    if (language.starts_with("en")) return "en";
  }
  return fallback.starts_with("es") ? "es" : "en";
}

std::string sms_answer(SmsAnswer answer, std::string_view language, const SmsAnswerFacts& facts) {
  const bool es = language == "es";
  switch (answer) {
    case SmsAnswer::ack_recorded: {
      std::string text = es ? "Puente: anotado " : "Puente: recorded ";
      text += state_words(facts.state, es);
      if (facts.letter) text += (es ? " para " : " for ") + std::string(1, *facts.letter);
      return text + (es ? ". Gracias." : ". Thank you.");
    }
    case SmsAnswer::no_alert:
      return es ? "Puente: no hay alerta reciente para esa respuesta. AYUDA: como responder."
                : "Puente: no recent alert for that answer. HELP: how to answer.";
    case SmsAnswer::alert_closed:
      return es ? "Puente: esa alerta ya no admite respuestas."
                : "Puente: that alert takes no more answers.";
    case SmsAnswer::available:
      return es ? "Puente: disponible por " + std::to_string(facts.hours) +
                      " h. NO DISPONIBLE para terminar."
                : "Puente: available for " + std::to_string(facts.hours) +
                      " h. UNAVAILABLE to end it.";
    case SmsAnswer::unavailable:
      return es ? "Puente: ya no esta disponible fuera de sus turnos."
                : "Puente: no longer available outside your shifts.";
    case SmsAnswer::stopped:
      return es ? "Puente: no recibira mas mensajes. INICIO para volver a recibirlos."
                : "Puente: you will get no more texts. START to get them again.";
    case SmsAnswer::started:
      return es ? "Puente: volvera a recibir alertas por mensaje. ALTO para dejarlas."
                : "Puente: texts are on again. STOP to stop them.";
    case SmsAnswer::help:
      return es ? "Puente: responda 1 voy, 2 estoy alli, 3 no puedo (con la letra si hay "
                  "varias: 1B). DISPONIBLE 2: de guardia 2 h. ALTO: sin mensajes."
                : "Puente: reply 1 on my way, 2 on scene, 3 can't (with the letter if there "
                  "are several: 1B). AVAILABLE 2: on call 2 h. STOP: no texts.";
    case SmsAnswer::try_again:
      return es ? "Puente: no se pudo anotar. Intente de nuevo en un minuto."
                : "Puente: could not record that. Try again in a minute.";
  }
  return {};
}

}  // namespace puente::core
