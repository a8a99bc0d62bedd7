// UTF-8 helpers for the names and reasons the directory stores.
#ifndef HAVEN_SERVICES_DIRECTORY_DOMAIN_TEXT_H_
#define HAVEN_SERVICES_DIRECTORY_DOMAIN_TEXT_H_

#include <cstddef>
#include <optional>

#include "absl/strings/string_view.h"

namespace haven::directory {

// The number of code points in `text`, or nullopt if `text` is not
// well-formed UTF-8 (no overlong forms, no surrogates, nothing above
// U+10FFFF).
std::optional<size_t> CountCodePoints(absl::string_view text);

// `text` without leading and trailing white space: ASCII white space and the
// ideographic space U+3000 that Chinese input methods type.  `text` must be
// valid UTF-8.
absl::string_view TrimSpace(absl::string_view text);

// True if `text` (valid UTF-8) holds a C0 or C1 control character or DEL.
bool HasControlCharacter(absl::string_view text);

}  // namespace haven::directory

#endif  // HAVEN_SERVICES_DIRECTORY_DOMAIN_TEXT_H_
