#include "cli/secret_key.hpp"

#include "cli/arguments.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace pgscrub::cli {

std::string read_key(const rules::RulesFile& rules, const std::optional<std::string>& secret_file) {
    std::string key;
    if (secret_file) {
        std::ifstream in(*secret_file, std::ios::binary);
        if (!in) throw UsageError("cannot read the key file " + *secret_file + " given to --secret-file");
        key.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
    } else if (const char* value = std::getenv(rules.secret_env.c_str())) {
        key = value;
    } else {
        throw UsageError("no key: set the environment variable " + rules.secret_env + " (secret_env in " + rules.path +
                         ") or pass --secret-file FILE; make one with: openssl rand -hex 32");
    }
    if (key.size() < 16) {
        throw UsageError(std::string("the key is too short (") + std::to_string(key.size()) +
                         " bytes): use at least 16 bytes, e.g. from: openssl rand -hex 32");
    }
    return key;
}

} // namespace pgscrub::cli
