// Test helpers: development TLS directories made by
// deploy/make-dev-certs.sh, and client credentials from them.
#ifndef HAVEN_TESTS_AUTH_DEV_CERTS_H_
#define HAVEN_TESTS_AUTH_DEV_CERTS_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#ifndef HAVEN_MAKE_DEV_CERTS
#error "define HAVEN_MAKE_DEV_CERTS as the path of deploy/make-dev-certs.sh"
#endif

namespace haven::testing {

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A fresh temporary directory holding what make-dev-certs.sh makes (the
// users of deploy/dev-users.txt plus `extra_users`); empty on failure.
inline std::string MakeDevTlsDir(const std::vector<std::string>& extra_users = {}) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/haven-tls-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) return "";
  std::string command = std::string(HAVEN_MAKE_DEV_CERTS) + " '" + pattern + "'";
  for (const std::string& user : extra_users) command += " '" + user + "'";
  command += " >/dev/null";
  if (std::system(command.c_str()) != 0) return "";
  return pattern;
}

// TLS channel credentials trusting `dir`'s CA, presenting `user`'s
// certificate when `user` is not empty.
inline std::shared_ptr<grpc::ChannelCredentials> DevCredentials(const std::string& dir,
                                                                const std::string& user) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadWholeFile(dir + "/ca.crt");
  if (!user.empty()) {
    options.pem_private_key = ReadWholeFile(dir + "/users/" + user + ".key");
    options.pem_cert_chain = ReadWholeFile(dir + "/users/" + user + ".crt");
  }
  return grpc::SslCredentials(options);
}

}  // namespace haven::testing

#endif  // HAVEN_TESTS_AUTH_DEV_CERTS_H_
