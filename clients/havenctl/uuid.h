// Event ids: random version-4 UUIDs in canonical text form.
#ifndef HAVEN_CLIENTS_HAVENCTL_UUID_H_
#define HAVEN_CLIENTS_HAVENCTL_UUID_H_

#include <string>
#include <string_view>

namespace haven::cli {

// A fresh RFC 4122 version-4 (random, variant 10xx) UUID from the operating
// system's random source, lowercase, e.g.
// "0f8c3a1e-5b7d-4c2e-9a10-3d4e5f607182".
std::string NewUuidV4();

// True for 8-4-4-4-12 hexadecimal digits separated by hyphens, any hex case:
// the form the event store accepts as an event id.
bool IsCanonicalUuid(std::string_view text);

}  // namespace haven::cli

#endif  // HAVEN_CLIENTS_HAVENCTL_UUID_H_
