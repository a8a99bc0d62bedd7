// The access record of a principal's read of a case's personal data
// (proto/haven/audit/v1/audit.proto), filled with who she is and how she
// was authenticated; the service adds the case, rpc and purpose.
#ifndef HAVEN_SERVICES_ACCESS_AUTHORISER_ACCESS_RECORD_H_
#define HAVEN_SERVICES_ACCESS_AUTHORISER_ACCESS_RECORD_H_

#include "grpcpp/server_context.h"
#include "haven/audit/v1/audit.pb.h"
#include "services/access/authoriser/principal.h"

namespace haven::access {

audit::v1::AccessRecorded AccessRecordOf(const Principal& principal,
                                         const grpc::ServerContextBase& context);

}  // namespace haven::access

#endif  // HAVEN_SERVICES_ACCESS_AUTHORISER_ACCESS_RECORD_H_
