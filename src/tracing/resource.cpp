#include "faultline/tracing/resource.hpp"

namespace faultline::tracing {

std::shared_ptr<const Resource> Resource::make(std::string_view service_name,
                                               std::string_view service_instance_id,
                                               std::string_view host_name) {
  auto resource = std::make_shared<Resource>();
  resource->attributes.set(kServiceName, service_name.empty() ? std::string_view("unknown_service") : service_name);
  if (!service_instance_id.empty()) resource->attributes.set(kServiceInstanceId, service_instance_id);
  if (!host_name.empty()) resource->attributes.set(kHostName, host_name);
  return resource;
}

std::string_view Resource::service_name() const noexcept {
  if (const auto* value = attributes.find(kServiceName)) {
    if (const auto* text = std::get_if<std::string>(value)) return *text;
  }
  return "unknown_service";
}

}  // namespace faultline::tracing
