#include "services/auth/issue_token_command.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/auth/tls_material.h"
#include "services/auth/token.h"
#include "services/auth/user_id.h"

namespace haven::auth {

std::string IssueTokenUsage() {
  return R"(havend issue-token: sign a bearer token for a user without a client certificate.

Usage: havend issue-token --user=USER_ID [--ttl=DURATION] [--tls-dir=DIR | --data-dir=DIR]

  --user=USER_ID   the user the token authenticates (as registered in Haven)
  --ttl=DURATION   how long it is valid: 8h, 30m, 1h30m, 7d; at most 31d. Default: 8h
  --tls-dir=DIR    the TLS directory whose token-signing.key signs it.
                   Default: <data-dir>/tls
  --data-dir=DIR   havend's data directory. Default: ./data

Prints the token alone on stdout; its user and expiry go to stderr.  Clients
send it as "authorization: Bearer <token>" (havenctl --token=...).  Tokens
cannot be revoked one by one: keep them short, or rotate the key
(docs/security.md).
)";
}

bool ParseTokenLifetime(const std::string& text, absl::Duration* lifetime) {
  if (text.size() > 1 && text.back() == 'd') {
    int days;
    if (!absl::SimpleAtoi(text.substr(0, text.size() - 1), &days) || days <= 0) return false;
    *lifetime = absl::Hours(24) * days;
    return true;
  }
  return absl::ParseDuration(text, lifetime) && *lifetime > absl::ZeroDuration();
}

int IssueTokenMain(const std::vector<std::string>& args, absl::Time now, std::ostream& out,
                   std::ostream& err) {
  std::string user, tls_dir, data_dir = "./data";
  absl::Duration lifetime = absl::Hours(8);
  auto fail = [&err](const std::string& message) {
    err << "havend issue-token: " << message << "\n(see havend issue-token --help)\n";
    return 2;
  };
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      out << IssueTokenUsage();
      return 0;
    }
    const size_t eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos) {
      return fail(absl::StrCat("unexpected argument \"", arg, "\"; flags take the form --name=value"));
    }
    const std::string name = arg.substr(2, eq - 2);
    const std::string value = arg.substr(eq + 1);
    if (name == "user") {
      user = value;
    } else if (name == "ttl") {
      if (!ParseTokenLifetime(value, &lifetime)) {
        return fail("--ttl must be a duration such as 8h, 30m, 1h30m or 7d");
      }
    } else if (name == "tls-dir") {
      tls_dir = value;
    } else if (name == "data-dir") {
      data_dir = value;
    } else {
      return fail(absl::StrCat("unknown flag --", name));
    }
  }
  if (user.empty()) return fail("--user is required");
  if (!IsValidUserId(user)) return fail(absl::StrCat("--user: ", kUserIdRule));
  if (tls_dir.empty()) tls_dir = data_dir + "/tls";
  absl::StatusOr<TokenKey> key = LoadSigningKey(tls_dir);
  if (!key.ok()) return fail(std::string(key.status().message()));
  absl::StatusOr<std::string> token = IssueToken(*key, user, now, lifetime);
  if (!token.ok()) return fail(std::string(token.status().message()));
  out << *token << "\n";
  err << "token for user=" << user << " key=" << key->id << " expires="
      << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", now + lifetime, absl::UTCTimeZone()) << "\n";
  return 0;
}

}  // namespace haven::auth
