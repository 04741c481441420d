// Who a provider sign-in is, in Stratus terms. An identity already linked signs in to its
// user. Otherwise the provider's email decides, and only when the provider says it is
// verified: it links to the account with that address, or makes a new account. An
// unverified provider email is refused outright, so it can never take over an account
// (and the refusal is the same whether or not an account has that address).
#pragma once

#include "auth/oauth/provider.h"
#include "common/error.h"
#include "store/metadata_store.h"

namespace stratus::auth {

struct ProviderSignIn {
  store::User user;
  bool created = false;  // a new account
  bool linked = false;   // the identity was linked just now
};

Result<ProviderSignIn> signInWithProvider(store::MetadataStore& store,
                                          const oauth::ExternalIdentity& identity);

}  // namespace stratus::auth
