// How the directory's events are named and stored in the log.
#ifndef HAVEN_SERVICES_DIRECTORY_DOMAIN_EVENTS_H_
#define HAVEN_SERVICES_DIRECTORY_DOMAIN_EVENTS_H_

#include <string>

#include "haven/directory/v1/directory.pb.h"

namespace haven::directory {

// The one stream holding the whole tree.
inline constexpr char kStream[] = "directory";
// Every event's payload is a serialized v1::DirectoryEvent.
inline constexpr char kContentType[] =
    "application/x-protobuf; type=haven.directory.v1.DirectoryEvent";

inline constexpr char kUnitCreatedType[] = "directory.unit_created";
inline constexpr char kUnitRenamedType[] = "directory.unit_renamed";
inline constexpr char kUnitMovedType[] = "directory.unit_moved";
inline constexpr char kUnitClosedType[] = "directory.unit_closed";

// The log's event type for `event`: one of the constants above, or
// "directory.unknown" if no event is set.
std::string EventTypeOf(const v1::DirectoryEvent& event);

// The unit the event is about; empty if no event is set.
const std::string& UnitIdOf(const v1::DirectoryEvent& event);

}  // namespace haven::directory

#endif  // HAVEN_SERVICES_DIRECTORY_DOMAIN_EVENTS_H_
