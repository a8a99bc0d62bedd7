// HAVEN_RETURN_IF_ERROR, for functions that return absl::Status or
// absl::StatusOr<T> (a context's decide functions check field after field).
#ifndef HAVEN_SERVICES_COMMON_STATUS_MACROS_H_
#define HAVEN_SERVICES_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"

// Returns from the calling function if `expr` (an absl::Status) is not OK.
#define HAVEN_RETURN_IF_ERROR(expr)                     \
  do {                                                  \
    if (absl::Status _status = (expr); !_status.ok()) { \
      return _status;                                   \
    }                                                   \
  } while (false)

#endif  // HAVEN_SERVICES_COMMON_STATUS_MACROS_H_
