// The member definitions of SqlMetadataStore, by table group. Include from exactly one .cc
// per backend, followed by `template class sql::SqlMetadataStore<ThatBackendsPool>;`.
#pragma once

#include "store/sql/sql_accounts.h"
#include "store/sql/sql_functions.h"
#include "store/sql/sql_lambda.h"
#include "store/sql/sql_users.h"
