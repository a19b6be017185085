#include "dump/statistics_sql.hpp"

#include "dump/sql_lexer.hpp"

namespace pgscrub::dump {

namespace {

constexpr std::string_view kRelationFunction = "pg_restore_relation_stats";
constexpr std::string_view kAttributeFunction = "pg_restore_attribute_stats";

// A string literal pgscrub can read back exactly: '…' or E'…', closed.
// (B'…', X'…', N'…' and dollar quotes never appear in pg_dump's statistics.)
bool is_closed_string_literal(const SqlToken& token, std::string_view sql) {
    if (token.kind != SqlTokenKind::String || token.length < 2) return false;
    std::string_view text = sql.substr(token.offset, token.length);
    bool plain = text.front() == '\'';
    bool escaped = (text.front() == 'E' || text.front() == 'e') && text.size() >= 3 && text[1] == '\'';
    return (plain || escaped) && text.back() == '\'';
}

// Walks the tokens of one text, with errors that say where.
class Cursor {
public:
    explicit Cursor(std::string_view sql) : sql_(sql), tokens_(tokenize_sql(sql)) {}

    bool done() const { return i_ >= tokens_.size(); }
    const SqlToken& peek() const { return tokens_[i_]; }
    const SqlToken& take() {
        if (done()) fail("the text ends early");
        last_end_ = tokens_[i_].end();
        return tokens_[i_++];
    }
    // Where the last token taken ends.
    std::size_t last_end() const { return last_end_; }
    std::size_t offset() const { return done() ? sql_.size() : tokens_[i_].offset; }

    void expect_keyword(std::string_view word) {
        if (done() || !peek().is_keyword(word)) fail("expected " + std::string(word));
        take();
    }
    void expect_punctuation(char c) {
        if (done() || !peek().is_punctuation(c)) fail(std::string("expected '") + c + "'");
        take();
    }
    void expect_operator(std::string_view op) {
        if (done() || peek().kind != SqlTokenKind::Operator || peek().value != op) fail("expected " + std::string(op));
        take();
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw StatisticsSqlError("not the statistics SQL pg_dump writes: " + what, offset());
    }

    std::string_view sql() const { return sql_; }

private:
    std::string_view sql_;
    std::vector<SqlToken> tokens_;
    std::size_t i_ = 0;
    std::size_t last_end_ = 0;
};

// SELECT * FROM pg_catalog.pg_restore_{relation,attribute}_stats (
StatisticsCall::Kind read_call_head(Cursor& c) {
    c.expect_keyword("select");
    c.expect_operator("*");
    c.expect_keyword("from");
    c.expect_keyword("pg_catalog");
    c.expect_punctuation('.');
    const SqlToken& function = c.take();
    StatisticsCall::Kind kind;
    if (function.is_keyword(kRelationFunction)) {
        kind = StatisticsCall::Kind::Relation;
    } else if (function.is_keyword(kAttributeFunction)) {
        kind = StatisticsCall::Kind::Attribute;
    } else {
        c.fail("a call of pg_catalog." + std::string(kRelationFunction) + " or " + std::string(kAttributeFunction));
    }
    c.expect_punctuation('(');
    return kind;
}

// 'literal' or 'literal'::type (the type may be two words or end in []).
StatisticsArgument read_value(Cursor& c, std::string name) {
    std::size_t start = c.offset();
    const SqlToken& literal = c.take();
    if (!is_closed_string_literal(literal, c.sql())) c.fail("the value of '" + name + "' is not a string literal");
    StatisticsArgument argument{std::move(name), literal.value, {}};
    std::size_t end = literal.end();
    if (!c.done() && c.peek().kind == SqlTokenKind::Operator && c.peek().value == "::") {
        c.take();
        const SqlToken& type = c.take();
        if (!type.is_name()) c.fail("a type name after ::");
        end = type.end();
        // double precision, character varying; real[]
        while (!c.done() && c.peek().kind == SqlTokenKind::Identifier) end = c.take().end();
        while (!c.done() && c.peek().is_punctuation('[')) {
            c.take();
            c.expect_punctuation(']');
            end = c.last_end();
        }
    }
    argument.sql = std::string(c.sql().substr(start, end - start));
    return argument;
}

// Arguments that say how a column's values are distributed without naming
// any of them.
constexpr std::string_view kArgumentsWithoutValues[] = {"version",   "schemaname", "relname",    "attname",
                                                        "attnum",    "inherited",  "null_frac",  "avg_width",
                                                        "n_distinct", "correlation"};

} // namespace

bool is_value_argument(std::string_view name) {
    for (std::string_view known : kArgumentsWithoutValues) {
        if (known == name) return false;
    }
    return true;
}

const StatisticsArgument* StatisticsCall::find(std::string_view name) const {
    for (const StatisticsArgument& a : arguments) {
        if (a.name == name) return &a;
    }
    return nullptr;
}

std::string StatisticsCall::describe() const {
    auto value = [&](std::string_view name) {
        const StatisticsArgument* a = find(name);
        return a ? a->value : std::string("?");
    };
    std::string text = value("schemaname") + "." + value("relname");
    if (kind == Kind::Attribute) text += find("attname") ? "." + value("attname") : " expression #" + value("attnum");
    return text;
}

bool is_statistics_sql(std::string_view sql) {
    std::vector<SqlToken> tokens = tokenize_sql(sql.substr(0, 200));
    // SELECT * FROM pg_catalog . function
    if (tokens.size() < 6 || !tokens[0].is_keyword("select")) return false;
    for (std::size_t i = 1; i < tokens.size(); ++i) {
        if (tokens[i].is_keyword(kRelationFunction) || tokens[i].is_keyword(kAttributeFunction)) return true;
        if (tokens[i].is_punctuation('(') || tokens[i].is_punctuation(';')) return false;
    }
    return false;
}

std::vector<StatisticsCall> parse_statistics_sql(std::string_view sql) {
    Cursor c(sql);
    std::vector<StatisticsCall> calls;
    while (!c.done()) {
        StatisticsCall call;
        call.kind = read_call_head(c);
        while (!c.done() && !c.peek().is_punctuation(')')) {
            if (!call.arguments.empty()) c.expect_punctuation(',');
            const SqlToken& name = c.take();
            if (!is_closed_string_literal(name, sql)) c.fail("an argument name in quotes");
            c.expect_punctuation(',');
            call.arguments.push_back(read_value(c, name.value));
            if (c.done()) c.fail("the call is not closed");
        }
        c.expect_punctuation(')');
        c.expect_punctuation(';');
        if (!call.find("schemaname") || !call.find("relname")) c.fail("a call without schemaname and relname");
        calls.push_back(std::move(call));
    }
    if (calls.empty()) c.fail("no statistics call");
    return calls;
}

std::string format_statistics_sql(const std::vector<StatisticsCall>& calls) {
    std::string out;
    for (const StatisticsCall& call : calls) {
        out += "SELECT * FROM pg_catalog.";
        out += call.kind == StatisticsCall::Kind::Relation ? kRelationFunction : kAttributeFunction;
        out += "(\n";
        for (std::size_t i = 0; i < call.arguments.size(); ++i) {
            const StatisticsArgument& a = call.arguments[i];
            out += "\t'";
            for (char ch : a.name) out += ch == '\'' ? std::string("''") : std::string(1, ch);
            out += "', " + a.sql;
            out += i + 1 < call.arguments.size() ? ",\n" : "\n";
        }
        out += ");\n";
    }
    return out;
}

} // namespace pgscrub::dump
