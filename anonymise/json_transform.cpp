// json{paths, others}: transforms applied inside a JSON document.

#include "anonymise/structured_transforms.hpp"
#include "anonymise/transform_registry.hpp"
#include "common/json_text.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::anonymise {

namespace {

namespace json = common::json;

struct Step {
    enum Kind : std::uint8_t { key, index, any_child, descend_key, descend_any } kind = key;
    std::string name;       // key, descend_key
    std::size_t number = 0; // index
};

constexpr const char* path_help = "valid paths: $, $.a.b, $.a[*], $.a[0], $.*, $..key, $..*, $['key with space']";

// Parses `$.a.b`, `$.a[*]`, `$.*`, `$..key`, `$['k']`, `$[0]`; "" and steps on success, else a message.
std::string parse_path(std::string_view path, std::vector<Step>& steps) {
    if (path.empty() || path[0] != '$') return "a path starts with '$'";
    std::size_t i = 1;
    const auto bracket = [&](bool descend) -> std::string {
        // at '['
        ++i;
        if (i < path.size() && path[i] == '*') {
            if (i + 1 >= path.size() || path[i + 1] != ']') return "expected ']' after '[*'";
            i += 2;
            steps.push_back({descend ? Step::descend_any : Step::any_child, {}, 0});
            return {};
        }
        if (i < path.size() && (path[i] == '\'' || path[i] == '"')) {
            const char quote = path[i++];
            std::string name;
            for (;;) {
                if (i >= path.size()) return "unterminated quoted key";
                const char c = path[i++];
                if (c == quote) break;
                if (c == '\\') {
                    if (i >= path.size()) return "unterminated quoted key";
                    name.push_back(path[i++]);
                } else {
                    name.push_back(c);
                }
            }
            if (i >= path.size() || path[i] != ']') return "expected ']' after a quoted key";
            ++i;
            steps.push_back({descend ? Step::descend_key : Step::key, std::move(name), 0});
            return {};
        }
        std::size_t number = 0;
        const std::size_t digits_start = i;
        while (i < path.size() && path[i] >= '0' && path[i] <= '9') {
            if (number > 100000000) return "array index too large";
            number = number * 10 + static_cast<std::size_t>(path[i++] - '0');
        }
        if (i == digits_start || i >= path.size() || path[i] != ']')
            return "expected '*', an index or a quoted key inside [ ]";
        if (descend) return "'..' cannot be followed by an index";
        ++i;
        steps.push_back({Step::index, {}, number});
        return {};
    };
    while (i < path.size()) {
        if (path[i] == '[') {
            if (std::string error = bracket(false); !error.empty()) return error;
            continue;
        }
        if (path[i] != '.') return "expected '.' or '[' at character " + std::to_string(i + 1);
        ++i;
        bool descend = false;
        if (i < path.size() && path[i] == '.') {
            descend = true;
            ++i;
        }
        if (i < path.size() && path[i] == '[' && descend) {
            if (std::string error = bracket(true); !error.empty()) return error;
            continue;
        }
        if (i < path.size() && path[i] == '*') {
            ++i;
            steps.push_back({descend ? Step::descend_any : Step::any_child, {}, 0});
            continue;
        }
        const std::size_t start = i;
        while (i < path.size() && path[i] != '.' && path[i] != '[') ++i;
        if (i == start) return "expected a key name after '.'";
        steps.push_back({descend ? Step::descend_key : Step::key, std::string(path.substr(start, i - start)), 0});
    }
    return {};
}

struct Rule {
    std::vector<Step> steps;
    std::unique_ptr<Transform> transform;
};

// A position inside a rule while walking down the document: rule index, step index.
struct State {
    std::uint32_t rule;
    std::uint32_t step;
    bool operator==(const State&) const = default;
};

// What one json apply_into() needs besides its output: the parsed document,
// the walk's states and a nested transform's result, reused from row to row
// so a document costs no allocation once they have grown (issue 13). One per
// thread and nesting depth, since a json transform may nest in another's paths.
struct Scratch {
    json::Value document;
    std::vector<State> states;
    std::string result;
};

class ScratchLease {
public:
    ScratchLease() {
        if (depth_ == pool_.size()) pool_.push_back(std::make_unique<Scratch>());
        scratch_ = pool_[depth_++].get();
    }
    ~ScratchLease() { --depth_; }
    ScratchLease(const ScratchLease&) = delete;
    ScratchLease& operator=(const ScratchLease&) = delete;
    Scratch& operator*() const { return *scratch_; }

private:
    static thread_local std::vector<std::unique_ptr<Scratch>> pool_;
    static thread_local std::size_t depth_;
    Scratch* scratch_;
};

thread_local std::vector<std::unique_ptr<Scratch>> ScratchLease::pool_;
thread_local std::size_t ScratchLease::depth_ = 0;

class Walker {
public:
    Walker(const std::vector<Rule>& rules, const Transform* others, const TransformContext& context, Scratch& scratch)
        : rules_(rules), others_(others), context_(context), states_(scratch.states), result_(scratch.result) {}

    bool changed = false;

