#include "net/aws_credentials.hpp"

#include "common/error.hpp"
#include "common/secret_masking.hpp"
#include "common/url_parts.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>

namespace pgscrub::net {

namespace {

using common::Error;
using common::ErrorKind;
using common::ErrorLocation;

// A credentials or config file is a few lines; anything much bigger is not one.
constexpr std::size_t kMaxIniBytes = 1 << 20;

struct IniValue {
    std::string value;
    int line = 0;
};

struct IniSection {
    int line = 0;
    std::map<std::string, IniValue> values; // keys lower-cased, as configparser does

    const IniValue* find(const std::string& key) const {
        auto it = values.find(key);
        return it == values.end() ? nullptr : &it->second;
    }
};

struct IniFile {
    std::string path;
    std::string variable; // the variable that points at it, for messages
    bool present = false;
    std::map<std::string, IniSection> sections; // by section name as written, trimmed
};

[[noreturn]] void fail(const std::string& where, const std::string& what) {
    throw Error(ErrorKind::Usage, what, ErrorLocation{where, {}, {}, {}});
}

std::string at_line(const std::string& path, int line) {
    return path + ":" + std::to_string(line);
}

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Reads `file.path` if it exists. The grammar is configparser's, as the AWS
// CLI reads these files: full-line comments (# or ;), [section], key = value
// or key: value, indented continuation lines (nested settings such as
// `s3 =` followed by `  addressing_style = path`) appended to the value.
void read_ini(IniFile& file) {
    struct stat info {};
    if (::stat(file.path.c_str(), &info) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) return; // absent: the AWS CLI reads nothing either
        fail(file.path, std::string("cannot be read (") + std::strerror(errno) + "): fix it or point " + file.variable +
                            " elsewhere");
    }
    if (!S_ISREG(info.st_mode))
        fail(file.path, "is not a regular file: point " + file.variable + " at the file itself");
    if (static_cast<std::size_t>(info.st_size) > kMaxIniBytes)
        fail(file.path, "is over 1 MiB, too big for an AWS " + file.variable.substr(4) + ": point " + file.variable +
                            " at the right file");
    std::ifstream in(file.path, std::ios::binary);
    std::stringstream buffer;
    // An empty file (`touch ~/.aws/credentials`) is valid and holds nothing;
    // `buffer << rdbuf()` would set failbit on it, having inserted no character.
    if (!in || (info.st_size > 0 && !(buffer << in.rdbuf())))
        fail(file.path, std::string("cannot be read (") + std::strerror(errno) + "): fix it or point " + file.variable +
                            " elsewhere");
    file.present = true;

    IniSection* section = nullptr;
    IniValue* last_value = nullptr;
    std::string line;
    int number = 0;
    while (std::getline(buffer, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string text = trim(line);
        if (text.empty() || text.front() == '#' || text.front() == ';') continue;
        const bool indented = line.front() == ' ' || line.front() == '\t';
        if (indented && last_value != nullptr) {
            last_value->value += "\n" + text;
            continue;
        }
        last_value = nullptr;
        if (text.front() == '[') {
            if (text.back() != ']')
                fail(at_line(file.path, number), "a section header without its closing ']': write it as [NAME]");
            const std::string name = trim(std::string_view(text).substr(1, text.size() - 2));
            if (name.empty()) fail(at_line(file.path, number), "an empty section name []: name the profile");
            auto [slot, inserted] = file.sections.try_emplace(name, IniSection{number, {}});
            if (!inserted)
                fail(at_line(file.path, number), "section [" + common::printable_text(name) +
                                                     "] again (first at line " + std::to_string(slot->second.line) +
                                                     "): merge the two");
            section = &slot->second;
            continue;
        }
        const auto split = text.find_first_of("=:");
        if (split == std::string::npos || split == 0)
            fail(at_line(file.path, number),
                 "neither [section], `key = value` nor a comment (the line is not shown: it "
                 "may hold a secret): fix or remove it");
        const std::string key = lower(trim(std::string_view(text).substr(0, split)));
        if (section == nullptr)
            fail(at_line(file.path, number), "setting " + common::printable_text(key) +
                                                 " comes before any [section]: put it under the profile it belongs to");
        auto [slot, inserted] =
            section->values.try_emplace(key, IniValue{trim(std::string_view(text).substr(split + 1)), number});
        if (!inserted)
            fail(at_line(file.path, number), common::printable_text(key) +
                                                 " is set twice in its section (first at line " +
                                                 std::to_string(slot->second.line) + "): keep one");
        last_value = &slot->second;
    }
}

// The config file's section for `profile`: [profile NAME], or [default] /
// [profile default] for the default profile (the later of the two wins, as
// in the AWS CLI).
const IniSection* config_section(const IniFile& config, const std::string& profile) {
    const IniSection* found = nullptr;
    for (const auto& [name, section] : config.sections) {
        std::string named;
        if (name == "default") {
            named = "default";
        } else if (name.rfind("profile", 0) == 0 && name.size() > 7 && (name[7] == ' ' || name[7] == '\t')) {
            named = trim(std::string_view(name).substr(8));
        } else {
            continue; // [sso-session x], [services x]: not profiles
        }
        if (named == profile && (found == nullptr || section.line > found->line)) found = &section;
    }
    return found;
}

const IniSection* credentials_section(const IniFile& credentials, const std::string& profile) {
    auto it = credentials.sections.find(profile);
    return it == credentials.sections.end() ? nullptr : &it->second;
}

// Each name is "VARIABLE" or "FILE:LINE: key", so a message points at the one to fix.
void check_credentials(const AwsCredentials& credentials, const std::string& id_name, const std::string& secret_name,
                       const std::string& token_name) {
    const auto has = [](const std::string& text, const char* set) {
        return text.find_first_of(set) != std::string::npos;
    };
    const auto controls = [](const std::string& text) {
        return std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < ' ' || c == 0x7F; });
    };
    if (has(credentials.access_key_id, " \t/,") || controls(credentials.access_key_id))
        throw Error(
            ErrorKind::Usage,
            id_name + " holds white space, '/', ',' or a control character: an access key id has none; copy it again");
    if (controls(credentials.secret_access_key) || has(credentials.secret_access_key, " "))
        throw Error(ErrorKind::Usage,
                    secret_name + " holds white space or a control character: copy the secret access key again");
    if (controls(credentials.session_token))
        throw Error(ErrorKind::Usage,
                    token_name + " holds a line break or control character: copy the session token again");
}

