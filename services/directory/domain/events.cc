#include "services/directory/domain/events.h"

namespace haven::directory {

std::string EventTypeOf(const v1::DirectoryEvent& event) {
  switch (event.event_case()) {
    case v1::DirectoryEvent::kUnitCreated:
      return kUnitCreatedType;
    case v1::DirectoryEvent::kUnitRenamed:
      return kUnitRenamedType;
    case v1::DirectoryEvent::kUnitMoved:
      return kUnitMovedType;
    case v1::DirectoryEvent::kUnitClosed:
      return kUnitClosedType;
    default:
      return "directory.unknown";
  }
}

const std::string& UnitIdOf(const v1::DirectoryEvent& event) {
  static const std::string* const kNone = new std::string();
  switch (event.event_case()) {
    case v1::DirectoryEvent::kUnitCreated:
      return event.unit_created().unit_id();
    case v1::DirectoryEvent::kUnitRenamed:
      return event.unit_renamed().unit_id();
    case v1::DirectoryEvent::kUnitMoved:
      return event.unit_moved().unit_id();
    case v1::DirectoryEvent::kUnitClosed:
      return event.unit_closed().unit_id();
    default:
      return *kNone;
  }
}

}  // namespace haven::directory
