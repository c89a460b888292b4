#include "faultline/health/probe_config.hpp"

#include <gtest/gtest.h>

namespace faultline::health {
namespace {

using namespace std::chrono_literals;

EndpointCheckConfig valid_http() {
  EndpointCheckConfig config{.name = std::string("a")};
  config.probe = HttpProbe{.url = "http://127.0.0.1:8080/readyz"};
  config.interval = 1s;
  config.timeout = 200ms;
  return config;
}

void expect_rejected(const EndpointCheckConfig& config, std::string_view mentions) {
  const Status status = config.validate();
  EXPECT_EQ(status.code(), StatusCode::invalid_argument) << status;
  EXPECT_NE(status.message().find(mentions), std::string_view::npos) << status;
}

TEST(ParseHttpUrl, ReadsHostPortAndPath) {
  auto target = parse_http_url("http://127.0.0.1:8080/readyz?verbose");
  ASSERT_TRUE(target.ok()) << target.status();
  EXPECT_EQ(target->address, "127.0.0.1");
  EXPECT_EQ(target->port, 8080);
  EXPECT_EQ(target->path, "/readyz?verbose");

  auto bare = parse_http_url("http://localhost");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->address, "127.0.0.1");
  EXPECT_EQ(bare->port, 80);
  EXPECT_EQ(bare->path, "/");

  auto query = parse_http_url("http://10.0.0.1:81?x=1");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(query->path, "/?x=1");
}

TEST(ParseHttpUrl, RejectsWhatItCannotProbe) {
  for (const char* url : {"", "127.0.0.1:80/", "ftp://127.0.0.1/", "https://127.0.0.1/", "http://", "http://:80/",
                          "http://127.0.0.1:0/", "http://127.0.0.1:65536/", "http://127.0.0.1:8x/",
                          "http://127.0.0.1:/", "http://example.com/", "http://300.1.1.1/", "http://127.0.0.1/a b",
                          "http://user@127.0.0.1/", "http://127.0.0.1/\r\nX: y"}) {
    const auto target = parse_http_url(url);
    EXPECT_FALSE(target.ok()) << url;
    EXPECT_EQ(target.status().code(), StatusCode::invalid_argument) << url;
  }
}

TEST(EndpointCheckConfig, AcceptsASoundConfig) { EXPECT_TRUE(valid_http().validate().ok()); }

TEST(EndpointCheckConfig, RejectsMalformedConfigurationWithAClearError) {
  auto bad_url = valid_http();
  bad_url.probe = HttpProbe{.url = "http//127.0.0.1/"};
  expect_rejected(bad_url, "must start with http://");

  auto zero_interval = valid_http();
  zero_interval.interval = 0s;
  expect_rejected(zero_interval, "interval must be > 0");

  auto zero_timeout = valid_http();
  zero_timeout.timeout = 0s;
  expect_rejected(zero_timeout, "timeout must be > 0");

  auto zero_threshold = valid_http();
  zero_threshold.thresholds.unhealthy_threshold = 0;
  expect_rejected(zero_threshold, "unhealthy_threshold must be >= 1");

  auto zero_healthy = valid_http();
  zero_healthy.thresholds.healthy_threshold = 0;
  expect_rejected(zero_healthy, "healthy_threshold must be >= 1");

  auto slow_timeout = valid_http();
  slow_timeout.timeout = 2s;
  expect_rejected(slow_timeout, "must not exceed interval");

  auto slow_for_unhealthy = valid_http();
  slow_for_unhealthy.unhealthy_interval = 100ms;
  expect_rejected(slow_for_unhealthy, "must not exceed unhealthy_interval");

  auto unnamed = valid_http();
  unnamed.name.clear();
  expect_rejected(unnamed, "name must not be empty");

  auto bad_range = valid_http();
  bad_range.probe = HttpProbe{.url = "http://127.0.0.1/", .status_min = 300, .status_max = 200};
  expect_rejected(bad_range, "status range");

  auto tcp_port_zero = valid_http();
  tcp_port_zero.probe = TcpProbe{.host = "127.0.0.1", .port = 0};
  expect_rejected(tcp_port_zero, "port");

  auto tcp_name = valid_http();
  tcp_name.probe = TcpProbe{.host = "db.internal", .port = 5432};
  expect_rejected(tcp_name, "IPv4");

  auto no_function = valid_http();
  no_function.probe = CustomProbe{};
  expect_rejected(no_function, "no function");

  auto negative_jitter = valid_http();
  negative_jitter.interval_jitter = -1ms;
  expect_rejected(negative_jitter, "jitter");
}

TEST(EndpointCheckConfig, UsesTheUnhealthyIntervalOnlyWhileUnhealthyAndSet) {
  auto config = valid_http();
  EXPECT_EQ(config.interval_for(false), 1s);
  config.unhealthy_interval = 300ms;
  EXPECT_EQ(config.interval_for(true), 1s);
  EXPECT_EQ(config.interval_for(false), 300ms);
}

}  // namespace
}  // namespace faultline::health
