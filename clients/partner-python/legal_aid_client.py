#!/usr/bin/python3
"""A legal aid centre's client of Haven's LegalAidService.

Shows a partner organisation how to work the cases the women's federation
refers to it: list the referrals, read one (the minimised view; the read is
recorded in Haven's access log with the purpose you declare), accept or
decline it, report progress and the outcome, and follow changes as they
happen, resuming after a disconnect.

Needs Debian's python3-grpcio and python3-protobuf, and protoc with
grpc_python_plugin (protobuf-compiler, protobuf-compiler-grpc) to generate
the stubs from proto/ on first use.

Examples (with the development certificates of deploy/make-dev-certs.sh):
  legal_aid_client.py list
  legal_aid_client.py show referral-...
  legal_aid_client.py accept case-... referral-... --handler 陈律师
  legal_aid_client.py progress case-... referral-... --kind SUIT_FILED --note 已立案
  legal_aid_client.py outcome case-... referral-... --outcome RESOLVED
  legal_aid_client.py watch --from 0
"""

import argparse
import json
import os
import subprocess
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PROTOS = [
    "haven/v1/annotations.proto",
    "haven/cases/v1/case_events.proto",
    "haven/cases/v1/case_commands.proto",
    "haven/cases/v1/case_service.proto",
    "haven/directory/v1/directory.proto",
    "haven/legalaid/v1/legal_aid.proto",
]


def load_stubs(gen_dir):
    """Generates the Python stubs into gen_dir (once) and imports them."""
    marker = os.path.join(gen_dir, "haven", "legalaid", "v1", "legal_aid_pb2_grpc.py")
    newest_proto = max(os.path.getmtime(os.path.join(REPO, "proto", p)) for p in PROTOS)
    if not os.path.exists(marker) or os.path.getmtime(marker) < newest_proto:
        os.makedirs(gen_dir, exist_ok=True)
        subprocess.run(
            ["protoc", "-I", os.path.join(REPO, "proto"), "--python_out", gen_dir,
             "--grpc_python_out", gen_dir,
             "--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin"] + PROTOS,
            check=True)
    sys.path.insert(0, gen_dir)
    from haven.legalaid.v1 import legal_aid_pb2, legal_aid_pb2_grpc  # noqa: E402
    from haven.cases.v1 import case_commands_pb2, case_events_pb2  # noqa: E402
    return legal_aid_pb2, legal_aid_pb2_grpc, case_commands_pb2, case_events_pb2


def read(path):
    with open(path, "rb") as f:
        return f.read()


def make_channel(args):
    if args.plaintext:
        return __import__("grpc").insecure_channel(args.server)
    import grpc
    tls_dir = args.tls_dir
    ca = args.ca or os.path.join(tls_dir, "ca.crt")
    if args.token:
        credentials = grpc.composite_channel_credentials(
            grpc.ssl_channel_credentials(root_certificates=read(ca)),
            grpc.access_token_call_credentials(args.token))
    else:
        cert = args.cert or os.path.join(tls_dir, "users", args.user + ".crt")
        key = args.key or os.path.join(tls_dir, "users", args.user + ".key")
        credentials = grpc.ssl_channel_credentials(
            root_certificates=read(ca), private_key=read(key), certificate_chain=read(cert))
    return grpc.secure_channel(args.server, credentials)


def metadata(args):
    md = [("haven-purpose-bin", args.purpose.encode("utf-8"))]
    if args.plaintext:
        md.append(("haven-actor", args.user))
    return md


