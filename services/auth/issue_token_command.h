// "havend issue-token": signs a bearer token for a user who cannot hold a
// client certificate (an admin runs it on the server and hands the token
// over).
#ifndef HAVEN_SERVICES_AUTH_ISSUE_TOKEN_COMMAND_H_
#define HAVEN_SERVICES_AUTH_ISSUE_TOKEN_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace haven::auth {

// The command's --help text.
std::string IssueTokenUsage();

// Runs "issue-token" with `args` (after the word issue-token): prints the
// token on `out`, what it is for and until when on `err`.  Returns 0, or 2
// for a bad flag or TLS directory (with the reason on `err`).
int IssueTokenMain(const std::vector<std::string>& args, absl::Time now, std::ostream& out,
                   std::ostream& err);

// "8h", "30m", "90s", "1h30m" or "7d".  False when not a duration.
bool ParseTokenLifetime(const std::string& text, absl::Duration* lifetime);

}  // namespace haven::auth

#endif  // HAVEN_SERVICES_AUTH_ISSUE_TOKEN_COMMAND_H_
