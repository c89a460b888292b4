#include "edn_reader.hpp"

#include <cctype>
#include <utility>

#include "faultline/core/assert.hpp"

namespace faultline::check::edn {

const Form* Form::find(std::string_view keyword) const {
  if (kind != Kind::map) return nullptr;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].kind == Kind::keyword && items[i].text == keyword) return &items[i + 1];
  }
  return nullptr;
}

namespace {

bool is_delimiter(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0 || c == ',' || c == '[' || c == ']' ||
         c == '{' || c == '}' || c == '(' || c == ')' || c == '"' || c == ';';
}

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  Result<Form> read() {
    // Open collections, innermost last; a finished form is added to the top.
    std::vector<std::pair<Form, char>> open;
    for (;;) {
      skip_space();
      if (at_end()) return error("unexpected end of input");
      const char c = text_[position_];
      Form done;
      if (c == '[' || c == '(' || c == '{') {
        if (open.size() >= kDepthMax) return error("nested too deeply");
        ++position_;
        const Kind kind = c == '[' ? Kind::vector : c == '(' ? Kind::list : Kind::map;
        open.emplace_back(Form{kind, {}, {}, false}, c == '[' ? ']' : c == '(' ? ')' : '}');
        continue;
      }
      if (c == ']' || c == ')' || c == '}') {
        if (open.empty() || open.back().second != c) return error(std::string("unexpected '") + c + "'");
        ++position_;
        done = std::move(open.back().first);
        open.pop_back();
        if (done.kind == Kind::map && done.items.size() % 2 != 0) {
          return error("a map needs an even number of forms");
        }
      } else {
        Result<Form> atom = read_atom();
        if (!atom.ok()) return atom.status();
        done = std::move(*atom);
      }
      if (open.empty()) return finish(std::move(done));
      open.back().first.items.push_back(std::move(done));
    }
  }

 private:
  Result<Form> finish(Form form) {
    skip_space();
    if (!at_end()) return error("unexpected text after the form");
    return form;
  }

  Result<Form> read_atom() {
    const char c = text_[position_];
    if (c == '"') return read_string();
    if (c == '#') return error("tagged literals and sets are not supported");
    if (c == '\\') return error("characters are not supported");
    const std::size_t start = position_;
    while (!at_end() && !is_delimiter(text_[position_])) ++position_;
    const std::string token(text_.substr(start, position_ - start));
    if (token == "nil") return Form{Kind::nil, {}, {}, false};
    if (token == "true" || token == "false") return Form{Kind::boolean, token, {}, token == "true"};
    if (token[0] == ':') {
      if (token.size() == 1) return error("empty keyword");
      return Form{Kind::keyword, token.substr(1), {}, false};
    }
    if (is_integer(token)) return Form{Kind::integer, strip_plus(token), {}, false};
    if (std::isdigit(static_cast<unsigned char>(token[0])) != 0) {
      return error("'" + token + "' is not a supported number (integers only)");
    }
    return Form{Kind::symbol, token, {}, false};
  }

  Result<Form> read_string() {
    ++position_;  // opening quote
    std::string value;
    while (!at_end() && text_[position_] != '"') {
      char c = text_[position_++];
      if (c == '\\') {
        if (at_end()) break;
        const char escaped = text_[position_++];
        c = escaped == 'n' ? '\n' : escaped == 't' ? '\t' : escaped == 'r' ? '\r' : escaped;
      }
      value.push_back(c);
    }
    if (at_end()) return error("unterminated string");
    ++position_;  // closing quote
    return Form{Kind::string, std::move(value), {}, false};
  }

  static bool is_integer(const std::string& token) {
    std::size_t i = token[0] == '-' || token[0] == '+' ? 1 : 0;
    if (i == token.size()) return false;
    for (; i < token.size(); ++i) {
      if (std::isdigit(static_cast<unsigned char>(token[i])) == 0) return false;
    }
    return true;
  }
  static std::string strip_plus(const std::string& token) {
    return token[0] == '+' ? token.substr(1) : token;
  }

  void skip_space() {
    while (!at_end()) {
      const char c = text_[position_];
      if (c == ';') {
        while (!at_end() && text_[position_] != '\n') ++position_;
      } else if (std::isspace(static_cast<unsigned char>(c)) != 0 || c == ',') {
        ++position_;
      } else {
        return;
      }
    }
  }
  [[nodiscard]] bool at_end() const { return position_ >= text_.size(); }
  [[nodiscard]] Status error(const std::string& what) const {
    return Status::invalid_argument("column " + std::to_string(position_ + 1) + ": " + what);
  }

  std::string_view text_;
  std::size_t position_ = 0;
};

}  // namespace

Result<Form> read_form(std::string_view text) { return Reader(text).read(); }

}  // namespace faultline::check::edn
