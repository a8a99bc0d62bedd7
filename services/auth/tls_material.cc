#include "services/auth/tls_material.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "grpcpp/security/server_credentials.h"
#include "services/auth/auth_processor.h"

namespace haven::auth {
namespace {

std::string PathIn(const std::string& dir, const std::string& file) {
  return (std::filesystem::path(dir) / file).string();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read it"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Secrets must not be readable by anyone but their owner (as ssh insists).
absl::StatusOr<std::string> ReadSecretFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read it"));
  }
  if ((st.st_mode & 077) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, ": readable by group or others (mode ",
        absl::StrFormat("%04o", st.st_mode & 0777), "); run: chmod 600 ", path));
  }
  return ReadFile(path);
}

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

BioPtr MemoryBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

std::unique_ptr<X509, X509Deleter> FirstCertificate(const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  std::unique_ptr<X509, X509Deleter> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  return cert;
}

absl::Time AsTime(const ASN1_TIME* time) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return absl::InfinitePast();
  return absl::FromTM(tm, absl::UTCTimeZone());
}

std::string Rfc3339(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

}  // namespace

absl::StatusOr<TokenKeyring> LoadTokenKeyring(const std::string& dir) {
  std::vector<std::string> paths;
  const std::string current = PathIn(dir, kTokenKeyFile);
  if (std::filesystem::exists(current)) paths.push_back(current);
  std::vector<std::string> earlier;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (absl::StartsWith(name, "token-signing-") && absl::EndsWith(name, ".key")) {
      earlier.push_back(entry.path().string());
    }
  }
  std::sort(earlier.begin(), earlier.end());
  paths.insert(paths.end(), earlier.begin(), earlier.end());
  std::vector<TokenKey> keys;
  for (const std::string& path : paths) {
    absl::StatusOr<std::string> text = ReadSecretFile(path);
    if (!text.ok()) return text.status();
    absl::StatusOr<TokenKey> key = TokenKey::FromHex(*text, path);
    if (!key.ok()) return key.status();
    keys.push_back(*std::move(key));
  }
  return TokenKeyring(std::move(keys));
}

absl::StatusOr<TokenKey> LoadSigningKey(const std::string& dir) {
  const std::string path = PathIn(dir, kTokenKeyFile);
  if (!std::filesystem::exists(path)) {
    return absl::NotFoundError(absl::StrCat(path, " does not exist"));
  }
  absl::StatusOr<std::string> text = ReadSecretFile(path);
  if (!text.ok()) return text.status();
  return TokenKey::FromHex(*text, path);
}

absl::StatusOr<TlsMaterial> LoadTlsMaterial(const std::string& dir, absl::Time now) {
  std::vector<std::string> missing;
  for (const char* file : {kCaCertFile, kServerCertFile, kServerKeyFile}) {
    if (!std::filesystem::exists(PathIn(dir, file))) missing.push_back(file);
  }
  if (!missing.empty()) {
    return absl::NotFoundError(
        absl::StrCat(dir, " has no ", absl::StrJoin(missing, ", ")));
  }
  TlsMaterial material;
  const std::string ca_path = PathIn(dir, kCaCertFile);
  const std::string cert_path = PathIn(dir, kServerCertFile);
  const std::string key_path = PathIn(dir, kServerKeyFile);
  absl::StatusOr<std::string> ca = ReadFile(ca_path);
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> cert = ReadFile(cert_path);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadSecretFile(key_path);
  if (!key.ok()) return key.status();

  if (FirstCertificate(*ca) == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(ca_path, ": no PEM certificate in it"));
  }
  std::unique_ptr<X509, X509Deleter> server_cert = FirstCertificate(*cert);
  if (server_cert == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(cert_path, ": no PEM certificate in it"));
  }
  BioPtr key_bio = MemoryBio(*key);
  std::unique_ptr<EVP_PKEY, KeyDeleter> server_key(
      PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (server_key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(key_path, ": no unencrypted PEM private key in it"));
  }
  if (X509_check_private_key(server_cert.get(), server_key.get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(key_path, " is not the key of ", cert_path));
  }
  const absl::Time not_before = AsTime(X509_get0_notBefore(server_cert.get()));
  const absl::Time not_after = AsTime(X509_get0_notAfter(server_cert.get()));
  if (not_after <= now) {
    return absl::InvalidArgumentError(
        absl::StrCat(cert_path, " expired at ", Rfc3339(not_after), "; renew it"));
  }
  if (not_before > now) {
    return absl::InvalidArgumentError(
        absl::StrCat(cert_path, " is not valid before ", Rfc3339(not_before)));
  }
  absl::StatusOr<TokenKeyring> token_keys = LoadTokenKeyring(dir);
  if (!token_keys.ok()) return token_keys.status();

  material.ca_pem = *std::move(ca);
  material.server_cert_pem = *std::move(cert);
  material.server_key_pem = *std::move(key);
  material.server_cert_expires = not_after;
  material.token_keys = *std::move(token_keys);
  return material;
}

std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const TlsMaterial& material,
                                                               std::function<absl::Time()> now) {
  grpc::SslServerCredentialsOptions options(
      GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = material.ca_pem;
  options.pem_key_cert_pairs.push_back({material.server_key_pem, material.server_cert_pem});
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::SslServerCredentials(options);
  credentials->SetAuthMetadataProcessor(
      std::make_shared<AuthProcessor>(material.token_keys, std::move(now)));
  return credentials;
}

}  // namespace haven::auth
