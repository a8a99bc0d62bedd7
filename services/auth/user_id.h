// What a Haven user id looks like, wherever it comes from (a client
// certificate, a bearer token, the admin rpc that registers users).
#ifndef HAVEN_SERVICES_AUTH_USER_ID_H_
#define HAVEN_SERVICES_AUTH_USER_ID_H_

#include <string_view>

namespace haven::auth {

// 1 to 128 characters from [A-Za-z0-9._@-], starting with a letter or digit,
// e.g. "dev-operator" or "li.xiuying@nj".  Printable ASCII, so it fits in
// plain gRPC metadata and key=value log lines as it is.
bool IsValidUserId(std::string_view id);

// The rule above in words, for error messages.
inline constexpr char kUserIdRule[] =
    "1 to 128 characters from A-Z a-z 0-9 . _ @ -, starting with a letter or digit";

}  // namespace haven::auth

#endif  // HAVEN_SERVICES_AUTH_USER_ID_H_
