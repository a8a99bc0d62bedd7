#include "client.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <utility>

#include "command.h"

namespace haven::cli {
namespace {

// gRPC only allows printable ASCII in non-binary metadata values.
bool IsValidMetadataValue(const std::string& value) {
  if (value.empty()) return false;
  for (char c : value) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\r\n") - begin + 1);
}

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream out;
  out << in.rdbuf();
  *text = out.str();
  return true;
}

// The string-valued credential settings, by flag (and profile key) name.
std::vector<std::pair<std::string, std::string*>> CredentialFields(GlobalOptions* options) {
  return {{"ca", &options->ca_file},         {"cert", &options->cert_file},
          {"key", &options->key_file},       {"token", &options->token},
          {"as", &options->as_user},         {"tls-dir", &options->tls_dir},
          {"server-name", &options->server_name}, {"purpose", &options->purpose}};
}

}  // namespace

const std::vector<FlagSpec>& GlobalFlagSpecs() {
  static const std::vector<FlagSpec> kSpecs = {
      {"server", "HOST:PORT", "havend address (default 127.0.0.1:7070)"},
      {"actor", "NAME",
       "who is acting, recorded on appended events\n"
       "(default $USER, else havenctl; printable ASCII)"},
      {"json", "", "print one JSON object per line instead of a table"},
      {"timeout", "SECONDS", "deadline for each request (default 10; tail has none)"},
      {"ca", "FILE", "CA certificate the server's must chain to\n(default <tls-dir>/ca.crt)"},
      {"cert", "FILE", "client certificate (PEM), with --key"},
      {"key", "FILE", "the client certificate's private key (PEM)"},
      {"token", "TOKEN", "bearer token (havend issue-token), or @FILE holding one"},
      {"as", "USER",
       "present the development certificate of USER from\n<tls-dir>/users (deploy/dev-users.txt)"},
      {"tls-dir", "DIR",
       "development TLS directory (default ./data/tls, made by\ndeploy/serve.sh); without "
       "--cert, --as or --token\nhavenctl presents its users/dev-operator certificate"},
      {"server-name", "NAME", "name the server's certificate must carry\n(default: the host of --server)"},
      {"plaintext", "", "no TLS, no credentials: for a havend run\nwith --insecure-plaintext"},
      {"purpose", "TEXT",
       "why you read a case's personal data (case show,\nhistory): recorded in the access log; "
       "a secure\nhavend refuses such reads without one"},
      {"profile", "FILE",
       "read these settings from FILE first (key = value;\ndefault $HAVEN_PROFILE, else "
       "~/.config/haven/profile)"},
      {"help", "", "show help"},
  };
  return kSpecs;
}

std::string DefaultActor() {
  const char* user = std::getenv("USER");
  if (user != nullptr && IsValidMetadataValue(user)) return user;
  return "havenctl";
}

std::string ApplyGlobalFlags(const ParsedArgs& args, GlobalOptions* options) {
  if (auto server = args.Get("server")) {
    if (server->empty()) return "--server must not be empty";
    options->server = *server;
  }
  if (auto actor = args.Get("actor")) {
    if (actor->empty()) return "--actor must not be empty";
    options->actor = *actor;
  }
  if (args.Has("json")) options->json = true;
  if (auto timeout = args.Get("timeout")) {
    auto seconds = ParseSeconds(*timeout);
    if (!seconds) return "--timeout must be a positive number of seconds";
    options->timeout_seconds = *seconds;
  }
  for (const auto& [name, field] : CredentialFields(options)) {
    if (auto value = args.Get(name)) {
      if (value->empty()) return "--" + name + " must not be empty";
      *field = *value;
    }
  }
  if (args.Has("plaintext")) options->plaintext = true;
  if (options->actor.empty()) options->actor = DefaultActor();
  return "";
}

std::string ProfilePath(const std::optional<std::string>& flag) {
  if (flag) return *flag;
  if (const char* env = std::getenv("HAVEN_PROFILE"); env != nullptr && *env != '\0') return env;
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    const std::string path = std::string(home) + "/.config/haven/profile";
    if (std::ifstream(path)) return path;
  }
  return "";
}

std::string LoadProfile(const std::string& path, GlobalOptions* options) {
  std::ifstream in(path);
  if (!in) return "cannot read profile " + path;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    const std::string where = path + ":" + std::to_string(number);
    const std::string text = Trim(line);
    if (text.empty()) continue;
    const size_t eq = text.find('=');
    if (eq == std::string::npos) return where + ": expected key = value";
    const std::string key = Trim(text.substr(0, eq));
    const std::string value = Trim(text.substr(eq + 1));
    std::string* field = nullptr;
    for (const auto& [name, target] : CredentialFields(options)) {
      if (name == key) field = target;
    }
    if (key == "server") field = &options->server;
    if (key == "actor") field = &options->actor;
    if (field != nullptr) {
      if (value.empty()) return where + ": " + key + " is empty";
      *field = value;
    } else if (key == "plaintext") {
      if (value != "true" && value != "false") return where + ": plaintext must be true or false";
      options->plaintext = value == "true";
    } else if (key == "timeout") {
      auto seconds = ParseSeconds(value);
      if (!seconds) return where + ": timeout must be a positive number of seconds";
      options->timeout_seconds = *seconds;
    } else {
      return where + ": unknown setting \"" + key + "\"";
    }
  }
  return "";
}

