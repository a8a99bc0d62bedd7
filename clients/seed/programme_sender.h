// Sends the steps of programme stories (programme_plan.h) to havend: each
// command as the typed rpc its member names (LoanService.CertifyLoan for
// certify_loan), found by reflection in the compiled-in descriptors and
// called through a generic stub, so one sender serves the four services.
// The request is filled as havenctl fills it (FillCommandRequest):
// request_id, the aggregate's id (field 2), expected_version when the
// request has one (every command but a registration) and the member.
//
// Thread safety: one sender per thread.
#ifndef HAVEN_CLIENTS_SEED_PROGRAMME_SENDER_H_
#define HAVEN_CLIENTS_SEED_PROGRAMME_SENDER_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "seed/programme_plan.h"

namespace haven::seed {

struct ProgrammeAnswer {
  uint64_t version = 0;   // The aggregate's version after the command.
  bool replayed = false;  // Answered from an earlier run: nothing written.
};

class ProgrammeSender {
 public:
  ProgrammeSender(std::shared_ptr<grpc::Channel> channel, double timeout_seconds);

  // Sends `step` of a story to `service` ("haven.loans.v1.LoanService"),
  // expecting the aggregate at `expected_version` unless the rpc creates
  // it (or no version is given: a unit's first target).  The server's
  // status; INTERNAL when the rpc is not in the descriptors or the answer
  // does not parse.
  grpc::Status Send(const std::string& service, const ProgrammeStep& step,
                    std::optional<uint64_t> expected_version, ProgrammeAnswer* answer);

 private:
  grpc::GenericStub stub_;
  const double timeout_seconds_;
};

}  // namespace haven::seed

#endif  // HAVEN_CLIENTS_SEED_PROGRAMME_SENDER_H_