    void run(json::Value& root) {
        states_.clear();
        for (std::uint32_t r = 0; r < rules_.size(); ++r) states_.push_back({r, 0});
        walk(root, 0, states_.size(), nullptr);
    }

private:
    // The child reached by a key (name != nullptr) or an array index.
    void advance(std::size_t begin, std::size_t end, const std::string* name, std::size_t index) {
        const std::size_t first = states_.size();
        const auto push = [&](State s) {
            for (std::size_t i = first; i < states_.size(); ++i)
                if (states_[i] == s) return;
            states_.push_back(s);
        };
        for (std::size_t i = begin; i < end; ++i) {
            const State s = states_[i];
            const auto& steps = rules_[s.rule].steps;
            if (s.step >= steps.size()) continue;
            const Step& step = steps[s.step];
            const State next{s.rule, s.step + 1};
            switch (step.kind) {
            case Step::key:
                if (name && *name == step.name) push(next);
                break;
            case Step::index:
                if (!name && index == step.number) push(next);
                break;
            case Step::any_child:
                push(next);
                break;
            case Step::descend_key:
                push(s);
                if (name && *name == step.name) push(next);
                break;
            case Step::descend_any:
                push(s);
                push(next);
                break;
            }
        }
    }

    void walk(json::Value& node, std::size_t begin, std::size_t end, const Transform* inherited) {
        const Transform* direct = nullptr;
        std::uint32_t best = UINT32_MAX;
        for (std::size_t i = begin; i < end; ++i) {
            const State s = states_[i];
            if (s.step == rules_[s.rule].steps.size() && s.rule < best) {
                best = s.rule;
                direct = rules_[s.rule].transform.get();
            }
        }
        switch (node.type) {
        case json::Type::string: {
            const Transform* t = direct ? direct : inherited ? inherited : others_;
            if (t) apply_string(node, *t);
            return;
        }
        case json::Type::number:
        case json::Type::boolean:
            if (direct) apply_scalar(node, *direct);
            return;
        case json::Type::null:
            if (direct && direct->apply_into(std::nullopt, context_, result_)) {
                node.become_string(std::move(result_));
                changed = true;
            }
            return;
        case json::Type::array:
        case json::Type::object: {
            const Transform* pass = direct ? direct : inherited;
            const bool object = node.type == json::Type::object;
            for (std::size_t i = 0; i < node.items.size(); ++i) {
                const std::size_t child_begin = states_.size();
                if (begin < end) advance(begin, end, object ? &node.keys[i] : nullptr, i);
                walk(node.items[i], child_begin, states_.size(), pass);
                states_.resize(child_begin);
            }
            return;
        }
        }
    }

    void apply_string(json::Value& node, const Transform& transform) {
        if (!transform.apply_into(std::optional<std::string_view>(node.text), context_, result_)) {
            node.become_null();
            changed = true;
        } else if (result_ != node.text) {
            node.text.swap(result_); // both buffers stay in use: no allocation
            changed = true;
        }
    }

    void apply_scalar(json::Value& node, const Transform& transform) {
        const bool boolean = node.type == json::Type::boolean;
        const std::string_view text = boolean ? (node.boolean ? "true" : "false") : std::string_view(node.text);
        if (!transform.apply_into(std::optional<std::string_view>(text), context_, result_)) {
            node.become_null();
            changed = true;
            return;
        }
        if (result_ == text) return;
        changed = true;
        if (boolean && (result_ == "true" || result_ == "false")) {
            node.boolean = result_ == "true";
        } else if (!boolean && json::is_number(result_)) {
            node.text.swap(result_);
        } else {
            node.become_string(std::move(result_));
        }
    }

    const std::vector<Rule>& rules_;
    const Transform* others_;
    const TransformContext& context_;
    std::vector<State>& states_;
    std::string& result_; // a nested transform's output, swapped into the node when it differs
};

class JsonTransform final : public Transform {
public:
    JsonTransform(std::vector<Rule> rules, std::unique_ptr<Transform> others)
        : rules_(std::move(rules)), others_(std::move(others)) {
        for (const auto& rule : rules_) needs_row_ = needs_row_ || rule.transform->needs_row();
        needs_row_ = needs_row_ || (others_ && others_->needs_row());
    }

    bool apply_into(const std::optional<std::string_view>& value, const TransformContext& context,
                    std::string& out) const override {
        if (!value) return false;
        const ScratchLease lease;
        Scratch& scratch = *lease;
        try {
            json::parse(*value, scratch.document);
        } catch (const json::ParseError& error) {
            throw TransformError(std::string("json: ") + error.what());
        }
        Walker walker(rules_, others_.get(), context, scratch);
        walker.run(scratch.document);
        if (!walker.changed) {
            out.assign(*value);
            return true;
        }
        out.clear();
        out.reserve(value->size() + 16);
        json::serialise(scratch.document, out);
        return true;
    }

    bool needs_row() const override { return needs_row_; }

private:
    std::vector<Rule> rules_;
    std::unique_ptr<Transform> others_;
    bool needs_row_ = false;
};

} // namespace

std::unique_ptr<Transform> make_json(const TransformConfig& config, std::vector<ConfigProblem>& problems) {
    bool ok = true;
    std::vector<Rule> rules;
    std::unique_ptr<Transform> others;
    for (const auto& [name, nested] : config.nested) {
        if (name == "others") {
            others = build_transform(nested, problems);
            ok = ok && others != nullptr;
            continue;
        }
        if (name.empty() || name[0] != '$') {
            problems.push_back({nested.where, "unknown parameter \"" + name + "\" for json — valid: paths, others"});
            ok = false;
            continue;
        }
        Rule rule;
        if (std::string error = parse_path(name, rule.steps); !error.empty()) {
            problems.push_back(
                {nested.where, "invalid JSON path \"" + name + "\" for json (" + error + ") — " + path_help});
            ok = false;
            // Still build the transform, to report its problems too.
        }
        rule.transform = build_transform(nested, problems);
        ok = ok && rule.transform != nullptr;
        rules.push_back(std::move(rule));
    }
    if (!ok) return nullptr;
    return std::make_unique<JsonTransform>(std::move(rules), std::move(others));
}

} // namespace pgscrub::anonymise
