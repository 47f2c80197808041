/*
 * principal.h - who made a call: the principal name of a userIdentity.
 *
 * The names are the Python tool's ("acct:user/name", "acct:role/name",
 * "acct:root", service names, "saml:...", "oidc:..."), so summaries from
 * both tools can be merged and compared.  Unlike the Python tool, every
 * identity gets an answer: where the rule for a type cannot answer, the
 * fallback chain of ct-summary(5) (PRINCIPALS) does, ending in "Unknown".
 */
#ifndef CT_PRINCIPAL_H
#define CT_PRINCIPAL_H

#include "buf.h"
#include "record.h"

/*
 * Append the principal of id to out (which is reset first).  Returns 1 when
 * a type's own rule answered, 0 when the fallback chain did (so callers can
 * count fallbacks), -1 only if out reached its cap.
 */
int	ct_principal(const struct ct_identity *id, struct ct_buf *out);

#endif
