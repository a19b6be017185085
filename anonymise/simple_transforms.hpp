#pragma once
// The transforms that rewrite one scalar value: keep, null, set, pseudonym,
// fake_email, fake_first_name, fake_last_name, fake_name, fake_phone,
// fake_ip, mask, regex_replace, template. Factories for the registry; they
// assume build_transform() has already checked parameter names and types,
// and report only what needs the transform's own knowledge (an invalid
// regular expression, an unbalanced template, ...).

#include "anonymise/transform.hpp"

#include <memory>
#include <string>
#include <vector>

namespace pgscrub::anonymise {

using Problems = std::vector<ConfigProblem>;

std::unique_ptr<Transform> make_keep(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_null(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_set(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_pseudonym(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_fake_email(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_fake_first_name(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_fake_last_name(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_fake_name(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_fake_phone(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_fake_ip(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_mask(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_regex_replace(const TransformConfig& config, Problems& problems);
std::unique_ptr<Transform> make_template(const TransformConfig& config, Problems& problems);

// The columns a `template` config reads, in order of first use, each once
// ({first_name} {last_name} <{email}> -> first_name, last_name, email); the
// rules layer checks that they exist. Empty for other transforms and for an
// unparsable format (build_transform reports that).
std::vector<std::string> template_columns(const TransformConfig& config);

// True for the reserved e-mail domains (RFC 2606/6761): example.com,
// example.org, example.net and anything under .example, .test, .invalid
// or .localhost (case-insensitive).
bool is_reserved_email_domain(std::string_view domain);

} // namespace pgscrub::anonymise
