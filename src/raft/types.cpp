#include "faultline/raft/types.hpp"

#include "faultline/raft/message.hpp"

namespace faultline::raft {

Bytes to_bytes(std::string_view text) {
  Bytes bytes(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) bytes[i] = static_cast<std::byte>(text[i]);
  return bytes;
}

std::string_view as_string_view(const Bytes& bytes) noexcept {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::size_t entry_size_bytes(const Entry& entry) noexcept {
  // term + index + type: a fixed header so empty entries still cost something.
  constexpr std::size_t kHeaderBytes = 17;
  return kHeaderBytes + entry.data.size();
}

std::string_view role_name(Role role) noexcept {
  switch (role) {
    case Role::follower: return "follower";
    case Role::pre_candidate: return "pre_candidate";
    case Role::candidate: return "candidate";
    case Role::leader: return "leader";
  }
  return "invalid_role";
}

std::string_view message_type_name(MessageType type) noexcept {
  switch (type) {
    case MessageType::vote: return "vote";
    case MessageType::vote_response: return "vote_response";
    case MessageType::pre_vote: return "pre_vote";
    case MessageType::pre_vote_response: return "pre_vote_response";
    case MessageType::append: return "append";
    case MessageType::append_response: return "append_response";
    case MessageType::heartbeat: return "heartbeat";
    case MessageType::heartbeat_response: return "heartbeat_response";
    case MessageType::timeout_now: return "timeout_now";
    case MessageType::install_snapshot: return "install_snapshot";
  }
  return "invalid_message_type";
}

}  // namespace faultline::raft