// Static keys from a profile's section, if it has any. A section with only
// half of them, or with another way to get keys, is an error.
std::optional<AwsCredentials> credentials_from(const IniFile& file, const IniSection* section,
                                               const std::string& profile) {
    if (section == nullptr) return std::nullopt;
    const IniValue* id = section->find("aws_access_key_id");
    const IniValue* secret = section->find("aws_secret_access_key");
    const IniValue* token = section->find("aws_session_token");
    if (token == nullptr) token = section->find("aws_security_token"); // the older name botocore still reads
    const std::string where = at_line(file.path, section->line);
    if ((id == nullptr) != (secret == nullptr) || (id != nullptr && (id->value.empty() || secret->value.empty())))
        fail(where, "profile " + common::printable_text(profile) +
                        " needs both aws_access_key_id and aws_secret_access_key, non-empty: add the missing one");
    if (id == nullptr) {
        for (const char* other : {"role_arn", "credential_process", "sso_session", "sso_start_url",
                                  "web_identity_token_file", "credential_source"}) {
            if (section->find(other) != nullptr)
                fail(where, "profile " + common::printable_text(profile) + " gets its keys through " + other +
                                ", which pgscrub does not run: export keys first (`eval \"$(aws configure "
                                "export-credentials --profile " +
                                common::printable_text(profile) + " --format env)\"`)");
        }
        return std::nullopt;
    }
    AwsCredentials found{id->value, secret->value, token == nullptr ? "" : token->value,
                         file.path + " [" + common::printable_text(profile) + "]"};
    check_credentials(found, at_line(file.path, id->line) + ": aws_access_key_id",
                      at_line(file.path, secret->line) + ": aws_secret_access_key",
                      token == nullptr ? std::string() : at_line(file.path, token->line) + ": aws_session_token");
    return found;
}

std::string service_variable(const std::string& service) {
    std::string name = "AWS_ENDPOINT_URL_";
    for (char c : service)
        name.push_back(std::isalnum(static_cast<unsigned char>(c)) != 0
                           ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                           : '_');
    return name;
}

void check_region(const AwsSettings& settings) {
    const std::string& region = settings.region;
    if (!std::all_of(region.begin(), region.end(),
                     [](unsigned char c) { return std::islower(c) || std::isdigit(c) || c == '-'; }))
        fail(settings.region_source,
             "region " + common::printable_text(region) +
                 " is not a region name (lower-case letters, digits, '-', e.g. eu-west-1): fix it");
}

void check_endpoint(const AwsSettings& settings) {
    common::UrlParts parts;
    const bool parsed = common::parse_url(settings.endpoint_url, parts);
    if (!parsed || (parts.scheme != "http" && parts.scheme != "https") || parts.host.empty())
        fail(settings.endpoint_source, "endpoint " + common::shown_url(settings.endpoint_url) +
                                           " is not an http:// or https:// URL: write it as https://HOST[:PORT]");
    if (parts.has_user_info || !parts.query.empty() || !parts.fragment.empty())
        fail(settings.endpoint_source,
             "endpoint " + common::shown_url(settings.endpoint_url) +
                 " has user info, a query or a fragment: give only https://HOST[:PORT][/PATH]; "
                 "keys go in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY");
}

} // namespace

