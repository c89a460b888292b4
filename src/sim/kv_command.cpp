#include "faultline/sim/kv_command.hpp"

#include <charconv>
#include <string_view>
#include <vector>

namespace faultline::sim {
namespace {

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  while (!text.empty()) {
    const std::size_t space = text.find(' ');
    words.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return words;
}

bool parse_u64(std::string_view word, std::uint64_t& out) {
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), out);
  return error == std::errc() && end == word.data() + word.size();
}

}  // namespace

raft::Bytes encode_command(const KvCommand& command) {
  std::string text = command.kind == KvCommand::Kind::put ? "P " : "C ";
  text += std::to_string(command.client) + ' ' + std::to_string(command.op) + ' ' + command.key;
  if (command.kind == KvCommand::Kind::cas) text += ' ' + command.expected.value_or("~");
  text += ' ' + command.value;
  return raft::to_bytes(text);
}

Result<KvCommand> decode_command(const raft::Bytes& data) {
  const std::vector<std::string_view> words = split_words(raft::as_string_view(data));
  const Status bad = Status::invalid_argument("sim: malformed kv command");
  if (words.size() < 5 || words[0].size() != 1) return bad;
  KvCommand command;
  if (words[0] == "P" && words.size() == 5) {
    command.kind = KvCommand::Kind::put;
  } else if (words[0] == "C" && words.size() == 6) {
    command.kind = KvCommand::Kind::cas;
    if (words[4] != "~") command.expected = std::string(words[4]);
  } else {
    return bad;
  }
  if (!parse_u64(words[1], command.client) || !parse_u64(words[2], command.op)) return bad;
  command.key = std::string(words[3]);
  command.value = std::string(words.back());
  return command;
}

KvApplied KvStateMachine::apply(const KvCommand& command) {
  const auto session = sessions_.find(command.client);
  if (session != sessions_.end() && command.op <= session->second.op) {
    // A retry of the last op gets its first result; an older op (its client
    // gave up on it and moved on) has no effect.
    if (command.op == session->second.op) return session->second.result;
    return KvApplied{.ok = false};
  }
  KvApplied result;
  if (command.kind == KvCommand::Kind::cas && get(command.key) != command.expected) {
    result.ok = false;
  } else {
    values_[command.key] = command.value;
  }
  sessions_[command.client] = Session{command.op, result};
  return result;
}

std::optional<std::string> KvStateMachine::get(const std::string& key) const {
  const auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::optional<KvApplied> KvStateMachine::applied_result(std::uint64_t client,
                                                        std::uint64_t op) const {
  const auto it = sessions_.find(client);
  if (it == sessions_.end() || it->second.op != op) return std::nullopt;
  return it->second.result;
}

raft::Bytes KvStateMachine::encode() const {
  std::string text;
  for (const auto& [key, value] : values_) text += "V " + key + ' ' + value + '\n';
  for (const auto& [client, session] : sessions_) {
    text += "S " + std::to_string(client) + ' ' + std::to_string(session.op) +
            (session.result.ok ? " ok\n" : " no\n");
  }
  return raft::to_bytes(text);
}

Result<KvStateMachine> KvStateMachine::decode(const raft::Bytes& data) {
  const Status bad = Status::invalid_argument("sim: malformed kv state machine snapshot");
  KvStateMachine machine;
  std::string_view text = raft::as_string_view(data);
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    if (end == std::string_view::npos) return bad;
    const std::vector<std::string_view> words = split_words(text.substr(0, end));
    text.remove_prefix(end + 1);
    if (words.size() == 3 && words[0] == "V" && !words[1].empty()) {
      machine.values_[std::string(words[1])] = std::string(words[2]);
      continue;
    }
    std::uint64_t client = 0;
    Session session;
    if (words.size() != 4 || words[0] != "S" || !parse_u64(words[1], client) ||
        !parse_u64(words[2], session.op) || (words[3] != "ok" && words[3] != "no")) {
      return bad;
    }
    session.result.ok = words[3] == "ok";
    machine.sessions_[client] = session;
  }
  return machine;
}

}  // namespace faultline::sim
