// Domain units -> API messages, and the page tokens of ListSubtree.
#ifndef HAVEN_SERVICES_DIRECTORY_SERVICE_UNIT_CONVERT_H_
#define HAVEN_SERVICES_DIRECTORY_SERVICE_UNIT_CONVERT_H_

#include <optional>
#include <string>

#include "haven/directory/v1/directory.pb.h"
#include "services/directory/domain/directory.h"

namespace haven::services {

// `unit` of `state` with its path and depth.
void ToProto(const directory::Directory& state, const directory::Unit& unit,
             directory::v1::Unit* out);

// A unit with its ancestors, root first, and the state's version.
void FillGetUnitResponse(const directory::Directory& state, const directory::Unit& unit,
                         directory::v1::GetUnitResponse* out);

// An opaque token resuming a subtree listing after `unit_id`, and back.
std::string EncodePageToken(const std::string& unit_id);
std::optional<std::string> DecodePageToken(const std::string& token);

}  // namespace haven::services

#endif  // HAVEN_SERVICES_DIRECTORY_SERVICE_UNIT_CONVERT_H_