std::optional<std::string> process_environment(const std::string& name) {
    const char* value = std::getenv(name.c_str()); // NOLINT(concurrency-mt-unsafe): read once, before threads start
    if (value == nullptr) return std::nullopt;
    return std::string(value);
}

AwsSettings resolve_aws_settings(const std::string& service, const EnvironmentLookup& environment) {
    const auto get = [&](const std::string& name) -> std::optional<std::string> {
        std::optional<std::string> value = environment(name);
        if (value && value->empty()) return std::nullopt;
        return value;
    };
    const std::optional<std::string> home = get("HOME");
    const auto file_at = [&](const char* variable, const char* default_name) {
        IniFile file;
        file.variable = variable;
        if (auto path = get(variable)) {
            file.path = *path;
            if (home && (file.path == "~" || file.path.rfind("~/", 0) == 0)) file.path = *home + file.path.substr(1);
        } else if (home) {
            file.path = *home + "/.aws/" + default_name;
        }
        if (!file.path.empty()) read_ini(file);
        return file;
    };
    const IniFile credentials_file = file_at("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    const IniFile config_file = file_at("AWS_CONFIG_FILE", "config");
    const auto shown_path = [](const IniFile& file) {
        return file.path.empty() ? "(" + file.variable + " unset and no HOME)" : file.path;
    };

    AwsSettings settings;
    const std::optional<std::string> named_profile = get("AWS_PROFILE");
    settings.profile = named_profile.value_or("default");
    const IniSection* in_credentials = credentials_section(credentials_file, settings.profile);
    const IniSection* in_config = config_section(config_file, settings.profile);
    if (named_profile && in_credentials == nullptr && in_config == nullptr)
        fail("AWS_PROFILE", "profile " + common::printable_text(settings.profile) + " is in neither " +
                                shown_path(credentials_file) + " nor " + shown_path(config_file) +
                                ": add it, or set AWS_PROFILE to one that is there");

    // Credentials: the environment first, as the AWS CLI does even when
    // AWS_PROFILE is set.
    const std::optional<std::string> id = get("AWS_ACCESS_KEY_ID");
    const std::optional<std::string> secret = get("AWS_SECRET_ACCESS_KEY");
    if (id.has_value() != secret.has_value())
        fail("environment", std::string(id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                                           : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") +
                                ": set both, or unset both to use profile " + common::printable_text(settings.profile));
    if (id) {
        std::optional<std::string> token = get("AWS_SESSION_TOKEN");
        if (!token) token = get("AWS_SECURITY_TOKEN");
        settings.credentials = AwsCredentials{*id, *secret, token.value_or(""), "environment"};
        check_credentials(settings.credentials, "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
    } else if (auto found = credentials_from(credentials_file, in_credentials, settings.profile)) {
        settings.credentials = std::move(*found);
    } else if (auto found_in_config = credentials_from(config_file, in_config, settings.profile)) {
        settings.credentials = std::move(*found_in_config);
    } else {
        throw Error(ErrorKind::Usage,
                    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for "
                    "temporary keys), or put aws_access_key_id and aws_secret_access_key under [" +
                        common::printable_text(settings.profile) + "] in " + shown_path(credentials_file) +
                        " (AWS_SHARED_CREDENTIALS_FILE; AWS_PROFILE picks the profile)");
    }

    if (auto region = get("AWS_REGION")) {
        settings.region = *region;
        settings.region_source = "AWS_REGION";
    } else if (auto default_region = get("AWS_DEFAULT_REGION")) {
        settings.region = *default_region;
        settings.region_source = "AWS_DEFAULT_REGION";
    } else if (const IniValue* value = in_config == nullptr ? nullptr : in_config->find("region");
               value != nullptr && !value->value.empty()) {
        settings.region = value->value;
        settings.region_source = at_line(config_file.path, value->line);
    } else {
        settings.region = "us-east-1";
        settings.region_source = "default";
    }
    check_region(settings);

    const std::optional<std::string> ignore = get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    if (ignore && lower(*ignore) == "true") return settings;
    const std::string for_service = service_variable(service);
    if (auto url = get(for_service)) {
        settings.endpoint_url = *url;
        settings.endpoint_source = for_service;
    } else if (auto any_url = get("AWS_ENDPOINT_URL")) {
        settings.endpoint_url = *any_url;
        settings.endpoint_source = "AWS_ENDPOINT_URL";
    } else if (const IniValue* value = in_config == nullptr ? nullptr : in_config->find("endpoint_url");
               value != nullptr && !value->value.empty()) {
        settings.endpoint_url = value->value;
        settings.endpoint_source = at_line(config_file.path, value->line);
    }
    if (!settings.endpoint_url.empty()) check_endpoint(settings);
    return settings;
}

} // namespace pgscrub::net
