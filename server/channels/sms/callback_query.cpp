// Query parameters of Kannel's callbacks, decoded with Boost.URL (see callback_query.hpp).

#include "channels/sms/callback_query.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace puente::sms {

std::optional<CallbackQuery> callback_query(std::string_view target) {
  const auto url = boost::urls::parse_origin_form(target);
  if (!url) return std::nullopt;
  CallbackQuery query;
  boost::urls::encoding_opts form;
  form.space_as_plus = true;
  for (const auto& param : url->params(form)) {
    if (!query.emplace(param.key, param.value).second) return std::nullopt;
  }
  return query;
}

std::string_view value_or_empty(const CallbackQuery& query, std::string_view name) {
  const auto it = query.find(name);
  return it == query.end() ? std::string_view() : std::string_view(it->second);
}

}  // namespace puente::sms
