#include "app/http/request_body.hpp"

#include "puente/v1/json.hpp"

namespace puente::app::api {

MaybeRefusal decode(const net::Request& request, google::protobuf::Message& message) {
  if (request[net::http::field::content_type].starts_with(kProtobufType)) {
    if (!message.ParseFromString(request.body()))
      return Refusal{RefusalKind::bad_protobuf, "the body is not a valid " + message.GetTypeName()};
    return std::nullopt;
  }
  if (request.body().empty())
    return Refusal{RefusalKind::bad_json, "the body is empty; expected a JSON object"};
  if (auto why = wire::from_json(request.body(), message); !why.empty())
    return Refusal{RefusalKind::bad_json, why};
  return std::nullopt;
}

}  // namespace puente::app::api
