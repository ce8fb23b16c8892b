"""Accounts, roles and tenant scope for the web service: who may see and change which organisations' data.

    roles.py      the four roles and what each may do
    principal.py  Principal: a signed-in user with the organisation tree they see
    passwords.py  argon2id hashes and the password rules (NCSC advice)
    service.py    Accounts: users, invitations, sign-in with lockout, API tokens, sessions, the audit log
    scope.py      ScopedStore: THE one place that scopes every read and write to the caller's tree
    oidc.py       mapping an identity provider's claims to an organisation and a role
    pgroles.py    PostgreSQL: the web service's application role (row-level security applies to it)

Nothing here imports the web layer; the web service (``schoon.web``) builds on these.
"""
