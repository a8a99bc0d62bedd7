// The kinds of org unit and where each may hang in the tree.
#ifndef HAVEN_SERVICES_DIRECTORY_DOMAIN_KINDS_H_
#define HAVEN_SERVICES_DIRECTORY_DOMAIN_KINDS_H_

#include <string>

#include "haven/directory/v1/directory.pb.h"

namespace haven::directory {

// True for the kinds a unit may have (not UNIT_KIND_UNSPECIFIED, not a
// value this build does not know).
bool IsKnownKind(v1::UnitKind kind);

// True for the city, counties/districts, townships/streets and
// villages/communities: the kinds that carry a statistical division code.
bool IsGeographic(v1::UnitKind kind);

// The kind order: city > county/district > township/street >
// village/community > micro-home, and the committees and member
// organisations under the city or a county/district.  True if a unit of
// kind `child` may hang under one of kind `parent`.
bool MayHangUnder(v1::UnitKind child, v1::UnitKind parent);

// What `child` may hang under, for messages: "a township or street".
std::string AllowedParents(v1::UnitKind child);

// A short English name of the kind for messages: "district", "micro-home".
std::string KindName(v1::UnitKind kind);

// The name with its indefinite article: "a district", "an enterprise
// committee".
std::string AKind(v1::UnitKind kind);

}  // namespace haven::directory

#endif  // HAVEN_SERVICES_DIRECTORY_DOMAIN_KINDS_H_
