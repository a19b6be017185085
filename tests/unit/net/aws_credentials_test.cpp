// Credentials, region and endpoint found as the AWS CLI finds them, and the
// strict INI reader's errors: each names FILE:LINE and the fix and never
// quotes a value (credentials files hold secrets). The environment is given
// to the resolver as a map; one test goes through the real process
// environment and puts it back as it was.

#include "net/aws_credentials.hpp"

#include "common/error.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>

using namespace pgscrub::net;
namespace fs = std::filesystem;

namespace {

// A fresh directory standing in for HOME, removed afterwards.
struct TempHome {
    fs::path dir;
    TempHome() {
        std::string pattern = (fs::temp_directory_path() / "pgscrub-aws-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        dir = pattern;
        fs::create_directories(dir / ".aws");
    }
    ~TempHome() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
    TempHome(const TempHome&) = delete;
    TempHome& operator=(const TempHome&) = delete;

    std::string write(const std::string& name, const std::string& text) const {
        const fs::path path = dir / name;
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }
};

struct Env {
    std::map<std::string, std::string> values;
    EnvironmentLookup lookup() const {
        return [this](const std::string& name) -> std::optional<std::string> {
            auto it = values.find(name);
            if (it == values.end()) return std::nullopt;
            return it->second;
        };
    }
};

// The message of the Usage error resolve_aws_settings throws, as printed.
std::string failure(const Env& env) {
    try {
        resolve_aws_settings("s3", env.lookup());
    } catch (const pgscrub::common::Error& e) {
        CHECK(e.kind() == pgscrub::common::ErrorKind::Usage);
        return e.describe();
    }
    FAIL("resolve_aws_settings did not fail");
    return {};
}

const std::string kSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

} // namespace

TEST_CASE("environment keys come first, even with AWS_PROFILE set", "[net][aws-config]") {
    TempHome home;
    home.write(".aws/credentials", "[work]\naws_access_key_id = AKIAFILE\naws_secret_access_key = filesecret\n");
    Env env{{{"HOME", home.dir.string()},
             {"AWS_PROFILE", "work"},
             {"AWS_ACCESS_KEY_ID", "AKIAENV"},
             {"AWS_SECRET_ACCESS_KEY", kSecret},
             {"AWS_SESSION_TOKEN", "token+/="}}};
    const AwsSettings settings = resolve_aws_settings("s3", env.lookup());
    CHECK(settings.credentials.access_key_id == "AKIAENV");
    CHECK(settings.credentials.secret_access_key == kSecret);
    CHECK(settings.credentials.session_token == "token+/=");
    CHECK(settings.credentials.source == "environment");
    CHECK(settings.profile == "work");
    CHECK(settings.region == "us-east-1");
    CHECK(settings.region_source == "default");
    CHECK(settings.endpoint_url.empty());
}

TEST_CASE("the profile's keys come from the credentials file, region and endpoint from the config file",
          "[net][aws-config]") {
    TempHome home;
    home.write(".aws/credentials",
               "# comment\n[default]\naws_access_key_id=AKIADEFAULT\naws_secret_access_key=defaultsecret\n\n"
               "[media]\r\nAWS_Access_Key_ID : AKIAMEDIA\r\naws_secret_access_key = a b\r\n");
    home.write(".aws/config",
               "[default]\nregion = eu-west-2\n"
               "[profile media]\n; comment\nregion = eu-central-1\nendpoint_url = http://127.0.0.1:4568\n"
               "s3 =\n  addressing_style = path\n"
               "[sso-session corp]\nsso_region = us-east-1\n");
    Env env{{{"HOME", home.dir.string()}}};
    AwsSettings settings = resolve_aws_settings("s3", env.lookup());
    CHECK(settings.credentials.access_key_id == "AKIADEFAULT");
    CHECK(settings.credentials.source == (home.dir / ".aws/credentials").string() + " [default]");
    CHECK(settings.region == "eu-west-2");
    CHECK(settings.region_source == (home.dir / ".aws/config").string() + ":2");

    // A secret with an inner space is refused, naming the line, not the value.
    env.values["AWS_PROFILE"] = "media";
    std::string message = failure(env);
    CHECK(message.find(".aws/credentials:8: aws_secret_access_key holds white space") != std::string::npos);
    CHECK(message.find("a b") == std::string::npos);

    home.write(".aws/credentials", "[media]\nAWS_Access_Key_ID : AKIAMEDIA\naws_secret_access_key = " + kSecret + "\n");
    settings = resolve_aws_settings("s3", env.lookup());
    CHECK(settings.credentials.access_key_id == "AKIAMEDIA");
    CHECK(settings.credentials.secret_access_key == kSecret);
    CHECK(settings.region == "eu-central-1");
    CHECK(settings.endpoint_url == "http://127.0.0.1:4568");
    CHECK(settings.endpoint_source == (home.dir / ".aws/config").string() + ":6");

    // The environment overrides the file, in the AWS CLI's order.
    env.values["AWS_DEFAULT_REGION"] = "ap-south-1";
    CHECK(resolve_aws_settings("s3", env.lookup()).region == "ap-south-1");
    env.values["AWS_REGION"] = "sa-east-1";
    CHECK(resolve_aws_settings("s3", env.lookup()).region == "sa-east-1");
    env.values["AWS_ENDPOINT_URL"] = "https://s3.example.org";
    CHECK(resolve_aws_settings("s3", env.lookup()).endpoint_url == "https://s3.example.org");
    env.values["AWS_ENDPOINT_URL_S3"] = "http://localhost:9000";
    settings = resolve_aws_settings("s3", env.lookup());
    CHECK(settings.endpoint_url == "http://localhost:9000");
    CHECK(settings.endpoint_source == "AWS_ENDPOINT_URL_S3");
    env.values["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
    CHECK(resolve_aws_settings("s3", env.lookup()).endpoint_url.empty());
}

TEST_CASE("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files; keys may sit in the config file",
          "[net][aws-config]") {
    TempHome home;
    const std::string config = home.write("cfg", "[profile x]\naws_access_key_id = AKIACFG\naws_secret_access_key = s\n"
                                                 "aws_session_token = t\nregion = us-west-2\n");
    Env env{{{"HOME", home.dir.string()},
             {"AWS_CONFIG_FILE", config},
             {"AWS_SHARED_CREDENTIALS_FILE", "~/missing"},
             {"AWS_PROFILE", "x"}}};
    const AwsSettings settings = resolve_aws_settings("s3", env.lookup());
    CHECK(settings.credentials.access_key_id == "AKIACFG");
    CHECK(settings.credentials.session_token == "t");
    CHECK(settings.credentials.source == config + " [x]");
    CHECK(settings.region == "us-west-2");
}

TEST_CASE("empty credentials and config files hold nothing and are no error", "[net][aws-config]") {
    TempHome home;
    Env env{{{"HOME", home.dir.string()},
             {"AWS_CONFIG_FILE", home.write("empty-config", "")},
             {"AWS_SHARED_CREDENTIALS_FILE", home.write("empty-credentials", "")},
             {"AWS_ACCESS_KEY_ID", "AKIAENV"},
             {"AWS_SECRET_ACCESS_KEY", kSecret},
             {"AWS_REGION", "eu-west-1"}}};
    const AwsSettings settings = resolve_aws_settings("s3", env.lookup());
    CHECK(settings.credentials.access_key_id == "AKIAENV");
    CHECK(settings.region == "eu-west-1");
}

TEST_CASE("missing credentials are one line naming what to set", "[net][aws-config]") {
    TempHome home;
    Env env{{{"HOME", home.dir.string()}}};
    const std::string message = failure(env);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find("no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") != std::string::npos);
    CHECK(message.find((home.dir / ".aws/credentials").string()) != std::string::npos);
    CHECK(message.find("AWS_SHARED_CREDENTIALS_FILE") != std::string::npos);

    // Half of a pair in the environment.
    env.values["AWS_ACCESS_KEY_ID"] = "AKIAENV";
    CHECK(failure(env).find("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not") != std::string::npos);
    env.values.erase("AWS_ACCESS_KEY_ID");
    env.values["AWS_SECRET_ACCESS_KEY"] = kSecret;
    CHECK(failure(env).find(kSecret) == std::string::npos);

    // A key pasted with a line break is named, not shown.
    env.values["AWS_ACCESS_KEY_ID"] = "AKIAENV";
    env.values["AWS_SECRET_ACCESS_KEY"] = kSecret + "\n";
    CHECK(failure(env).find("AWS_SECRET_ACCESS_KEY holds white space or a control character") != std::string::npos);
    CHECK(failure(env).find(kSecret) == std::string::npos);
    env.values["AWS_SECRET_ACCESS_KEY"] = kSecret;

    // An empty variable counts as unset.
    env.values["AWS_ACCESS_KEY_ID"] = "";
    CHECK(failure(env).find("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") != std::string::npos);
}

TEST_CASE("profiles that cannot give keys are refused with the fix", "[net][aws-config]") {
    TempHome home;
    home.write(".aws/credentials", "[half]\naws_access_key_id = AKIAHALF\n");
    home.write(".aws/config", "[profile sso]\nsso_session = corp\nregion = eu-west-1\n");
    Env env{{{"HOME", home.dir.string()}, {"AWS_PROFILE", "nope"}}};
    CHECK(failure(env).find("profile nope is in neither") != std::string::npos);
    env.values["AWS_PROFILE"] = "half";
    CHECK(
        failure(env).find(".aws/credentials:1: profile half needs both aws_access_key_id and aws_secret_access_key") !=
        std::string::npos);
    env.values["AWS_PROFILE"] = "sso";
    const std::string message = failure(env);
    CHECK(message.find(".aws/config:1: profile sso gets its keys through sso_session") != std::string::npos);
    CHECK(message.find("export-credentials --profile sso") != std::string::npos);
}

TEST_CASE("the INI reader is strict and never quotes a line", "[net][aws-config]") {
    TempHome home;
    Env env{{{"HOME", home.dir.string()}}};
    const std::string path = (home.dir / ".aws/credentials").string();
    const auto error_for = [&](const std::string& text) {
        home.write(".aws/credentials", text);
        return failure(env);
    };
    std::string message = error_for("[default]\naws_access_key_id = AKIA\nSECRETLINEWITHOUTEQUALS\n");
    CHECK(message.find(path + ":3: neither [section], `key = value` nor a comment") != std::string::npos);
    CHECK(message.find("SECRETLINEWITHOUTEQUALS") == std::string::npos);

    message = error_for("aws_secret_access_key = topsecret\n[default]\n");
    CHECK(message.find(path + ":1: setting aws_secret_access_key comes before any [section]") != std::string::npos);
    CHECK(message.find("topsecret") == std::string::npos);

    message = error_for("[default]\naws_secret_access_key = firstvalue\naws_secret_access_key = secondvalue\n");
    CHECK(message.find(path + ":3: aws_secret_access_key is set twice in its section (first at line 2)") !=
          std::string::npos);
    CHECK(message.find("firstvalue") == std::string::npos);

    CHECK(error_for("[default]\n[a]\n[default]\n").find(path + ":3: section [default] again (first at line 1)") !=
          std::string::npos);
    CHECK(error_for("[default\n").find(path + ":1: a section header without its closing ']'") != std::string::npos);
    CHECK(error_for("[ ]\n").find(path + ":1: an empty section name") != std::string::npos);

    fs::remove(path);
    fs::create_directory(path);
    CHECK(failure(env).find(path + ": is not a regular file") != std::string::npos);
}

TEST_CASE("a region or endpoint that cannot be right is refused", "[net][aws-config]") {
    TempHome home;
    home.write(".aws/config", "[default]\nregion = eu-west-1 # Ireland\n");
    Env env{{{"HOME", home.dir.string()}, {"AWS_ACCESS_KEY_ID", "AKIA"}, {"AWS_SECRET_ACCESS_KEY", kSecret}}};
    CHECK(failure(env).find(".aws/config:2: region eu-west-1 # Ireland is not a region name") != std::string::npos);
    home.write(".aws/config", "[default]\n");
    env.values["AWS_ENDPOINT_URL"] = "http://user:endpointpw@127.0.0.1:4568";
    const std::string message = failure(env);
    CHECK(message.find("AWS_ENDPOINT_URL: endpoint http://***@127.0.0.1:4568 has user info") != std::string::npos);
    CHECK(message.find("endpointpw") == std::string::npos);
    env.values["AWS_ENDPOINT_URL"] = "127.0.0.1:4568";
    CHECK(failure(env).find("is not an http:// or https:// URL") != std::string::npos);
}

TEST_CASE("the process environment is read by default", "[net][aws-config]") {
    // Set for this test only; each variable is put back as it was.
    struct Saved {
        std::string name;
        std::optional<std::string> value;
    };
    std::vector<Saved> saved;
    const auto set = [&](const std::string& name, const char* value) {
        saved.push_back({name, process_environment(name)});
        if (value == nullptr) {
            ::unsetenv(name.c_str());
        } else {
            ::setenv(name.c_str(), value, 1);
        }
    };
    set("AWS_ACCESS_KEY_ID", "AKIAPROCESS");
    set("AWS_SECRET_ACCESS_KEY", "processsecret");
    set("AWS_SESSION_TOKEN", nullptr);
    set("AWS_SECURITY_TOKEN", nullptr);
    set("AWS_PROFILE", nullptr);
    set("AWS_REGION", "eu-north-1");
    set("AWS_ENDPOINT_URL_S3", nullptr);
    set("AWS_ENDPOINT_URL", nullptr);
    set("AWS_CONFIG_FILE", "/nonexistent/pgscrub/config");
    set("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/pgscrub/credentials");
    AwsSettings settings;
    try {
        settings = resolve_aws_settings("s3");
    } catch (...) {
        for (auto it = saved.rbegin(); it != saved.rend(); ++it)
            it->value ? ::setenv(it->name.c_str(), it->value->c_str(), 1) : ::unsetenv(it->name.c_str());
        throw;
    }
    for (auto it = saved.rbegin(); it != saved.rend(); ++it)
        it->value ? ::setenv(it->name.c_str(), it->value->c_str(), 1) : ::unsetenv(it->name.c_str());
    CHECK(settings.credentials.access_key_id == "AKIAPROCESS");
    CHECK(settings.region == "eu-north-1");
    CHECK(process_environment("AWS_CONFIG_FILE") == saved[8].value);
}
