// Media on incidents and the evidence bundle (docs/evidence.md): the upload's declaration and
// chunks, the reads, the ZIP, and the network's public key.
#include "app/http/api_exchange.hpp"
#include "app/http/route_groups.hpp"
#include "app/media/evidence_bundle.hpp"
#include "app/media/media_desk.hpp"
#include "core/ids.hpp"

#include <fstream>
#include <sstream>

namespace puente::app::api {

namespace {

// The {id} of an upload or a media route, if the server could have made it.
std::optional<std::string> media_route_id(const RouteParams& params, std::string_view prefix) {
  auto it = params.path.find("id");
  if (it == params.path.end() || !core::valid_id(prefix, it->second)) return std::nullopt;
  return it->second;
}

// A file's bytes as the answer, to be saved rather than shown: a browser must never run what an
// observer uploaded (nosniff is set on every answer, and this names it an attachment).
net::Response media_file_response(const MediaFile& file) {
  std::ifstream in(file.path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  net::Response response{http::status::ok, 11};
  response.set(http::field::content_type, file.content_type);
  response.set(http::field::content_disposition,
               "attachment; filename=\"" + file.download_name + "\"");
  response.set(http::field::cache_control, "no-store");
  response.body() = bytes.str();
  return response;
}

}  // namespace

void add_media_routes(net::Router& router, ApiServices& s) {
  if (!s.media || !s.evidence_bundle) return;
  auto& media = *s.media;
  router.add(http::verb::post, "/v1/incidents/{id}/media",
             authenticated(s, [&media](const core::Responder& who, Request&& request,
                                       RouteParams params, Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               v1::MediaUpload declared;
               if (auto refusal = decode(request, declared))
                 return respond(refusal_response(*refusal));
               auto req = std::make_shared<Request>(std::move(request));
               media.start(who, *id, std::move(declared),
                           answer<v1::MediaUpload>(req, std::move(respond), http::status::created));
             }));
  router.add(http::verb::get, "/v1/incidents/{id}/media",
             authenticated(s, [&media](const core::Responder& who, Request&& request,
                                       RouteParams params, Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               auto req = std::make_shared<Request>(std::move(request));
               media.list(who, *id, answer<v1::MediaList>(req, std::move(respond)));
             }));
  router.add(http::verb::get, "/v1/uploads/{id}",
             authenticated(s, [&media](const core::Responder& who, Request&& request,
                                       RouteParams params, Respond respond) {
               auto id = media_route_id(params, "upl");
               if (!id) return respond(refusal_response(Refusal::not_found("no such upload")));
               auto req = std::make_shared<Request>(std::move(request));
               media.progress(who, *id, answer<v1::MediaUpload>(req, std::move(respond)));
             }));
  router.add(
      http::verb::put, "/v1/uploads/{id}",
      authenticated(s, [&media](const core::Responder& who, Request&& request, RouteParams params,
                                Respond respond) {
        auto id = media_route_id(params, "upl");
        if (!id) return respond(refusal_response(Refusal::not_found("no such upload")));
        auto header = request["Upload-Offset"];
        auto offset = header.empty() ? std::nullopt
                                     : parse_count(std::string(header.data(), header.size()), 0);
        if (!offset)
          return respond(
              refusal_response({RefusalKind::bad_upload,
                                "send Upload-Offset: the byte of the file this chunk starts at"}));
        auto req = std::make_shared<Request>(std::move(request));
        auto bytes = std::move(req->body());
        media.take_chunk(
            who, *id, *offset, std::move(bytes),
            [req, respond = std::move(respond)](MaybeRefusal refusal, v1::MediaUpload upload) {
              if (refusal) return respond(refusal_response(*refusal));
              respond(encode(*req, upload.has_media() ? http::status::created : http::status::ok,
                             upload));
            });
      }));
  auto media_file = [&s, &media](bool shared) {
    return authenticated(s, [&media, shared](const core::Responder& who, Request&&,
                                             RouteParams params, Respond respond) {
      auto id = media_route_id(params, "med");
      if (!id) return respond(refusal_response(Refusal::not_found("no such media")));
      media.file(who, *id, shared,
                 [respond = std::move(respond)](MaybeRefusal refusal, MediaFile file) {
                   if (refusal) return respond(refusal_response(*refusal));
                   respond(media_file_response(file));
                 });
    });
  };
  router.add(http::verb::get, "/v1/media/{id}", media_file(false));
  router.add(http::verb::get, "/v1/media/{id}/shared", media_file(true));
  auto& bundle = *s.evidence_bundle;
  router.add(http::verb::get, "/v1/incidents/{id}/evidence-bundle",
             authenticated(s, [&bundle](const core::Responder& who, Request&&, RouteParams params,
                                        Respond respond) {
               auto id = incident_id(params);
               if (!id) return respond(refusal_response(no_such_incident()));
               bundle.export_zip(
                   who, *id, [respond = std::move(respond)](MaybeRefusal refusal, EvidenceZip zip) {
                     if (refusal) return respond(refusal_response(*refusal));
                     net::Response response{http::status::ok, 11};
                     response.set(http::field::content_type, "application/zip");
                     response.set(http::field::content_disposition,
                                  "attachment; filename=\"" + zip.file_name + "\"");
                     response.set(http::field::cache_control, "no-store");
                     response.body() = std::move(zip.bytes);
                     respond(std::move(response));
                   });
             }));
  // The public half only: anyone who must check a bundle may have it.
  router.add(
      http::verb::get, "/v1/evidence/key",
      authenticated(s, [&bundle](const core::Responder&, Request&&, RouteParams, Respond respond) {
        net::Response response{http::status::ok, 11};
        response.set(http::field::content_type, "application/x-pem-file");
        response.body() = bundle.key().public_pem();
        respond(std::move(response));
      }));
}

}  // namespace puente::app::api
