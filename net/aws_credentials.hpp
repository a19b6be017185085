#pragma once
// AWS credentials, region and endpoint, found where the AWS CLI finds them,
// so that a machine set up for `aws s3 sync` is set up for pgscrub
// (docs/aws-signing.md §3 gives the order):
//  - credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN);
//    else profile AWS_PROFILE (default "default") of the shared credentials
//    file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials), then of
//    the config file (AWS_CONFIG_FILE, default ~/.aws/config);
//  - region: AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, else
//    us-east-1 (what the AWS CLI signs S3 requests with when none is set);
//  - endpoint: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's
//    `endpoint_url`, else none (the caller uses AWS's own).
// Config file sections are `[default]` and `[profile NAME]`; credentials file
// sections are `[NAME]`.
//
// Only static or temporary keys are read. A profile that gets its keys some
// other way (role_arn, sso_session, credential_process, web identity) is
// refused with a message saying how to export keys instead: running other
// programs to get credentials is not pgscrub's business.
//
// The INI reader is small and strict where the AWS CLI is (Python's
// configparser): a line that is not a section, `key = value`, a continuation
// or a comment; a setting before any section; a key or section given twice —
// each is an error naming FILE:LINE and the fix. Values are never quoted in a
// message: a credentials file is full of secrets.

#include <functional>
#include <optional>
#include <string>

namespace pgscrub::net {

struct AwsCredentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token; // empty: long-term keys
    // Where they came from, for messages and --dry-run: "environment" or
    // "FILE [NAME]"; holds no secret.
    std::string source;
};

struct AwsSettings {
    AwsCredentials credentials;
    std::string profile;       // the profile read (AWS_PROFILE or "default")
    std::string region;        // never empty (us-east-1 when nothing says otherwise)
    std::string region_source; // "AWS_REGION", "FILE:LINE", "default"
    std::string endpoint_url;  // empty: AWS's own endpoint
    std::string endpoint_source;
};

// How the resolver reads the environment: the process's by default; tests
// give their own. A variable set to "" counts as unset, as in the AWS CLI.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;
std::optional<std::string> process_environment(const std::string& name);

// Resolves everything for `service` ("s3": AWS_ENDPOINT_URL_S3). Missing
// credentials, a file that cannot be read or parsed, a profile named by
// AWS_PROFILE that no file has, a profile half filled in or using an
// unsupported way to get keys, a region or endpoint that cannot be right:
// common::Error of kind Usage, on one line, naming the variables and files
// to fix, never a secret.
AwsSettings resolve_aws_settings(const std::string& service,
                                 const EnvironmentLookup& environment = process_environment);

} // namespace pgscrub::net