def to_json(message):
    from google.protobuf import json_format
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="127.0.0.1:7070")
    parser.add_argument("--tls-dir", default=os.path.join(REPO, "data", "tls"),
                        help="where ca.crt and users/<user>.crt|.key are (default ./data/tls)")
    parser.add_argument("--user", default="dev-partner", help="certificate name in --tls-dir")
    parser.add_argument("--ca")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--token", help="a bearer token instead of a client certificate")
    parser.add_argument("--plaintext", action="store_true",
                        help="for a havend started with --insecure-plaintext")
    parser.add_argument("--purpose", default="承办法律援助案件",
                        help="why you read the case; recorded in Haven's access log")
    parser.add_argument("--gen-dir", default=os.path.join(REPO, "build", "python-stubs"))
    parser.add_argument("--timeout", type=float, default=10.0)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list")
    show = sub.add_parser("show")
    show.add_argument("referral_id")
    for name in ("accept", "decline", "progress", "outcome"):
        p = sub.add_parser(name)
        p.add_argument("case_id")
        p.add_argument("referral_id")
        p.add_argument("--expected-version", type=int,
                       help="the case version you last saw (default: read it with show)")
        if name == "accept":
            p.add_argument("--handler", default="")
        if name == "decline":
            p.add_argument("--reason", required=True)
        if name == "progress":
            p.add_argument("--kind", required=True, help="e.g. ADVICE_GIVEN, SUIT_FILED, HEARING")
            p.add_argument("--note", default="")
        if name == "outcome":
            p.add_argument("--outcome", required=True, help="e.g. RESOLVED, WITHDRAWN")
            p.add_argument("--summary", default="")
    watch = sub.add_parser("watch")
    watch.add_argument("--from", dest="from_position", type=int, default=0)
    watch.add_argument("--max", type=int, default=0, help="stop after this many updates")
    args = parser.parse_args(argv)

    import grpc
    la, la_grpc, commands, events = load_stubs(args.gen_dir)
    stub = la_grpc.LegalAidServiceStub(make_channel(args))
    md = metadata(args)

    def version_of(referral_id):
        if args.expected_version is not None:
            return args.expected_version
        view = stub.GetReferral(la.GetReferralRequest(referral_id=referral_id),
                                metadata=md, timeout=args.timeout)
        return view.case_version

    try:
        if args.command == "list":
            response = stub.ListMyReferrals(la.ListMyReferralsRequest(), metadata=md,
                                            timeout=args.timeout)
            for r in response.referrals:
                print(json.dumps(to_json(r), ensure_ascii=False))
        elif args.command == "show":
            view = stub.GetReferral(la.GetReferralRequest(referral_id=args.referral_id),
                                    metadata=md, timeout=args.timeout)
            print(json.dumps(to_json(view), ensure_ascii=False, indent=2))
        elif args.command == "watch":
            seen = 0
            for update in stub.SubscribeMyReferrals(
                    la.SubscribeMyReferralsRequest(from_position=args.from_position),
                    metadata=md):
                if update.caught_up_at:
                    continue  # keep-alive
                print(json.dumps(to_json(update), ensure_ascii=False), flush=True)
                seen += 1
                if args.max and seen >= args.max:
                    break
        else:
            version = version_of(args.referral_id)
            request_id = str(uuid.uuid4())
            common = dict(request_id=request_id, case_id=args.case_id, expected_version=version)
            if args.command == "accept":
                response = stub.AcceptReferral(la.AcceptReferralRequest(
                    accept=commands.AcceptReferral(referral_id=args.referral_id,
                                                   handler_name=args.handler), **common),
                    metadata=md, timeout=args.timeout)
            elif args.command == "decline":
                response = stub.DeclineReferral(la.DeclineReferralRequest(
                    decline=commands.DeclineReferral(referral_id=args.referral_id,
                                                     reason=args.reason), **common),
                    metadata=md, timeout=args.timeout)
            elif args.command == "progress":
                response = stub.ReportProgress(la.ReportProgressRequest(
                    progress=commands.ReportReferralProgress(
                        referral_id=args.referral_id, note=args.note,
                        kind=events.ReferralProgressKind.Value(
                            "REFERRAL_PROGRESS_KIND_" + args.kind)), **common),
                    metadata=md, timeout=args.timeout)
            else:
                response = stub.ReportOutcome(la.ReportOutcomeRequest(
                    outcome=commands.ReportReferralOutcome(
                        referral_id=args.referral_id, summary=args.summary,
                        outcome=events.ReferralOutcome.Value(
                            "REFERRAL_OUTCOME_" + args.outcome)), **common),
                    metadata=md, timeout=args.timeout)
            print(json.dumps(to_json(response), ensure_ascii=False))
    except grpc.RpcError as e:
        print(f"error: {e.code().name}: {e.details()}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
