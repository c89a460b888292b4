// Resource: what produced the spans — the service, its instance, the host —
// attached once to every span a Tracer records and sent once per batch by
// the exporters (OTLP's resource, Zipkin's localEndpoint).
//
//   auto resource = Resource::make("kv", "node-3", "host-a");
//
// Thread-safety: immutable once built; shared between threads by
// shared_ptr<const Resource>.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "faultline/tracing/attributes.hpp"

namespace faultline::tracing {

struct Resource {
  // The OpenTelemetry semantic-convention keys, as set by make().
  static constexpr std::string_view kServiceName = "service.name";
  static constexpr std::string_view kServiceInstanceId = "service.instance.id";
  static constexpr std::string_view kHostName = "host.name";

  AttributeList attributes;

  // Empty instance or host names are left out.
  [[nodiscard]] static std::shared_ptr<const Resource> make(std::string_view service_name,
                                                            std::string_view service_instance_id = {},
                                                            std::string_view host_name = {});
  // "unknown_service" when none was set (the OpenTelemetry default).
  [[nodiscard]] std::string_view service_name() const noexcept;
};

}  // namespace faultline::tracing