std::string ResolveCredentials(GlobalOptions* options) {
  if (options->plaintext) {
    if (!options->token.empty() || !options->cert_file.empty() || !options->as_user.empty()) {
      return "--plaintext sends no credentials; drop --token, --cert or --as (or --plaintext)";
    }
    return "";
  }
  const std::string tls_dir = options->tls_dir.empty() ? kDefaultTlsDir : options->tls_dir;
  const std::string ca_file = options->ca_file.empty() ? tls_dir + "/ca.crt" : options->ca_file;
  if (!ReadFile(ca_file, &options->ca_pem)) {
    return "cannot read the CA certificate " + ca_file +
           ". Start the server with deploy/serve.sh (it makes development certificates in "
           "./data/tls), or give --ca with --cert/--key or --token (docs/security.md), or "
           "--plaintext for a havend run with --insecure-plaintext";
  }
  if (options->cert_file.empty() != options->key_file.empty()) return "--cert and --key go together";
  std::string cert_file = options->cert_file, key_file = options->key_file;
  if (cert_file.empty() && !options->as_user.empty()) {
    cert_file = tls_dir + "/users/" + options->as_user + ".crt";
    key_file = tls_dir + "/users/" + options->as_user + ".key";
    if (!std::ifstream(cert_file)) {
      return "--as " + options->as_user + ": no " + cert_file +
             " (deploy/make-dev-certs.sh " + tls_dir + " " + options->as_user + " makes one)";
    }
  }
  if (cert_file.empty() && options->token.empty()) {
    const std::string dev = tls_dir + "/users/" + kDefaultDevUser;
    if (std::ifstream(dev + ".crt") && std::ifstream(dev + ".key")) {
      cert_file = dev + ".crt";
      key_file = dev + ".key";
    }
  }
  if (!cert_file.empty()) {
    if (!ReadFile(cert_file, &options->cert_pem)) return "cannot read certificate " + cert_file;
    if (!ReadFile(key_file, &options->key_pem)) return "cannot read key " + key_file;
  }
  if (!options->token.empty() && options->token[0] == '@') {
    const std::string path = options->token.substr(1);
    std::string text;
    if (!ReadFile(path, &text)) return "cannot read token file " + path;
    options->token = Trim(text);
    if (options->token.empty()) return "token file " + path + " is empty";
  }
  return "";
}

std::shared_ptr<grpc::Channel> Connect(const GlobalOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);
  if (options.plaintext) {
    return grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(),
                                     arguments);
  }
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = options.ca_pem;
  tls.pem_cert_chain = options.cert_pem;
  tls.pem_private_key = options.key_pem;
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::SslCredentials(tls);
  if (!options.token.empty()) {
    credentials = grpc::CompositeChannelCredentials(
        credentials, grpc::AccessTokenCredentials(options.token));
  }
  if (!options.server_name.empty()) arguments.SetSslTargetNameOverride(options.server_name);
  return grpc::CreateCustomChannel(options.server, credentials, arguments);
}

void PrepareContext(const GlobalOptions& options, bool with_deadline,
                    grpc::ClientContext* context) {
  // Plain metadata must be printable ASCII; a Chinese name travels in the
  // binary header, which gRPC base64-encodes on the wire.
  context->AddMetadata(IsValidMetadataValue(options.actor) ? "haven-actor" : "haven-actor-bin",
                       options.actor);
  if (!options.purpose.empty()) {
    context->AddMetadata(
        IsValidMetadataValue(options.purpose) ? "haven-purpose" : "haven-purpose-bin",
        options.purpose);
  }
  if (with_deadline) {
    const auto timeout = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::duration<double>(options.timeout_seconds));
    context->set_deadline(std::chrono::system_clock::now() + timeout);
  }
}

const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

int ReportRpcError(const grpc::Status& status, const grpc::ClientContext& context) {
  std::cerr << "havenctl: " << StatusCodeName(status.error_code()) << ": " << status.error_message()
            << '\n';
  if (status.error_code() == grpc::StatusCode::ABORTED) {
    const auto& trailers = context.GetServerTrailingMetadata();
    auto it = trailers.find("haven-current-version");
    if (it != trailers.end()) {
      std::cerr << "havenctl: haven-current-version: "
                << std::string(it->second.data(), it->second.size()) << '\n';
    }
  }
  return kExitFailure;
}

}  // namespace haven::cli
